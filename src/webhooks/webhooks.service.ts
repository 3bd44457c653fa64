import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere, Repository } from 'typeorm';
import { AddressGuard, ConnectorError } from '@app/connectors';
import { SecretCipher } from '../common/crypto/secret-cipher';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';
import { pageOf, pageRequest } from '../common/http/pagination';
import { newId } from '../common/ids';
import { iso } from '../common/timestamps';
import { Principal } from '../auth/role';
import { CreateWebhookDto, DeliveryDto, ListDeliveriesQueryDto, UpdateWebhookDto, WebhookDto } from './dto/webhook.dto';
import { newWebhookSecret } from './signature';
import { WebhookDeliveryEntity, WebhookEntity } from './webhook.entities';
import { WebhookOutboxService } from './webhook-outbox.service';

export const WEBHOOK_ADDRESS_GUARD = Symbol('WEBHOOK_ADDRESS_GUARD');

export function toWebhookDto(h: WebhookEntity): WebhookDto {
  return {
    id: h.id,
    name: h.name,
    url: h.url,
    events: h.events,
    datasource_id: h.dataSourceId,
    active: h.active,
    consecutive_failures: h.consecutiveFailures,
    disabled_reason: h.disabledReason,
    created_at: iso(h.createdAt)!,
    updated_at: iso(h.updatedAt)!,
  };
}

function toDeliveryDto(d: WebhookDeliveryEntity): DeliveryDto {
  return {
    id: d.id,
    webhook_id: d.webhookId,
    event_id: d.eventId,
    event: d.eventType,
    status: d.status,
    status_code: d.lastStatusCode,
    latency_ms: d.lastLatencyMs,
    attempts: d.attempts,
    next_retry_at: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    last_error: d.lastError,
    created_at: iso(d.createdAt)!,
    delivered_at: iso(d.deliveredAt),
  };
}

@Injectable()
export class WebhooksService {
  constructor(
    @InjectRepository(WebhookEntity) private readonly hooks: Repository<WebhookEntity>,
    @InjectRepository(WebhookDeliveryEntity) private readonly deliveries: Repository<WebhookDeliveryEntity>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: WebhookOutboxService,
    private readonly cipher: SecretCipher,
    @Inject(WEBHOOK_ADDRESS_GUARD) private readonly guard: AddressGuard,
  ) {}

  async list(q: ListDeliveriesQueryDto) {
    const p = pageRequest(q);
    const [rows, total] = await this.hooks.findAndCount({
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: p.skip,
      take: p.pageSize,
    });
    return pageOf('webhooks', rows.map(toWebhookDto), total, p);
  }

  async get(id: string): Promise<WebhookDto> {
    return toWebhookDto(await this.require(id));
  }

  async create(dto: CreateWebhookDto, actor: Principal): Promise<WebhookDto> {
    await this.checkUrl(dto.url);
    const secret = newWebhookSecret();
    const now = new Date();
    const hook = await this.hooks.save(
      this.hooks.create({
        id: newId('wh'),
        name: dto.name,
        url: dto.url,
        events: dto.events,
        dataSourceId: dto.datasource_id ?? null,
        active: dto.active ?? true,
        secret: this.cipher.encrypt(secret),
        consecutiveFailures: 0,
        disabledReason: null,
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      }),
    );
    return { ...toWebhookDto(hook), secret };
  }

  async update(id: string, dto: UpdateWebhookDto): Promise<WebhookDto> {
    const hook = await this.require(id);
    if (dto.url !== undefined) {
      await this.checkUrl(dto.url);
      hook.url = dto.url;
    }
    if (dto.name !== undefined) hook.name = dto.name;
    if (dto.events !== undefined) hook.events = dto.events;
    if (dto.datasource_id !== undefined) hook.dataSourceId = dto.datasource_id;
    if (dto.active !== undefined) {
      if (dto.active && !hook.active) {
        hook.consecutiveFailures = 0;
        hook.disabledReason = null;
      }
      hook.active = dto.active;
    }
    hook.updatedAt = new Date();
    return toWebhookDto(await this.hooks.save(hook));
  }

  async rotateSecret(id: string): Promise<WebhookDto> {
    const hook = await this.require(id);
    const secret = newWebhookSecret();
    hook.secret = this.cipher.encrypt(secret);
    hook.updatedAt = new Date();
    return { ...toWebhookDto(await this.hooks.save(hook)), secret };
  }

  async remove(id: string): Promise<void> {
    await this.require(id);
    await this.hooks.delete({ id });
  }

  async listDeliveries(id: string, q: ListDeliveriesQueryDto) {
    await this.require(id);
    const p = pageRequest(q);
    const where: FindOptionsWhere<WebhookDeliveryEntity> = { webhookId: id };
    if (q.status) where.status = q.status;
    const [rows, total] = await this.deliveries.findAndCount({
      where,
      order: { id: 'DESC' },
      skip: p.skip,
      take: p.pageSize,
    });
    return pageOf('deliveries', rows.map(toDeliveryDto), total, p);
  }

  /** Sends an event again as a new delivery, with the same event id so receivers can de-duplicate. */
  async redeliver(id: string, deliveryId: string): Promise<DeliveryDto> {
    await this.require(id);
    const original = await this.deliveries.findOne({ where: { id: deliveryId, webhookId: id } });
    if (!original) throw new DomainException(ErrorReason.DeliveryNotFound, `Delivery ${deliveryId} not found`);
    if (original.status === 'pending')
      throw new DomainException(
        ErrorReason.DeliveryPending,
        'That delivery is still pending',
        'Wait for it to succeed or fail before redelivering',
      );
    const now = new Date();
    const copy = await this.deliveries.save(
      this.deliveries.create({
        id: newId('dlv'),
        webhookId: id,
        eventId: original.eventId,
        eventType: original.eventType,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
      }),
    );
    return toDeliveryDto(copy);
  }

  async ping(id: string): Promise<{ event_id: string }> {
    const hook = await this.require(id);
    const eventId = await this.db.transaction((m) => this.outbox.enqueuePing(m, hook));
    return { event_id: eventId };
  }

  private async checkUrl(url: string): Promise<void> {
    try {
      await this.guard(new URL(url).hostname);
    } catch (err) {
      if (err instanceof ConnectorError)
        throw new DomainException(ErrorReason.WebhookUrlRefused, `Webhook URL refused: ${err.message}`, err.hint);
      throw err;
    }
  }

  private async require(id: string): Promise<WebhookEntity> {
    const hook = await this.hooks.findOne({ where: { id } });
    if (!hook) throw new DomainException(ErrorReason.WebhookNotFound, `Webhook ${id} not found`);
    return hook;
  }
}
