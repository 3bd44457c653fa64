/** The events a webhook can subscribe to. `ping` is sent only by POST /webhooks/{id}/ping. */
export const WEBHOOK_EVENT_TYPES = [
  'datasource.status_changed',
  'datasource.connection_failed',
  'execution.finished',
  'metadata.changed',
  'annotations.changed',
  'lineage.changed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEventInput {
  type: WebhookEventType;
  /** Set for events about one data source, so a webhook's data-source filter applies. */
  dataSourceId?: string | null;
  data: Record<string, unknown>;
}

/** What a receiver gets: `id` is stable across retries and redeliveries, for idempotency. */
export interface WebhookPayload {
  id: string;
  type: WebhookEventType | 'ping';
  created_at: string;
  data: Record<string, unknown>;
}
