import type Redis from 'ioredis';
import { callWithin } from '../core/classify';
import { runDiagnostics } from '../core/diagnostics';
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
import { closeQuietly, openRedis } from './client';
import { collectRedis, RedisCall } from './collect';
import { RedisSettings } from './config';
import { classifyRedisError } from './errors';
import { parseInfo, parseKeyspace, summarizeServer } from './info';
import { profileKeyPattern } from './profile';

export class RedisConnector implements Connector {
  /** A connection that dropped is not reused: it is closed and opened again. */
  private readonly client = new LazyClient<Redis>(
    (signal) => openRedis(this.settings, this.context.guardAddress, signal!),
    (client) => closeQuietly(client),
    (client) => client.status === 'ready',
  );
  private readonly call: RedisCall = (work, signal, what) =>
    callWithin({ timeoutMs: this.settings.timeoutMs, signal, classify: classifyRedisError }, what, work);

  constructor(
    private readonly settings: RedisSettings,
    private readonly context: ConnectContext,
  ) {}

  async test(signal: AbortSignal): Promise<TestResult> {
    let client: Redis | undefined;
    try {
      return await runDiagnostics({
        host: this.settings.host,
        port: this.settings.port,
        timeoutMs: this.settings.timeoutMs,
        signal,
        guardAddress: this.context.guardAddress,
        tls: this.settings.tls ? { mode: 'direct', options: { rejectUnauthorized: true } } : undefined,
        authenticate: async () => {
          client = await openRedis(this.settings, this.context.guardAddress, signal);
          const server = summarizeServer(parseInfo(await client.info('server')));
          return {
            serverInfo: `Redis ${server.version ?? '?'} (${server.mode})`,
            version: server.version ?? undefined,
          };
        },
        readCatalog: async () => {
          const keyspace = parseKeyspace(parseInfo(await client!.info('keyspace')));
          await client!.scan('0', 'COUNT', 1);
          const keys = keyspace.reduce((n, k) => n + k.keys, 0);
          return `${keyspace.length} database(s) hold ${keys} key(s)`;
        },
        classify: (err) => classifyRedisError(err),
      });
    } finally {
      await closeQuietly(client);
    }
  }

  async *collect(options: CollectOptions): AsyncGenerator<CatalogBatch> {
    const client = await this.client.get(options.signal);
    yield* collectRedis(
      client,
      { settings: this.settings, guard: this.context.guardAddress, call: this.call },
      options,
    );
  }

  async profile(target: ProfileTarget, options: ProfileOptions): Promise<AssetProfile> {
    return profileKeyPattern(await this.client.get(options.signal), target, options, this.settings, this.call);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
