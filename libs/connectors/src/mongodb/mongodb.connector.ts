import { resolveSrv } from 'node:dns/promises';
import { DiagnosticPlan, runDiagnostics } from '../core/diagnostics';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { LazyClient } from '../core/lazy-client';
import {
  AssetProfile,
  CatalogBatch,
  CollectOptions,
  ConnectContext,
  Connector,
  ConnectorConfig,
  ProfileOptions,
  ProfileTarget,
  TestResult,
} from '../core/types';
import { driverClientFactory, MongoCatalogClient, MongoClientFactory } from './catalog-client';
import { collectMongo } from './collect';
import { MongoSettings, mongoSettings } from './config';
import { endpointsOf, HostPort, mongoClientParams } from './connection-string';
import { classifyMongoError } from './errors';
import { profileMongo } from './profile';

/** Looks up the members behind a mongodb+srv name (`_mongodb._tcp.<name>`). */
export type SrvResolver = (srvName: string) => Promise<HostPort[]>;

const dnsSrvResolver: SrvResolver = async (srvName) =>
  (await resolveSrv(`_mongodb._tcp.${srvName}`)).map((r) => ({ host: r.name, port: r.port }));

export interface MongoConnectorDeps {
  clientFactory: MongoClientFactory;
  resolveSrv: SrvResolver;
}

export class MongoConnector implements Connector {
  private readonly settings: MongoSettings;
  /** The pooled client, opened on first use after every member has passed the address guard. */
  private readonly pool = new LazyClient<MongoCatalogClient>(
    async () => {
      await this.guardAll(await this.members());
      return this.newClient();
    },
    (client) => client.close(),
  );

  constructor(
    config: ConnectorConfig,
    private readonly context: ConnectContext,
    private readonly deps: MongoConnectorDeps = { clientFactory: driverClientFactory, resolveSrv: dnsSrvResolver },
  ) {
    this.settings = mongoSettings(config);
  }

  /**
   * The members this config reaches. For mongodb+srv the SRV records are resolved here and each
   * target checked; the driver repeats that lookup itself when it connects, so what it reaches is
   * what DNS answers then (the guard sees what DNS answered a moment before).
   */
  private async members(): Promise<HostPort[]> {
    const endpoints = endpointsOf(this.settings);
    if (!endpoints.srvName) return endpoints.hosts;
    try {
      const targets = await this.deps.resolveSrv(endpoints.srvName);
      if (targets.length === 0) throw new Error('no SRV records');
      return targets;
    } catch (err) {
      if (err instanceof ConnectorError) throw err;
      throw new ConnectorError(
        ConnectorErrorCode.Unreachable,
        `The SRV name "${endpoints.srvName}" did not resolve (_mongodb._tcp.${endpoints.srvName}): ${(err as Error).message}`,
        'Check the mongodb+srv host name and that this service can resolve SRV records.',
        err,
      );
    }
  }

  private async guardAll(hosts: readonly HostPort[]): Promise<void> {
    for (const { host } of hosts) await this.context.guardAddress(host);
  }

  private newClient(): MongoCatalogClient {
    const { uri, options } = mongoClientParams(this.settings, this.context.guardAddress);
    return this.deps.clientFactory(uri, options, this.settings.timeoutMs, this.context.guardAddress);
  }

  async test(signal: AbortSignal): Promise<TestResult> {
    const started = Date.now();
    let members: HostPort[];
    try {
      members = await this.members();
    } catch (err) {
      const error = err instanceof ConnectorError ? err : classifyMongoError(err);
      return {
        success: false,
        message: error.message,
        latency: Date.now() - started,
        details: error.hint,
        error_code: error.code,
        steps: [{ name: 'resolve', ok: false, duration_ms: Date.now() - started, message: error.message }],
      };
    }
    const endpoints = endpointsOf(this.settings);
    const [first, ...others] = members;
    let client: MongoCatalogClient | undefined;
    let topology = '';
    const plan: DiagnosticPlan = {
      host: first.host,
      port: first.port,
      timeoutMs: this.settings.timeoutMs,
      signal,
      guardAddress: this.context.guardAddress,
      // With CA or client-certificate files only the driver can complete the handshake.
      tls: endpoints.tls
        ? endpoints.tlsFiles
          ? { mode: 'negotiated' }
          : { mode: 'direct', options: { rejectUnauthorized: !endpoints.tlsInsecure } }
        : undefined,
      authenticate: async () => {
        await this.guardAll(others);
        client = this.newClient();
        await client.connect();
        const { hello, buildInfo } = await client.serverInfo();
        topology =
          typeof hello.setName === 'string'
            ? `replica set ${hello.setName}`
            : hello.msg === 'isdbgrid'
              ? 'sharded cluster (mongos)'
              : 'standalone';
        const version = String(buildInfo.version ?? 'unknown');
        return { serverInfo: `MongoDB ${version}`, version };
      },
      readCatalog: async () => {
        if (!client) return;
        if (this.settings.database) {
          const collections = await client.listCollections(this.settings.database);
          return `${topology}; ${collections.length} collections and views in ${this.settings.database}`;
        }
        const databases = await client.listDatabases();
        return `${topology}; ${databases.length} databases visible`;
      },
      classify: (err) => classifyMongoError(err),
    };
    try {
      return await runDiagnostics(plan);
    } finally {
      await client?.close().catch(() => undefined);
    }
  }

  async *collect(options: CollectOptions): AsyncIterable<CatalogBatch> {
    yield* collectMongo(await this.pool.get(), this.settings, options);
  }

  async profile(target: ProfileTarget, options: ProfileOptions): Promise<AssetProfile> {
    return profileMongo(await this.pool.get(), this.settings, target, options);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
