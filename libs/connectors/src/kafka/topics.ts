/** Maps what the brokers say about a topic onto a catalog asset. Pure: no I/O. */
import { createHash } from 'node:crypto';
import type { ConfigEntries, ITopicMetadata } from 'kafkajs';
import { CatalogAsset } from '../core/types';
import { TopicSchemas } from './topic-schemas';

/** Kafka's own topics (`__consumer_offsets`, `__transaction_state`, `__cluster_metadata`) start with `__`. */
export function isInternalTopic(name: string): boolean {
  return name.startsWith('__');
}

export interface PartitionOffsets {
  partition: number;
  low: string;
  high: string;
}

/** Committed offsets of one consumer group on one topic. */
export interface GroupCommits {
  groupId: string;
  state: string | null;
  members: number | null;
  partitions: Array<{ partition: number; offset: string }>;
}

/** The configs most people ask about, always listed (default or not). */
export const KEY_CONFIGS = [
  'retention.ms',
  'retention.bytes',
  'cleanup.policy',
  'min.insync.replicas',
  'max.message.bytes',
  'segment.bytes',
  'compression.type',
];

export function summarizeConfigs(entries: readonly ConfigEntries[]): {
  key: Record<string, string | null>;
  overrides: Record<string, string | null>;
} {
  const key: Record<string, string | null> = {};
  const overrides: Record<string, string | null> = {};
  for (const e of entries) {
    // Sensitive values are never returned by brokers anyway; do not store whatever stands in for them.
    const value = e.isSensitive ? null : e.configValue;
    if (KEY_CONFIGS.includes(e.configName)) key[e.configName] = value;
    if (!e.isDefault) overrides[e.configName] = value;
  }
  return { key, overrides };
}

/** Partition layout, configs and registered schema versions: what marks a change of a topic's shape. */
export function topicChangeSignal(
  meta: ITopicMetadata,
  configs: readonly ConfigEntries[] | null,
  subjects: ReadonlyArray<{ subject: string; versions: readonly number[] }> = [],
): string {
  const layout = [...meta.partitions]
    .sort((a, b) => a.partitionId - b.partitionId)
    .map((p) => [p.partitionId, p.leader, [...p.replicas].sort((a, b) => a - b), [...p.isr].sort((a, b) => a - b)]);
  const cfg = configs ? [...configs].map((c) => [c.configName, c.isSensitive ? null : c.configValue]).sort() : null;
  return createHash('sha1')
    .update(JSON.stringify([layout, cfg, ...(subjects.length ? [subjects.map((s) => [s.subject, s.versions])] : [])]))
    .digest('hex');
}

const big = (s: string): bigint => {
  try {
    return BigInt(s);
  } catch {
    return 0n;
  }
};

/** Lag per group: high watermark minus committed offset, summed over the partitions the group committed. */
export function groupLags(commits: readonly GroupCommits[], offsets: readonly PartitionOffsets[] | null) {
  const high = new Map((offsets ?? []).map((o) => [o.partition, big(o.high)]));
  return commits.map((g) => {
    let lag: bigint | null = offsets ? 0n : null;
    const committed = g.partitions.filter((p) => big(p.offset) >= 0n);
    for (const p of committed) {
      const h = high.get(p.partition);
      if (lag !== null && h !== undefined) lag += h > big(p.offset) ? h - big(p.offset) : 0n;
    }
    return {
      group_id: g.groupId,
      state: g.state,
      members: g.members,
      partitions_committed: committed.length,
      lag: lag === null ? null : Number(lag),
    };
  });
}

export interface TopicReads {
  schemas?: TopicSchemas;
  configs: readonly ConfigEntries[] | null;
  configsError?: string;
  offsets: readonly PartitionOffsets[] | null;
  groups: readonly GroupCommits[] | null;
  groupsError?: string;
}

export function topicAsset(
  namespace: string,
  meta: ITopicMetadata,
  reads: TopicReads,
  changeSignal: string,
): CatalogAsset {
  const partitions = [...meta.partitions]
    .sort((a, b) => a.partitionId - b.partitionId)
    .map((p) => ({
      partition: p.partitionId,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
      offline_replicas: p.offlineReplicas ?? [],
    }));
  // Offsets and lag move with every message: kept under properties that are statistics, not shape.
  const offsets = reads.offsets
    ? [...reads.offsets]
        .sort((a, b) => a.partition - b.partition)
        .map((o) => ({ partition: o.partition, low: o.low, high: o.high, messages: Number(big(o.high) - big(o.low)) }))
    : null;
  const messages = offsets ? offsets.reduce((n, o) => n + o.messages, 0) : null;
  const schemas = reads.schemas;
  const configs = reads.configs ? summarizeConfigs(reads.configs) : null;
  const replication = Math.max(0, ...meta.partitions.map((p) => p.replicas.length));
  return {
    namespace,
    name: meta.name,
    kind: 'topic',
    properties: {
      internal: isInternalTopic(meta.name),
      partitions: meta.partitions.length,
      replication_factor: replication,
      min_isr_observed: meta.partitions.length ? Math.min(...meta.partitions.map((p) => p.isr.length)) : null,
      under_replicated_partitions: meta.partitions.filter((p) => p.isr.length < p.replicas.length).length,
      offline_partitions: meta.partitions.filter((p) => p.leader < 0).length,
      leaders: [...new Set(meta.partitions.map((p) => p.leader))].sort((a, b) => a - b),
      partition_details: partitions,
      offsets,
      configs: configs?.key ?? null,
      config_overrides: configs?.overrides ?? null,
      ...(reads.configsError ? { configs_unavailable: reads.configsError } : {}),
      consumers: reads.groups ? groupLags(reads.groups, reads.offsets) : null,
      ...(reads.groupsError ? { consumer_groups_unavailable: reads.groupsError } : {}),
      messages,
      ...(schemas ? { key_schema: schemas.key, value_schema: schemas.value } : {}),
      ...(schemas?.sample ? { sample: schemas.sample } : {}),
    },
    statistics: { rows: messages, bytes: null },
    fields: schemas?.fields ?? [],
    changeSignal,
  };
}
