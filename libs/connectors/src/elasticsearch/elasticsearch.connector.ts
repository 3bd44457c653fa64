import { Client } from '@elastic/elasticsearch';
import { DiagnosticPlan, runDiagnostics } from '../core/diagnostics';
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
  ConnectorConfig,
  TestResult,
} from '../core/types';
import { collectElasticsearch } from './collect';
import { EsSettings, esSettings } from './config';
import { classifyEsError } from './errors';
import { NoRedirectHttpConnection } from './no-redirect-connection';

/**
 * The client for a config; nothing connects until the first request. It runs on Node's http
 * stack with the guarded agent, so each connection to a node is checked by the address policy
 * and goes to the address checked; a redirect fails the request.
 */
export function createEsClient(settings: EsSettings, guard: AddressGuard): Client {
  return new Client({
    nodes: settings.nodes.map((n) => n.url),
    auth: settings.apiKey
      ? { apiKey: settings.apiKey }
      : settings.username
        ? { username: settings.username, password: settings.password ?? '' }
        : undefined,
    caFingerprint: settings.caFingerprint,
    requestTimeout: settings.timeoutMs,
    // A request that fails on one node is retried on each other node once, not on the same.
    maxRetries: settings.nodes.length - 1,
    Connection: NoRedirectHttpConnection,
    agent: (opts) =>
      createGuardedAgent(guard, {
        secure: opts.url.protocol === 'https:',
        keepAlive: true,
        maxSockets: settings.maxConns,
        ...(settings.tlsSkipVerify ? { rejectUnauthorized: false } : {}),
      }),
    name: 'metadata-catalog',
  });
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export class ElasticsearchConnector implements Connector {
  /** A malformed node list is reported by test() and collect(), not by construction. */
  private readonly parsed: EsSettings | ConnectorError;
  /** The pooled client, created once every node has passed the address guard. */
  private readonly pool = new LazyClient<Client>(
    async () => {
      await this.guardNodes();
      return createEsClient(this.settings, this.context.guardAddress);
    },
    (client) => client.close(),
  );

  constructor(
    config: ConnectorConfig,
    private readonly context: ConnectContext,
  ) {
    try {
      this.parsed = esSettings(config);
    } catch (err) {
      if (!(err instanceof ConnectorError)) throw err;
      this.parsed = err;
    }
  }

  private get settings(): EsSettings {
    if (this.parsed instanceof ConnectorError) throw this.parsed;
    return this.parsed;
  }

  private async guardNodes(): Promise<void> {
    for (const node of this.settings.nodes) await this.context.guardAddress(node.host);
  }

  async test(signal: AbortSignal): Promise<TestResult> {
    if (this.parsed instanceof ConnectorError) {
      const { message, hint, code } = this.parsed;
      return {
        success: false,
        message,
        details: hint,
        error_code: code,
        latency: 0,
        steps: [{ name: 'resolve', ok: false, duration_ms: 0, message }],
      };
    }
    const [first] = this.settings.nodes;
    let client: Client | undefined;
    let cluster = '';
    const plan: DiagnosticPlan = {
      host: first.host,
      port: first.port,
      timeoutMs: this.settings.timeoutMs,
      signal,
      guardAddress: this.context.guardAddress,
      // A private CA given by fingerprint is only checked by the client itself.
      tls:
        first.protocol === 'https:'
          ? this.settings.caFingerprint
            ? { mode: 'negotiated' }
            : { mode: 'direct', options: { rejectUnauthorized: !this.settings.tlsSkipVerify } }
          : undefined,
      authenticate: async () => {
        await this.guardNodes();
        client = createEsClient(this.settings, this.context.guardAddress);
        const info = asObject(await client.info({}, { signal }));
        cluster = String(info.cluster_name);
        const version = String(asObject(info.version).number ?? 'unknown');
        return { serverInfo: `Elasticsearch ${version}`, version };
      },
      readCatalog: async () => {
        const rows = (await client!.cat.indices(
          { format: 'json', h: ['index'], expand_wildcards: ['open', 'closed'] },
          { signal },
        )) as unknown as unknown[];
        return `cluster ${cluster}; ${rows.length} indices visible`;
      },
      classify: (err) => classifyEsError(err),
    };
    try {
      return await runDiagnostics(plan);
    } finally {
      await client?.close().catch(() => undefined);
    }
  }

  async *collect(options: CollectOptions): AsyncIterable<CatalogBatch> {
    yield* collectElasticsearch(await this.pool.get(), this.settings, options);
  }

  profile(): Promise<AssetProfile> {
    return Promise.reject(
      new ConnectorError(
        ConnectorErrorCode.Unsupported,
        'Profiling is not supported for Elasticsearch',
        'Index statistics (document counts, store size) are collected with the catalog; field statistics would need aggregations per field, which this connector does not run.',
      ),
    );
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
