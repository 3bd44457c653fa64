import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AddressGuard } from '@app/connectors';
import { webhooksConfig, WebhooksConfig } from '../config/configuration';
import { SecretCipher } from '../common/crypto/secret-cipher';
import { newId } from '../common/ids';
import { DomainMetrics } from '../metrics/domain-metrics';
import { SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from './signature';
import { WebhookDeliveryEntity, WebhookEntity, WebhookEventEntity } from './webhook.entities';
import { send, SendResult } from './webhook-sender';
import { WEBHOOK_ADDRESS_GUARD } from './webhooks.service';

const SCAN_LIMIT = 500;
const PARALLEL_SENDS = 8;

/** Exponential backoff with ±50 % jitter, capped. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.5 + random()));
}

/**
 * Sends pending deliveries from the store. Per webhook only the oldest pending delivery is
 * eligible, so receivers see events in order; each send is claimed with one conditional update,
 * so replicas never send the same delivery at once; a crashed sender's claim expires and the
 * delivery is retried (at least once, with a stable event id for de-duplication).
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly instanceId = newId('inst');
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;

  constructor(
    @InjectRepository(WebhookDeliveryEntity) private readonly deliveries: Repository<WebhookDeliveryEntity>,
    @InjectRepository(WebhookEntity) private readonly hooks: Repository<WebhookEntity>,
    @InjectRepository(WebhookEventEntity) private readonly events: Repository<WebhookEventEntity>,
    private readonly cipher: SecretCipher,
    @Inject(WEBHOOK_ADDRESS_GUARD) private readonly guard: AddressGuard,
    @Inject(webhooksConfig.KEY) private readonly cfg: WebhooksConfig,
    private readonly metrics: DomainMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.ticking) this.ticking = this.tick().finally(() => (this.ticking = undefined));
    }, this.cfg.dispatchIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  async tick(): Promise<void> {
    try {
      const now = new Date();
      const pending = await this.deliveries.find({
        where: { status: 'pending' },
        order: { webhookId: 'ASC', id: 'ASC' },
        take: SCAN_LIMIT,
      });
      const heads = new Map<string, WebhookDeliveryEntity>();
      for (const d of pending) if (!heads.has(d.webhookId)) heads.set(d.webhookId, d);
      const hooks = new Map(
        (await this.hooks.find({ where: { id: In([...heads.keys()]), active: true } })).map((h) => [h.id, h]),
      );
      const due = [...heads.values()].filter(
        (d) =>
          hooks.has(d.webhookId) &&
          (!d.nextAttemptAt || d.nextAttemptAt <= now) &&
          (!d.lockedUntil || d.lockedUntil < now),
      );
      for (let i = 0; i < due.length; i += PARALLEL_SENDS) {
        await Promise.all(due.slice(i, i + PARALLEL_SENDS).map((d) => this.attempt(d, hooks.get(d.webhookId)!)));
      }
    } catch (err) {
      this.logger.error({ err }, 'Webhook dispatch failed');
    }
  }

  private async claim(d: WebhookDeliveryEntity, now: Date): Promise<boolean> {
    const until = new Date(now.getTime() + this.cfg.timeoutMs + 10_000);
    const res = await this.deliveries
      .createQueryBuilder()
      .update()
      .set({ lockedBy: this.instanceId, lockedUntil: until })
      .where(
        'id = :id AND status = :pending AND attempts = :attempts AND (locked_until IS NULL OR locked_until < :now)',
        {
          id: d.id,
          pending: 'pending',
          attempts: d.attempts,
          now: now.getTime(),
        },
      )
      .execute();
    return res.affected === 1;
  }

  private async attempt(d: WebhookDeliveryEntity, hook: WebhookEntity): Promise<void> {
    const now = new Date();
    if (!(await this.claim(d, now))) return;
    const event = await this.events.findOne({ where: { id: d.eventId } });
    if (!event) {
      await this.deliveries.update(
        { id: d.id },
        { status: 'failed', lastError: 'Event no longer exists', lockedBy: null, lockedUntil: null },
      );
      return;
    }
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'metadata-service-webhooks/1',
      'X-Webhook-Id': hook.id,
      'X-Webhook-Event': d.eventType,
      'X-Webhook-Delivery': d.id,
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: sign(this.cipher.decrypt(hook.secret), timestamp, event.payload),
    };
    const result = await send(hook.url, headers, event.payload, this.cfg.timeoutMs, this.guard);
    await this.record(d, hook, result);
  }

  private async record(d: WebhookDeliveryEntity, hook: WebhookEntity, r: SendResult): Promise<void> {
    const attempts = d.attempts + 1;
    this.metrics.webhookAttempt(
      r.ok ? 'succeeded' : r.retryable && attempts < this.cfg.maxAttempts ? 'retrying' : 'failed',
    );
    const common = {
      attempts,
      lastStatusCode: r.statusCode ?? null,
      lastLatencyMs: r.latencyMs,
      lockedBy: null,
      lockedUntil: null,
    };
    if (r.ok) {
      await this.deliveries.update(
        { id: d.id },
        { ...common, status: 'succeeded', lastError: null, deliveredAt: new Date(), nextAttemptAt: null },
      );
      if (hook.consecutiveFailures > 0) await this.hooks.update({ id: hook.id }, { consecutiveFailures: 0 });
      return;
    }
    const lastError = (r.error ?? 'failed').slice(0, 1024);
    if (r.retryable && attempts < this.cfg.maxAttempts) {
      const next = new Date(Date.now() + retryDelayMs(attempts, this.cfg.retryBaseMs, this.cfg.retryMaxMs));
      await this.deliveries.update({ id: d.id }, { ...common, status: 'pending', lastError, nextAttemptAt: next });
      return;
    }
    await this.deliveries.update({ id: d.id }, { ...common, status: 'failed', lastError, nextAttemptAt: null });
    const failures = hook.consecutiveFailures + 1;
    const disable = failures >= this.cfg.disableAfterFailures;
    await this.hooks.update(
      { id: hook.id },
      disable
        ? {
            consecutiveFailures: failures,
            active: false,
            disabledReason: `Disabled after ${failures} consecutive failed events; last error: ${lastError}`.slice(
              0,
              512,
            ),
          }
        : { consecutiveFailures: failures },
    );
    if (disable) this.logger.warn(`Webhook ${hook.id} disabled after ${failures} consecutive failed events`);
  }
}
