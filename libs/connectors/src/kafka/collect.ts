import { ConfigEntries, ConfigResourceTypes } from 'kafkajs';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { mapLimit } from '../core/lists';
import { inScope, namespaceInScope } from '../core/scope';
import { CatalogAsset, CatalogBatch, CollectOptions } from '../core/types';
import { AdminCall, KafkaAdmin } from './admin';
import { KafkaSettings } from './config';
import { MessageSampler } from './message-sampler';
import { SchemaRegistryClient } from './schema-registry';
import { readTopicSchemas, SubjectInfo, subjectsOfTopic, TopicSchemas } from './topic-schemas';
import { GroupCommits, isInternalTopic, PartitionOffsets, topicAsset, topicChangeSignal } from './topics';

/** Parallel requests per step (offsets per topic, offsets per group). */
const CONCURRENCY = 4;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export type GroupsRead = { byTopic: Map<string, GroupCommits[]> } | { error: string };

/** Where topic schemas come from: the registry, and the message sampler for what it leaves open. */
export interface SchemaSources {
  registry?: SchemaRegistryClient;
  sampler?: MessageSampler;
}

const isCancellation = (err: unknown): boolean =>
  err instanceof ConnectorError &&
  (err.code === ConnectorErrorCode.Cancelled || err.code === ConnectorErrorCode.Timeout);

/** Subjects with their versions: the registry's part of a topic's change signal. */
async function topicSubjects(
  registry: SchemaRegistryClient,
  topic: string,
  allSubjects: readonly string[],
  signal: AbortSignal,
): Promise<SubjectInfo[]> {
  const found: SubjectInfo[] = [];
  for (const s of subjectsOfTopic(topic, allSubjects)) {
    const versions = await registry.versions(s.subject, signal);
    if (versions) found.push({ ...s, versions });
  }
  return found;
}

/**
 * The cluster as one namespace, its topics as assets in batches with their key and value schemas.
 * Every run reads every topic's offsets and lag (statistics); the change signal (partition layout,
 * configs, registered subject versions) is what tells a changed shape from an unchanged one.
 */
export async function* collectKafka(
  admin: KafkaAdmin,
  settings: KafkaSettings,
  options: CollectOptions,
  call: AdminCall,
  sources: SchemaSources = {},
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
  let allSubjects: string[] | null = null;
  let registryError: string | undefined;
  if (sources.registry) {
    try {
      allSubjects = await sources.registry.subjects(signal);
    } catch (err) {
      if (isCancellation(err)) throw err;
      registryError = errorText(err);
    }
  }

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
      ...(sources.registry
        ? { schema_registry: registryError ? { error: registryError } : { subjects: allSubjects?.length ?? 0 } }
        : {}),
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
    for (const meta of metadata) {
      const entries = configs?.get(meta.name) ?? null;
      const subjects =
        sources.registry && allSubjects ? await topicSubjects(sources.registry, meta.name, allSubjects, signal) : [];
      // Shape changes with the partition layout, the configs and the registered schema versions.
      const changeSignal = topicChangeSignal(meta, entries, subjects);
      // Offsets and lag are statistics: read on every run, whatever the signal says.
      const offsets = (await call(() => admin.fetchTopicOffsets(meta.name), signal, `offsets of ${meta.name}`)).map(
        (o): PartitionOffsets => ({ partition: o.partition, low: o.low, high: o.high }),
      );
      let schemas: TopicSchemas | undefined;
      let schemasError: string | undefined;
      try {
        schemas = await readTopicSchemas(
          {
            registry: allSubjects ? sources.registry : undefined,
            sample: sources.sampler ? () => sources.sampler!.sample(meta.name, offsets, signal) : undefined,
          },
          subjects,
          signal,
        );
      } catch (err) {
        if (isCancellation(err) || signal.aborted) throw err;
        schemasError = errorText(err instanceof ConnectorError && err.cause ? err.cause : err);
      }
      const asset = topicAsset(
        namespace,
        meta,
        {
          schemas,
          configs: entries,
          configsError,
          offsets: stats ? offsets : null,
          groups: groups && 'byTopic' in groups ? (groups.byTopic.get(meta.name) ?? []) : null,
          groupsError: groups && 'error' in groups ? groups.error : undefined,
        },
        changeSignal,
      );
      if (schemasError) asset.properties = { ...asset.properties, schema_unavailable: schemasError };
      assets.push(asset);
    }
    done += chunk.length;
    options.onProgress?.(done, topics.length);
    yield { ...(start === 0 ? { namespaces: [namespaceBatch] } : {}), assets };
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
