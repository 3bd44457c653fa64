import { Admin, ConfigEntries, ConfigResourceTypes, Kafka, KafkaConfig, logLevel, LogEntry, SASLOptions } from 'kafkajs';
import { runDiagnostics, withDeadline } from '../core/diagnostics';
import { ConnectorError, ConnectorErrorCode, throwIfAborted } from '../core/errors';
import { assetKey, inScope, namespaceInScope } from '../core/scope';
import { AssetProfile, AssetRef, CatalogAsset, CatalogBatch, CollectOptions, ConnectContext, Connector, ProfileOptions, ProfileTarget, TestResult } from '../core/types';
import { KafkaSettings } from './config';
import { classifyKafkaError } from './errors';
import { guardedSocketFactory } from './socket';
import { GroupCommits, isInternalTopic, PartitionOffsets, topicAsset, topicChangeSignal } from './topics';
import { profileTopic } from './profile';

/** The admin calls the catalog makes; everything else of kafkajs stays unused. */
export type KafkaAdmin = Pick<
  Admin,
  'connect' | 'disconnect' | 'describeCluster' | 'listTopics' | 'fetchTopicMetadata' | 'fetchTopicOffsets' | 'describeConfigs' | 'listGroups' | 'describeGroups' | 'fetchOffsets'
>;
export type AdminFactory = (config: KafkaConfig) => KafkaAdmin;

const defaultAdminFactory: AdminFactory = (config) => new Kafka(config).admin();

/** Parallel requests per step (offsets per topic, offsets per group). */
const CONCURRENCY = 4;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

type GroupsRead = { byTopic: Map<string, GroupCommits[]> } | { error: string };

export class KafkaConnector implements Connector {
  private admin?: KafkaAdmin;
  /** Set when the address guard refused a broker address kafkajs tried to connect to. */
  private refusal?: ConnectorError;

  constructor(
    private readonly settings: KafkaSettings,
    private readonly context: ConnectContext,
    private readonly createAdmin: AdminFactory = defaultAdminFactory,
  ) {}

  private kafkaConfig(): KafkaConfig {
    const s = this.settings;
    const sasl: SASLOptions | undefined = s.sasl
      ? ({ mechanism: s.sasl.mechanism, username: s.sasl.username, password: s.sasl.password } as SASLOptions)
      : undefined;
    return {
      clientId: s.clientId,
      brokers: s.brokers.map((b) => (b.host.includes(':') ? `[${b.host}]:${b.port}` : `${b.host}:${b.port}`)),
      ssl: s.ssl,
      sasl,
      connectionTimeout: s.timeoutMs,
      authenticationTimeout: s.timeoutMs,
      requestTimeout: s.timeoutMs,
      retry: { retries: 1, initialRetryTime: 200, maxRetryTime: s.timeoutMs },
      socketFactory: guardedSocketFactory(this.context.guardAddress, (err) => {
        if (err instanceof ConnectorError) this.refusal = err;
      }),
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const level = entry.level <= logLevel.ERROR ? 'error' : 'warn';
        this.context.log?.(level, `kafkajs: ${entry.log.message}`, { namespace: entry.namespace });
      },
    };
  }

  private async call<T>(work: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
    throwIfAborted(signal);
    try {
      return await withDeadline(work, this.settings.timeoutMs, signal, what);
    } catch (err) {
      throw this.refusal ?? classifyKafkaError(err);
    }
  }

  private noBrokers(): ConnectorError {
    return new ConnectorError(ConnectorErrorCode.InvalidConfig, 'brokers is empty', 'List at least one broker as host:port.');
  }

  private async connected(signal: AbortSignal): Promise<KafkaAdmin> {
    if (this.settings.brokers.length === 0) throw this.noBrokers();
    if (!this.admin) {
      const admin = this.createAdmin(this.kafkaConfig());
      try {
        await this.call(admin.connect(), signal, 'Connecting to Kafka');
      } catch (err) {
        await admin.disconnect().catch(() => undefined);
        throw err;
      }
      this.admin = admin;
    }
    return this.admin;
  }

  async test(signal: AbortSignal): Promise<TestResult> {
    const [first] = this.settings.brokers;
    if (!first) {
      const err = this.noBrokers();
      return { success: false, message: err.message, details: err.hint, error_code: err.code, latency: 0, steps: [] };
    }
    let admin: KafkaAdmin | undefined;
    try {
      return await runDiagnostics({
        host: first.host,
        port: first.port,
        timeoutMs: this.settings.timeoutMs,
        signal,
        guardAddress: this.context.guardAddress,
        tls: this.settings.ssl ? { mode: 'direct' } : undefined,
        authenticate: async () => {
          admin = this.createAdmin(this.kafkaConfig());
          await admin.connect();
          const cluster = await admin.describeCluster();
          return { serverInfo: `Kafka cluster ${cluster.clusterId}: ${cluster.brokers.length} broker(s), controller ${cluster.controller ?? 'unknown'}` };
        },
        readCatalog: async () => `${(await admin!.listTopics()).length} topic(s)`,
        classify: (err) => this.refusal ?? classifyKafkaError(err),
      });
    } finally {
      await admin?.disconnect().catch(() => undefined);
    }
  }

  async *collect(options: CollectOptions): AsyncGenerator<CatalogBatch> {
    const { signal } = options;
    const admin = await this.connected(signal);
    const cluster = await this.call(admin.describeCluster(), signal, 'describeCluster');
    const namespace = cluster.clusterId || 'kafka';
    if (!namespaceInScope(options.scope, namespace)) return;

    const topics = (await this.call(admin.listTopics(), signal, 'listTopics'))
      .filter((t) => this.settings.includeInternalTopics || !isInternalTopic(t))
      .filter((t) => inScope(options.scope.includeTables, options.scope.excludeTables, t))
      .sort();
    const stats = options.mode !== 'schema_only';
    const groups = stats ? await this.readGroups(admin, signal) : undefined;

    const namespaceBatch = {
      name: namespace,
      kind: 'cluster' as const,
      properties: {
        cluster_id: cluster.clusterId,
        controller: cluster.controller,
        brokers: [...cluster.brokers].sort((a, b) => a.nodeId - b.nodeId).map((b) => ({ node_id: b.nodeId, host: b.host, port: b.port })),
        topics: topics.length,
        include_internal_topics: this.settings.includeInternalTopics,
        ...(groups && 'error' in groups ? { consumer_groups_unavailable: groups.error } : {}),
        ...(groups && 'byTopic' in groups ? { consumer_groups: new Set([...groups.byTopic.values()].flat().map((g) => g.groupId)).size } : {}),
      },
    };

    const size = Math.max(1, options.batchSize);
    let configsError: string | undefined;
    let done = 0;
    if (topics.length === 0) yield { namespaces: [namespaceBatch], assets: [] };
    for (let start = 0; start < topics.length; start += size) {
      const chunk = topics.slice(start, start + size);
      const { topics: metadata } = await this.call(admin.fetchTopicMetadata({ topics: chunk }), signal, 'fetchTopicMetadata');
      let configs: Map<string, ConfigEntries[]> | null = null;
      if (!configsError) {
        try {
          configs = await this.readConfigs(admin, chunk, signal);
        } catch (err) {
          if (err instanceof ConnectorError && err.code === ConnectorErrorCode.Cancelled) throw err;
          // Some brokers (and proxies) do not answer DescribeConfigs; the rest of the catalog still stands.
          configsError = errorText(err instanceof ConnectorError && err.cause ? err.cause : err);
        }
      }

      const assets: CatalogAsset[] = [];
      const unchanged: AssetRef[] = [];
      const toRead = metadata.map((meta) => ({ meta, entries: configs?.get(meta.name) ?? null })).map((t) => ({ ...t, signal: topicChangeSignal(t.meta, t.entries) }));
      const changed = toRead.filter((t) => {
        if (options.mode !== 'incremental') return true;
        const previous = options.previousSignals?.get(assetKey(namespace, t.meta.name));
        if (previous === undefined || previous !== t.signal) return true;
        unchanged.push({ namespace, name: t.meta.name });
        return false;
      });
      const offsets = stats
        ? await mapLimit(changed, CONCURRENCY, (t) => this.call(admin.fetchTopicOffsets(t.meta.name), signal, `offsets of ${t.meta.name}`))
        : changed.map(() => null);
      changed.forEach((t, i) => {
        const topicOffsets: PartitionOffsets[] | null = offsets[i]?.map((o) => ({ partition: o.partition, low: o.low, high: o.high })) ?? null;
        assets.push(
          topicAsset(namespace, t.meta, {
            configs: t.entries,
            configsError,
            offsets: topicOffsets,
            groups: groups && 'byTopic' in groups ? (groups.byTopic.get(t.meta.name) ?? []) : null,
            groupsError: groups && 'error' in groups ? groups.error : undefined,
          }, t.signal),
        );
      });
      done += chunk.length;
      options.onProgress?.(done, topics.length);
      yield { ...(start === 0 ? { namespaces: [namespaceBatch] } : {}), assets, ...(unchanged.length ? { unchanged } : {}) };
    }
  }

  private async readConfigs(admin: KafkaAdmin, topics: string[], signal: AbortSignal): Promise<Map<string, ConfigEntries[]>> {
    const response = await this.call(
      admin.describeConfigs({ resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })), includeSynonyms: false }),
      signal,
      'describeConfigs',
    );
    return new Map(response.resources.filter((r) => r.errorCode === 0).map((r) => [r.resourceName, r.configEntries]));
  }

  /** Consumer groups with their committed offsets per topic, or why the brokers would not say. */
  private async readGroups(admin: KafkaAdmin, signal: AbortSignal): Promise<GroupsRead> {
    try {
      const { groups } = await this.call(admin.listGroups(), signal, 'listGroups');
      const consumers = groups.filter((g) => g.protocolType === 'consumer' || g.protocolType === '').map((g) => g.groupId).sort();
      const described = new Map<string, { state: string; members: number }>();
      for (let i = 0; i < consumers.length; i += 100) {
        const { groups: page } = await this.call(admin.describeGroups(consumers.slice(i, i + 100)), signal, 'describeGroups');
        for (const g of page) described.set(g.groupId, { state: g.state, members: g.members.length });
      }
      const byTopic = new Map<string, GroupCommits[]>();
      const commits = await mapLimit(consumers, CONCURRENCY, (groupId) => this.call(admin.fetchOffsets({ groupId }), signal, `offsets of group ${groupId}`));
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
      if (err instanceof ConnectorError && (err.code === ConnectorErrorCode.Cancelled || err.code === ConnectorErrorCode.Timeout)) throw err;
      return { error: errorText(err instanceof ConnectorError && err.cause ? err.cause : err) };
    }
  }

  async profile(target: ProfileTarget, options: ProfileOptions): Promise<AssetProfile> {
    const admin = await this.connected(options.signal);
    const offsets = await this.call(admin.fetchTopicOffsets(target.name), options.signal, `offsets of ${target.name}`);
    const groups = await this.readGroups(admin, options.signal);
    return profileTopic(
      offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high })),
      'byTopic' in groups ? (groups.byTopic.get(target.name) ?? []) : null,
    );
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}
