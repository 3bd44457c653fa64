import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../common/timestamps';

@Index('ix_webhooks_active', ['active'])
@Entity('webhooks')
export class WebhookEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 }) id: string;
  @Column({ type: 'varchar', length: 128 }) name: string;
  @Column({ type: 'varchar', length: 2048 }) url: string;
  @Column({ type: 'simple-json' }) events: string[];
  @Column({ name: 'datasource_id', type: 'varchar', length: 40, nullable: true }) dataSourceId: string | null;
  @Column({ type: 'boolean', default: true }) active: boolean;
  /** Encrypted with SecretCipher; shown in clear once, at creation or rotation. */
  @Column({ type: 'text' }) secret: string;
  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 }) consecutiveFailures: number;
  @Column({ name: 'disabled_reason', type: 'varchar', length: 512, nullable: true }) disabledReason: string | null;
  @Column({ name: 'created_by', type: 'varchar', length: 40, nullable: true }) createdBy: string | null;
  @TimestampColumn({ name: 'created_at' }) createdAt: Date;
  @TimestampColumn({ name: 'updated_at' }) updatedAt: Date;
}

/** The outbox: one row per event, written in the transaction of the change that caused it. */
@Index('ix_webhook_events_created', ['createdAt'])
@Entity('webhook_events')
export class WebhookEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 }) id: string;
  @Column({ type: 'varchar', length: 64 }) type: string;
  @Column({ name: 'datasource_id', type: 'varchar', length: 40, nullable: true }) dataSourceId: string | null;
  /** The JSON body sent to receivers. */
  @Column({ type: 'text' }) payload: string;
  @TimestampColumn({ name: 'created_at' }) createdAt: Date;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

@Index('ix_webhook_deliveries_pending', ['status', 'webhookId', 'id'])
@Index('ix_webhook_deliveries_webhook', ['webhookId', 'createdAt'])
@Entity('webhook_deliveries')
export class WebhookDeliveryEntity {
  /** Time-sortable: per-webhook order is id order. */
  @PrimaryColumn({ type: 'varchar', length: 40 }) id: string;
  @ForeignKey('webhooks', { onDelete: 'CASCADE' })
  @Column({ name: 'webhook_id', type: 'varchar', length: 40 })
  webhookId: string;
  @ForeignKey('webhook_events', { onDelete: 'CASCADE' })
  @Column({ name: 'event_id', type: 'varchar', length: 40 })
  eventId: string;
  @Column({ name: 'event_type', type: 'varchar', length: 64 }) eventType: string;
  @Column({ type: 'varchar', length: 16 }) status: DeliveryStatus;
  @Column({ type: 'integer', default: 0 }) attempts: number;
  @TimestampColumn({ name: 'next_attempt_at', nullable: true }) nextAttemptAt: Date | null;
  @Column({ name: 'last_status_code', type: 'integer', nullable: true }) lastStatusCode: number | null;
  @Column({ name: 'last_latency_ms', type: 'integer', nullable: true }) lastLatencyMs: number | null;
  @Column({ name: 'last_error', type: 'varchar', length: 1024, nullable: true }) lastError: string | null;
  @Column({ name: 'locked_by', type: 'varchar', length: 64, nullable: true }) lockedBy: string | null;
  @TimestampColumn({ name: 'locked_until', nullable: true }) lockedUntil: Date | null;
  @TimestampColumn({ name: 'created_at' }) createdAt: Date;
  @TimestampColumn({ name: 'delivered_at', nullable: true }) deliveredAt: Date | null;
}
