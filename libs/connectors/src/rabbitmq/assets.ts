/** Maps management-API objects onto catalog assets. Pure: no I/O. */
import { CatalogAsset, CatalogNamespace } from '../core/types';
import { ApiBinding, ApiExchange, ApiOverview, ApiPolicy, ApiQueue, ApiVhost, Args } from './api-types';
import { applicablePolicy } from './policies';

/**
 * Exchanges and queues live in separate name spaces in RabbitMQ, so an exchange and a queue are
 * often both called `orders`; the catalog keys assets by name, hence the kind prefix.
 */
export const exchangeAssetName = (name: string): string => `exchange:${name}`;
export const queueAssetName = (name: string): string => `queue:${name}`;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The lower of an argument and a policy value: RabbitMQ enforces whichever limit is tighter. */
function tighter(arg: unknown, policy: unknown): number | null {
  const values = [num(arg), num(policy)].filter((v): v is number => v !== null);
  return values.length ? Math.min(...values) : null;
}

export function queueType(q: ApiQueue): string {
  return q.type ?? str(q.arguments?.['x-queue-type']) ?? 'classic';
}

/** Limits and dead-lettering in force, from the queue's arguments and its policy together. */
export function effectiveQueueSettings(args: Args, policy: Args): Record<string, unknown> {
  return {
    dead_letter_exchange: str(args['x-dead-letter-exchange']) ?? str(policy['dead-letter-exchange']),
    dead_letter_routing_key: str(args['x-dead-letter-routing-key']) ?? str(policy['dead-letter-routing-key']),
    message_ttl_ms: tighter(args['x-message-ttl'], policy['message-ttl']),
    expires_ms: tighter(args['x-expires'], policy['expires']),
    max_length: tighter(args['x-max-length'], policy['max-length']),
    max_length_bytes: tighter(args['x-max-length-bytes'], policy['max-length-bytes']),
    overflow: str(args['x-overflow']) ?? str(policy['overflow']),
    max_priority: num(args['x-max-priority']),
    delivery_limit: tighter(args['x-delivery-limit'], policy['delivery-limit']),
    single_active_consumer: args['x-single-active-consumer'] === true,
  };
}

const bindingOut = (b: ApiBinding) => ({
  destination: b.destination,
  destination_type: b.destination_type,
  routing_key: b.routing_key,
  arguments: b.arguments ?? {},
});
const bindingIn = (b: ApiBinding) => ({ source: b.source, routing_key: b.routing_key, arguments: b.arguments ?? {} });

export interface VhostContext {
  vhost: string;
  bindings: readonly ApiBinding[];
  policies: readonly ApiPolicy[];
  operatorPolicies: readonly ApiPolicy[] | null;
}

export function exchangeAsset(e: ApiExchange, ctx: VhostContext): CatalogAsset {
  const policy = e.policy ?? applicablePolicy(ctx.policies, 'exchange', e.name)?.name ?? null;
  const definition = ctx.policies.find((p) => p.name === policy)?.definition ?? {};
  const args = e.arguments ?? {};
  return {
    namespace: ctx.vhost,
    name: exchangeAssetName(e.name),
    kind: 'exchange',
    properties: {
      name: e.name,
      type: e.type,
      durable: e.durable,
      auto_delete: e.auto_delete,
      internal: e.internal,
      arguments: args,
      alternate_exchange: str(args['alternate-exchange']) ?? str(definition['alternate-exchange']),
      builtin: e.name.startsWith('amq.'),
      policy,
      effective_policy_definition: definition,
      bindings: ctx.bindings.filter((b) => b.source === e.name).map(bindingOut),
      bound_from: ctx.bindings
        .filter((b) => b.destination_type === 'exchange' && b.destination === e.name)
        .map(bindingIn),
    },
    fields: [],
  };
}

export function queueAsset(q: ApiQueue, ctx: VhostContext): CatalogAsset {
  const type = queueType(q);
  const args = q.arguments ?? {};
  const policyName = q.policy ?? applicablePolicy(ctx.policies, 'queue', q.name, type)?.name ?? null;
  const definition =
    q.effective_policy_definition && Object.keys(q.effective_policy_definition).length > 0
      ? q.effective_policy_definition
      : (ctx.policies.find((p) => p.name === policyName)?.definition ?? {});
  const operatorPolicy =
    q.operator_policy ??
    (ctx.operatorPolicies ? (applicablePolicy(ctx.operatorPolicies, 'queue', q.name, type)?.name ?? null) : null);
  return {
    namespace: ctx.vhost,
    name: queueAssetName(q.name),
    kind: 'queue',
    properties: {
      name: q.name,
      type,
      durable: q.durable,
      auto_delete: q.auto_delete,
      exclusive: q.exclusive ?? false,
      arguments: args,
      ...effectiveQueueSettings(args, definition),
      state: q.state ?? null,
      node: q.node ?? q.leader ?? null,
      members: q.members ?? null,
      messages_ready: num(q.messages_ready),
      messages_unacknowledged: num(q.messages_unacknowledged),
      consumers: num(q.consumers),
      policy: policyName,
      operator_policy: operatorPolicy,
      effective_policy_definition: definition,
      bindings: ctx.bindings.filter((b) => b.destination_type === 'queue' && b.destination === q.name).map(bindingIn),
    },
    statistics: { rows: num(q.messages), bytes: num(q.message_bytes) },
    fields: [],
  };
}

const policySummary = (p: ApiPolicy) => ({
  name: p.name,
  pattern: p.pattern,
  apply_to: p['apply-to'],
  priority: p.priority,
  definition: p.definition,
});

export function vhostNamespace(
  v: ApiVhost,
  overview: ApiOverview,
  ctx: VhostContext,
  counts: { exchanges: number; queues: number },
): CatalogNamespace {
  return {
    name: v.name,
    kind: 'vhost',
    properties: {
      description: v.description ?? v.metadata?.description ?? null,
      tags: v.tags ?? v.metadata?.tags ?? [],
      default_queue_type: v.default_queue_type ?? v.metadata?.default_queue_type ?? null,
      tracing: v.tracing ?? false,
      messages: num(v.messages),
      messages_ready: num(v.messages_ready),
      messages_unacknowledged: num(v.messages_unacknowledged),
      exchanges: counts.exchanges,
      queues: counts.queues,
      policies: ctx.policies.map(policySummary),
      operator_policies: ctx.operatorPolicies?.map(policySummary) ?? null,
      server: {
        product: overview.product_name ?? 'RabbitMQ',
        version: overview.product_version ?? overview.rabbitmq_version ?? null,
        erlang_version: overview.erlang_version ?? null,
        cluster_name: overview.cluster_name ?? null,
      },
    },
  };
}
