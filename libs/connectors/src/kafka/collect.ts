import { ConfigEntries, ConfigResourceTypes } from 'kafkajs';
import { isUnchanged } from '../core/change-signals';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { mapLimit } from '../core/lists';
import { inScope, namespaceInScope } from '../core/scope';
import { AssetRef, CatalogAsset, CatalogBatch, CollectOptions } from '../core/types';
import { AdminCall, KafkaAdmin } from './admin';
import { KafkaSettings } from './config';
import { GroupCommits, isInternalTopic, PartitionOffsets, topicAsset, topicChangeSignal } from './topics';

/** Parallel requests per step (offsets per topic, offsets per group). */
const CONCURRENCY = 4;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export type GroupsRead = { byTopic: Map<string, GroupCommits[]> } | { error: string };

/** The cluster as one namespace, its topics as assets in batches; unchanged topics skip the offset reads. */
export async function* collectKafka(
  admin: KafkaAdmin,
  settings: KafkaSettings,
  options: CollectOptions,
  call: AdminCall,
): AsyncGenerator<CatalogBatch> {
  const { signal } = options;
  const cluster = await call(() => admin.describeCluster(), signal, 'describeCluster');
  const namespace = cluster.clusterId || 'kafka';
  if (!namespaceInScope(options.scope, namespace)) return;

  const topics = (await call(() => admin.listTopics(), signal, 'listTopics'))
    .filter((t) => settings.includeInternalTopics || !isInternalTopic(t))
    .filter((t) => inScope(options.scope.includeTables, options.scope.excludeTables, t))
    .sort();
  const stats = options.mode !== 'schema_only';
  const groups = stats ? await readGroups(admin, signal, call) : undefined;

  const namespaceBatch = {
    name: namespace,
    kind: 'cluster' as const,
    properties: {
      cluster_id: cluster.clusterId,
      controller: cluster.controller,
      brokers: [...cluster.brokers]
        .sort((a, b) => a.nodeId - b.nodeId)
        .map((b) => ({ node_id: b.nodeId, host: b.host, port: b.port })),
      topics: topics.length,
      include_internal_topics: settings.includeInternalTopics,
      ...(groups && 'error' in groups ? { consumer_groups_unavailable: groups.error } : {}),
      ...(groups && 'byTopic' in groups
        ? { consumer_groups: new Set([...groups.byTopic.values()].flat().map((g) => g.groupId)).size }
        : {}),
    },
  };

  const size = Math.max(1, options.batchSize);
  let configsError: string | undefined;
  let done = 0;
  if (topics.length === 0) yield { namespaces: [namespaceBatch], assets: [] };
  for (let start = 0; start < topics.length; start += size) {
    const chunk = topics.slice(start, start + size);
    const { topics: metadata } = await call(
      () => admin.fetchTopicMetadata({ topics: chunk }),
      signal,
      'fetchTopicMetadata',
    );
    let configs: Map<string, ConfigEntries[]> | null = null;
    if (!configsError) {
      try {
        configs = await readConfigs(admin, chunk, signal, call);
      } catch (err) {
        if (err instanceof ConnectorError && err.code === ConnectorErrorCode.Cancelled) throw err;
        // Some brokers (and proxies) do not answer DescribeConfigs; the rest of the catalog still stands.
        configsError = errorText(err instanceof ConnectorError && err.cause ? err.cause : err);
      }
    }

    const assets: CatalogAsset[] = [];
    const unchanged: AssetRef[] = [];
    const toRead = metadata
      .map((meta) => ({ meta, entries: configs?.get(meta.name) ?? null }))
      .map((t) => ({ ...t, signal: topicChangeSignal(t.meta, t.entries) }));
    const changed = toRead.filter((t) => {
      if (!isUnchanged(options, namespace, t.meta.name, t.signal)) return true;
      unchanged.push({ namespace, name: t.meta.name });
      return false;
    });
    const offsets = stats
      ? await mapLimit(changed, CONCURRENCY, (t) =>
          call(() => admin.fetchTopicOffsets(t.meta.name), signal, `offsets of ${t.meta.name}`),
        )
      : changed.map(() => null);
    changed.forEach((t, i) => {
      const topicOffsets: PartitionOffsets[] | null =
        offsets[i]?.map((o) => ({ partition: o.partition, low: o.low, high: o.high })) ?? null;
      assets.push(
        topicAsset(
          namespace,
          t.meta,
          {
            configs: t.entries,
            configsError,
            offsets: topicOffsets,
            groups: groups && 'byTopic' in groups ? (groups.byTopic.get(t.meta.name) ?? []) : null,
            groupsError: groups && 'error' in groups ? groups.error : undefined,
          },
          t.signal,
        ),
      );
    });
    done += chunk.length;
    options.onProgress?.(done, topics.length);
    yield {
      ...(start === 0 ? { namespaces: [namespaceBatch] } : {}),
      assets,
      ...(unchanged.length ? { unchanged } : {}),
    };
  }
}

async function readConfigs(
  admin: KafkaAdmin,
  topics: string[],
  signal: AbortSignal,
  call: AdminCall,
): Promise<Map<string, ConfigEntries[]>> {
  const response = await call(
    () =>
      admin.describeConfigs({
        resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
        includeSynonyms: false,
      }),
    signal,
    'describeConfigs',
  );
  return new Map(response.resources.filter((r) => r.errorCode === 0).map((r) => [r.resourceName, r.configEntries]));
}

/** Consumer groups with their committed offsets per topic, or why the brokers would not say. */
export async function readGroups(admin: KafkaAdmin, signal: AbortSignal, call: AdminCall): Promise<GroupsRead> {
  try {
    const { groups } = await call(() => admin.listGroups(), signal, 'listGroups');
    const consumers = groups
      .filter((g) => g.protocolType === 'consumer' || g.protocolType === '')
      .map((g) => g.groupId)
      .sort();
    const described = new Map<string, { state: string; members: number }>();
    for (let i = 0; i < consumers.length; i += 100) {
      const { groups: page } = await call(
        () => admin.describeGroups(consumers.slice(i, i + 100)),
        signal,
        'describeGroups',
      );
      for (const g of page) described.set(g.groupId, { state: g.state, members: g.members.length });
    }
    const byTopic = new Map<string, GroupCommits[]>();
    const commits = await mapLimit(consumers, CONCURRENCY, (groupId) =>
      call(() => admin.fetchOffsets({ groupId }), signal, `offsets of group ${groupId}`),
    );
    consumers.forEach((groupId, i) => {
      for (const t of commits[i]) {
        const entry: GroupCommits = {
          groupId,
          state: described.get(groupId)?.state ?? null,
          members: described.get(groupId)?.members ?? null,
          partitions: t.partitions.map((p) => ({ partition: p.partition, offset: p.offset })),
        };
        if (!entry.partitions.some((p) => BigInt(p.offset) >= 0n)) continue;
        let list = byTopic.get(t.topic);
        if (!list) byTopic.set(t.topic, (list = []));
        list.push(entry);
      }
    });
    return { byTopic };
  } catch (err) {
    if (
      err instanceof ConnectorError &&
      (err.code === ConnectorErrorCode.Cancelled || err.code === ConnectorErrorCode.Timeout)
    )
      throw err;
    return { error: errorText(err instanceof ConnectorError && err.cause ? err.cause : err) };
  }
}
