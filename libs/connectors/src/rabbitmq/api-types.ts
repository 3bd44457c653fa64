/** The parts of the management API's JSON the catalog reads (see the RabbitMQ HTTP API reference). */

export type Args = Record<string, unknown>;

export interface ApiOverview {
  rabbitmq_version?: string;
  erlang_version?: string;
  cluster_name?: string;
  management_version?: string;
  product_name?: string;
  product_version?: string;
}

export interface ApiVhost {
  name: string;
  description?: string;
  tags?: string[];
  default_queue_type?: string;
  tracing?: boolean;
  messages?: number;
  messages_ready?: number;
  messages_unacknowledged?: number;
  metadata?: { description?: string; tags?: string[]; default_queue_type?: string };
}

export interface ApiExchange {
  name: string;
  vhost: string;
  type: string;
  durable: boolean;
  auto_delete: boolean;
  internal: boolean;
  arguments?: Args;
  policy?: string | null;
}

export interface ApiQueue {
  name: string;
  vhost: string;
  type?: string;
  durable: boolean;
  auto_delete: boolean;
  exclusive?: boolean;
  arguments?: Args;
  state?: string;
  node?: string;
  leader?: string;
  members?: string[];
  policy?: string | null;
  operator_policy?: string | null;
  effective_policy_definition?: Args;
  messages?: number;
  messages_ready?: number;
  messages_unacknowledged?: number;
  message_bytes?: number;
  consumers?: number;
  memory?: number;
}

export interface ApiBinding {
  source: string;
  vhost: string;
  destination: string;
  destination_type: 'queue' | 'exchange';
  routing_key: string;
  arguments?: Args;
}

export interface ApiPolicy {
  name: string;
  vhost: string;
  pattern: string;
  'apply-to': string;
  definition: Args;
  priority: number;
}
