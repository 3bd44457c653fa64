import { runDiagnostics } from '../core/diagnostics';
import { ConnectorError, ConnectorErrorCode, throwIfAborted } from '../core/errors';
import { inScope, namespaceInScope } from '../core/scope';
import { AssetProfile, CatalogAsset, CatalogBatch, CollectOptions, ConnectContext, Connector, TestResult } from '../core/types';
import { amqpLogin, classifyAmqpError } from './amqp';
import { ApiBinding, ApiExchange, ApiOverview, ApiPolicy, ApiQueue, ApiVhost } from './api-types';
import { exchangeAsset, queueAsset, queueAssetName, vhostNamespace, VhostContext } from './assets';
import { RabbitSettings } from './config';
import { ManagementApi, seg } from './management-api';

/** Objects per management-API page; large brokers list in several requests. */
const PAGE_SIZE = 500;

export class RabbitMqConnector implements Connector {
  private readonly api: ManagementApi;

  constructor(
    private readonly settings: RabbitSettings,
    private readonly context: ConnectContext,
    private readonly pageSize = PAGE_SIZE,
  ) {
    this.api = new ManagementApi(settings.managementUrl, settings.managementUsername, settings.managementPassword, settings.timeoutMs, context.guardAddress);
  }

  async test(signal: AbortSignal): Promise<TestResult> {
    let address = this.settings.host;
    return runDiagnostics({
      host: this.settings.host,
      port: this.settings.port,
      timeoutMs: this.settings.timeoutMs,
      signal,
      guardAddress: async (host) => {
        const addresses = await this.context.guardAddress(host);
        address = addresses[0];
        return addresses;
      },
      tls: this.settings.ssl ? { mode: 'direct', options: { rejectUnauthorized: true } } : undefined,
      authenticate: () => amqpLogin(this.settings, address),
      readCatalog: async () => {
        const overview = await this.api.get<ApiOverview>('/overview', signal);
        const queues = await this.api.get<{ total_count?: number }>(`/queues/${seg(this.settings.vhost)}?page=1&page_size=1&columns=name`, signal);
        return `management API ${overview.management_version ?? '?'}: ${queues.total_count ?? 0} queue(s) in vhost "${this.settings.vhost}"`;
      },
      classify: (err) => classifyAmqpError(err),
    });
  }

  async *collect(options: CollectOptions): AsyncGenerator<CatalogBatch> {
    const { signal } = options;
    const overview = await this.api.get<ApiOverview>('/overview', signal);
    const vhosts = (await this.api.get<ApiVhost[]>('/vhosts', signal)).filter((v) => namespaceInScope(options.scope, v.name));
    // A table glob may name the plain object (`orders*`) or the kind-qualified asset (`queue:*`).
    const { includeTables, excludeTables } = options.scope;
    const assetWanted = (name: string, assetName: string) =>
      (inScope(includeTables, undefined, name) || inScope(includeTables, undefined, assetName)) &&
      inScope(undefined, excludeTables, name) &&
      inScope(undefined, excludeTables, assetName);
    const size = Math.max(1, options.batchSize);
    let done = 0;

    for (const vhost of vhosts) {
      throwIfAborted(signal);
      const path = seg(vhost.name);
      const [bindings, policies, operatorPolicies] = await Promise.all([
        this.api.get<ApiBinding[]>(`/bindings/${path}`, signal),
        this.api.get<ApiPolicy[]>(`/policies/${path}`, signal),
        // Operator policies are visible to administrators and policymakers only.
        this.api.get<ApiPolicy[]>(`/operator-policies/${path}`, signal).catch((err: unknown) => {
          if (err instanceof ConnectorError && (err.code === ConnectorErrorCode.AuthFailed || err.code === ConnectorErrorCode.PermissionDenied)) return null;
          throw err;
        }),
      ]);
      const ctx: VhostContext = { vhost: vhost.name, bindings, policies, operatorPolicies };

      const exchanges: CatalogAsset[] = [];
      for await (const page of this.api.pages<ApiExchange>(`/exchanges/${path}`, this.pageSize, signal)) {
        // The nameless default exchange routes by queue name to every queue; it has no identity of its own.
        for (const e of page.items) if (e.name !== '') exchanges.push(exchangeAsset(e, ctx));
      }
      const queuePages = this.api.pages<ApiQueue>(`/queues/${path}`, this.pageSize, signal);
      const first = await queuePages.next();
      const queueTotal = first.done ? 0 : (first.value.total_count ?? first.value.items.length);

      let pending: CatalogAsset[] = exchanges.filter((a) => assetWanted(String(a.properties?.name), a.name));
      let namespaceSent = false;
      const flush = function* (all: boolean): Generator<CatalogBatch> {
        while (pending.length >= size || (all && (pending.length > 0 || !namespaceSent))) {
          const assets = pending.slice(0, size);
          pending = pending.slice(size);
          yield {
            ...(namespaceSent ? {} : { namespaces: [vhostNamespace(vhost, overview, ctx, { exchanges: exchanges.length, queues: queueTotal })] }),
            assets,
          };
          namespaceSent = true;
          done += assets.length;
          options.onProgress?.(done);
        }
      };

      if (!first.done) {
        pending.push(...first.value.items.filter((q) => assetWanted(q.name, queueAssetName(q.name))).map((q) => queueAsset(q, ctx)));
        yield* flush(false);
        for await (const page of queuePages) {
          pending.push(...page.items.filter((q) => assetWanted(q.name, queueAssetName(q.name))).map((q) => queueAsset(q, ctx)));
          yield* flush(false);
        }
      }
      yield* flush(true);
    }
  }

  async profile(): Promise<AssetProfile> {
    throw new ConnectorError(
      ConnectorErrorCode.Unsupported,
      'RabbitMQ queues are not profiled: reading messages would consume or requeue them',
      'Message counts, rates and consumers are collected with the catalog.',
    );
  }

  async close(): Promise<void> {
    // Every call is a single HTTP request or a short-lived AMQP connection: nothing stays open.
  }
}
