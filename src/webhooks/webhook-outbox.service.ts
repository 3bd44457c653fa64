import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { newId } from '../common/ids';
import { iso } from '../common/timestamps';
import { WebhookDeliveryEntity, WebhookEntity, WebhookEventEntity } from './webhook.entities';
import { WebhookEventInput, WebhookPayload } from './webhook-events';

/**
 * Records events in the store inside the caller's transaction: the event and one delivery per
 * subscribed webhook commit with the change that caused them, or not at all.
 */
@Injectable()
export class WebhookOutboxService {
  async enqueue(manager: EntityManager, event: WebhookEventInput): Promise<string> {
    const hooks = await manager.find(WebhookEntity, { where: { active: true } });
    const targets = hooks.filter(
      (h) => h.events.includes(event.type) && (!h.dataSourceId || h.dataSourceId === event.dataSourceId),
    );
    return this.insert(manager, event.type, event.dataSourceId ?? null, event.data, targets);
  }

  /** A `ping` for one webhook, regardless of its subscriptions. */
  async enqueuePing(manager: EntityManager, hook: WebhookEntity): Promise<string> {
    return this.insert(manager, 'ping', null, { webhook_id: hook.id, message: 'ping' }, [hook]);
  }

  private async insert(
    manager: EntityManager,
    type: WebhookPayload['type'],
    dataSourceId: string | null,
    data: Record<string, unknown>,
    targets: WebhookEntity[],
  ): Promise<string> {
    const now = new Date();
    const id = newId('evt');
    const payload: WebhookPayload = { id, type, created_at: iso(now)!, data };
    await manager.insert(WebhookEventEntity, {
      id,
      type,
      dataSourceId,
      payload: JSON.stringify(payload),
      createdAt: now,
    });
    for (const hook of targets) {
      await manager.insert(WebhookDeliveryEntity, {
        id: newId('dlv'),
        webhookId: hook.id,
        eventId: id,
        eventType: type,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
      });
    }
    return id;
  }
}
