import { KafkaConfig, logLevel, LogEntry, SASLOptions } from 'kafkajs';
import { callWithin } from '../core/classify';
import { runDiagnostics } from '../core/diagnostics';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { LazyClient } from '../core/lazy-client';
import {
  AssetProfile,
  CatalogBatch,
  CollectOptions,
  ConnectContext,
  Connector,
  ProfileOptions,
  ProfileTarget,
  TestResult,
} from '../core/types';
import { AdminCall, AdminFactory, defaultAdminFactory, KafkaAdmin } from './admin';
import { collectKafka, SchemaSources } from './collect';
import { KafkaSettings } from './config';
import { classifyKafkaError } from './errors';
import { MessageSampler } from './message-sampler';
import { profileKafkaTopic } from './profile';
import { SchemaRegistryClient } from './schema-registry';
import { guardedSocketFactory } from './socket';

export class KafkaConnector implements Connector {
  /** Set when the address guard refused a broker address kafkajs tried to connect to. */
  private refusal?: ConnectorError;
  /** A refusal by the address guard says more than the connection error kafkajs reports for it. */
  private readonly call: AdminCall = (work, signal, what) =>
    callWithin(
      { timeoutMs: this.settings.timeoutMs, signal, classify: (err) => this.refusal ?? classifyKafkaError(err) },
      what,
      work,
    );
  private readonly admin = new LazyClient<KafkaAdmin>(
    async (signal) => {
      const admin = this.createAdmin(this.kafkaConfig());
      try {
        await this.call(() => admin.connect(), signal!, 'Connecting to Kafka');
      } catch (err) {
        await admin.disconnect().catch(() => undefined);
        throw err;
      }
      return admin;
    },
    (admin) => admin.disconnect().catch(() => undefined),
  );

  private sampler?: MessageSampler;
  private registry?: SchemaRegistryClient;

  constructor(
    private readonly settings: KafkaSettings,
    private readonly context: ConnectContext,
    private readonly createAdmin: AdminFactory = defaultAdminFactory,
  ) {}

  /** The registry client and the message sampler, made on first use (the sampler only when sampling is on). */
  private schemaSources(): SchemaSources {
    const { registry, sample } = this.settings;
    if (registry && !this.registry) {
      this.registry = new SchemaRegistryClient(registry, this.settings.timeoutMs, this.context.guardAddress);
    }
    if (sample.messagesPerPartition > 0 && !this.sampler) this.sampler = new MessageSampler(this.kafkaConfig(), sample);
    return { registry: this.registry, sampler: this.sampler };
  }

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

  private noBrokers(): ConnectorError {
    return new ConnectorError(
      ConnectorErrorCode.InvalidConfig,
      'brokers is empty',
      'List at least one broker as host:port.',
    );
  }

  private connected(signal: AbortSignal): Promise<KafkaAdmin> {
    if (this.settings.brokers.length === 0) return Promise.reject(this.noBrokers());
    return this.admin.get(signal);
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
          return {
            serverInfo: `Kafka cluster ${cluster.clusterId}: ${cluster.brokers.length} broker(s), controller ${cluster.controller ?? 'unknown'}`,
          };
        },
        readCatalog: async () => `${(await admin!.listTopics()).length} topic(s)`,
        classify: (err) => this.refusal ?? classifyKafkaError(err),
      });
    } finally {
      await admin?.disconnect().catch(() => undefined);
    }
  }

  async *collect(options: CollectOptions): AsyncGenerator<CatalogBatch> {
    yield* collectKafka(await this.connected(options.signal), this.settings, options, this.call, this.schemaSources());
  }

  async profile(target: ProfileTarget, options: ProfileOptions): Promise<AssetProfile> {
    return profileKafkaTopic(await this.connected(options.signal), target, options.signal, this.call);
  }

  async close(): Promise<void> {
    const sampler = this.sampler;
    this.sampler = undefined;
    await Promise.all([this.admin.close(), sampler?.close()]);
  }
}
