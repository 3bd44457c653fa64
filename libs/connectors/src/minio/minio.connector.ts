import { Client } from 'minio';
import { callWithin } from '../core/classify';
import { runDiagnostics } from '../core/diagnostics';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { createGuardedAgent } from '../core/guarded-agent';
import { LazyClient } from '../core/lazy-client';
import {
  AddressGuard,
  AssetProfile,
  CatalogBatch,
  CollectOptions,
  ConnectContext,
  Connector,
  TestResult,
} from '../core/types';
import { collectMinio, S3Call } from './collect';
import { MinioSettings } from './config';
import { classifyS3Error } from './errors';
import type { S3Api } from './s3-api';

export type S3ClientFactory = (settings: MinioSettings, guard: AddressGuard) => S3Api;

/**
 * Path-style requests: what MinIO and S3-compatible stores expect for custom endpoints. The
 * guarded agent checks every connection against the address policy and connects to the address
 * checked.
 */
const defaultClientFactory: S3ClientFactory = (s, guard) =>
  new Client({
    endPoint: s.host,
    port: s.port,
    useSSL: s.useSSL,
    accessKey: s.accessKey,
    secretKey: s.secretKey,
    region: s.region,
    pathStyle: true,
    retryOptions: { disableRetry: true },
    transportAgent: createGuardedAgent(guard, { secure: s.useSSL, keepAlive: true }),
  });

export class MinioConnector implements Connector {
  // minio-js keeps no connection open between requests beyond Node's keep-alive agent: closing forgets the client.
  private readonly client = new LazyClient<S3Api>(
    async () => {
      await this.context.guardAddress(this.settings.host);
      return this.createClient(this.settings, this.context.guardAddress);
    },
    () => undefined,
  );
  private readonly call: S3Call = (work, signal, what) =>
    callWithin({ timeoutMs: this.settings.timeoutMs, signal, classify: classifyS3Error }, what, work);

  constructor(
    private readonly settings: MinioSettings,
    private readonly context: ConnectContext,
    private readonly createClient: S3ClientFactory = defaultClientFactory,
  ) {}

  private async connection(): Promise<S3Api> {
    if (!this.settings.host)
      throw new ConnectorError(
        ConnectorErrorCode.InvalidConfig,
        'endpoint is empty',
        'Set endpoint to the MinIO/S3 host.',
      );
    return this.client.get();
  }

  async test(signal: AbortSignal): Promise<TestResult> {
    let bucketNames: string[] = [];
    return runDiagnostics({
      host: this.settings.host,
      port: this.settings.port,
      timeoutMs: this.settings.timeoutMs,
      signal,
      guardAddress: this.context.guardAddress,
      tls: this.settings.useSSL ? { mode: 'direct' } : undefined,
      authenticate: async () => {
        const client = await this.connection();
        bucketNames = (await client.listBuckets()).map((b) => b.name);
        return {
          serverInfo: `S3-compatible endpoint ${this.settings.host}:${this.settings.port}, ${bucketNames.length} bucket(s)`,
        };
      },
      readCatalog: async () => {
        if (bucketNames.length === 0) return 'no buckets';
        const client = await this.connection();
        const first = await this.firstObject(client, bucketNames[0]);
        return `bucket "${bucketNames[0]}" is listable${first ? '' : ' (empty)'}`;
      },
      classify: (err) => classifyS3Error(err),
    });
  }

  private async firstObject(client: S3Api, bucket: string): Promise<string | null> {
    const stream = client.listObjectsV2(bucket, '', true);
    try {
      for await (const item of stream) {
        const name = (item as { name?: string }).name;
        if (name) return name;
      }
      return null;
    } finally {
      stream.destroy();
    }
  }

  async *collect(options: CollectOptions): AsyncGenerator<CatalogBatch> {
    yield* collectMinio(await this.connection(), { settings: this.settings, call: this.call }, options);
  }

  async profile(): Promise<AssetProfile> {
    throw new ConnectorError(
      ConnectorErrorCode.Unsupported,
      'Object storage prefixes are not profiled',
      'Object counts, sizes and formats are collected with the catalog; columns come from a bounded schema sample.',
    );
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
