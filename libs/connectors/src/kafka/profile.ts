/** A topic's profile: message counts per partition and consumer lag per group, from offsets. */
import { AssetProfile, ColumnProfile, ProfileTarget } from '../core/types';
import { AdminCall, KafkaAdmin } from './admin';
import { readGroups } from './collect';
import { GroupCommits, groupLags, PartitionOffsets } from './topics';

function numeric(name: string, values: Array<number | null>): ColumnProfile {
  const present = values.filter((v): v is number => v !== null);
  const n = values.length;
  const mean = present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
  const variance = mean === null ? null : present.reduce((a, v) => a + (v - mean) ** 2, 0) / present.length;
  const distinct = new Set(present).size;
  return {
    name,
    null_count: n - present.length,
    null_ratio: n ? (n - present.length) / n : 0,
    distinct_count: distinct,
    distinct_ratio: n ? distinct / n : 0,
    min: present.length ? Math.min(...present) : null,
    max: present.length ? Math.max(...present) : null,
    mean: mean === null ? null : Math.round(mean * 100) / 100,
    stddev: variance === null ? null : Math.round(Math.sqrt(variance) * 100) / 100,
  };
}

export function profileTopic(offsets: PartitionOffsets[], groups: GroupCommits[] | null): AssetProfile {
  const perPartition = offsets.map((o) => Number(BigInt(o.high) - BigInt(o.low)));
  const lags = groups ? groupLags(groups, offsets).map((g) => g.lag) : [];
  return {
    // Offsets count every retained message exactly (compacted or transactional topics hold fewer records).
    row_count: perPartition.reduce((a, b) => a + b, 0),
    sampled: false,
    columns: [numeric('messages_per_partition', perPartition), numeric('consumer_group_lag', lags)],
  };
}

/** Reads a topic's offsets and the groups that consume it, then profiles them. */
export async function profileKafkaTopic(
  admin: KafkaAdmin,
  target: ProfileTarget,
  signal: AbortSignal,
  call: AdminCall,
): Promise<AssetProfile> {
  const offsets = await call(() => admin.fetchTopicOffsets(target.name), signal, `offsets of ${target.name}`);
  const groups = await readGroups(admin, signal, call);
  return profileTopic(
    offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high })),
    'byTopic' in groups ? (groups.byTopic.get(target.name) ?? []) : null,
  );
}
