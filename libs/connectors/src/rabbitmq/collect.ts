import { ConnectorError, ConnectorErrorCode, throwIfAborted } from '../core/errors';
import { inScope, namespaceInScope } from '../core/scope';
import { CatalogAsset, CatalogBatch, CollectOptions } from '../core/types';
import { ApiBinding, ApiExchange, ApiOverview, ApiPolicy, ApiQueue, ApiVhost } from './api-types';
import { exchangeAsset, queueAsset, queueAssetName, vhostNamespace, VhostContext } from './assets';
import { ManagementApi, seg } from './management-api';

/**
 * Every vhost in scope as a namespace with its exchanges and queues, read page by page from the
 * management API; batches leave as soon as a page fills them.
 */
export async function* collectRabbitMq(
  api: ManagementApi,
  pageSize: number,
  options: CollectOptions,
): AsyncGenerator<CatalogBatch> {
  const { signal } = options;
  const overview = await api.get<ApiOverview>('/overview', signal);
  const vhosts = (await api.get<ApiVhost[]>('/vhosts', signal)).filter((v) => namespaceInScope(options.scope, v.name));
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
      api.get<ApiBinding[]>(`/bindings/${path}`, signal),
      api.get<ApiPolicy[]>(`/policies/${path}`, signal),
      // Operator policies are visible to administrators and policymakers only.
      api.get<ApiPolicy[]>(`/operator-policies/${path}`, signal).catch((err: unknown) => {
        if (
          err instanceof ConnectorError &&
          (err.code === ConnectorErrorCode.AuthFailed || err.code === ConnectorErrorCode.PermissionDenied)
        )
          return null;
        throw err;
      }),
    ]);
    const ctx: VhostContext = { vhost: vhost.name, bindings, policies, operatorPolicies };

    const exchanges: CatalogAsset[] = [];
    for await (const page of api.pages<ApiExchange>(`/exchanges/${path}`, pageSize, signal)) {
      // The nameless default exchange routes by queue name to every queue; it has no identity of its own.
      for (const e of page.items) if (e.name !== '') exchanges.push(exchangeAsset(e, ctx));
    }
    const queuePages = api.pages<ApiQueue>(`/queues/${path}`, pageSize, signal);
    const first = await queuePages.next();
    const queueTotal = first.done ? 0 : (first.value.total_count ?? first.value.items.length);

    let pending: CatalogAsset[] = exchanges.filter((a) => assetWanted(String(a.properties?.name), a.name));
    let namespaceSent = false;
    const flush = function* (all: boolean): Generator<CatalogBatch> {
      while (pending.length >= size || (all && (pending.length > 0 || !namespaceSent))) {
        const assets = pending.slice(0, size);
        pending = pending.slice(size);
        yield {
          ...(namespaceSent
            ? {}
            : {
                namespaces: [vhostNamespace(vhost, overview, ctx, { exchanges: exchanges.length, queues: queueTotal })],
              }),
          assets,
        };
        namespaceSent = true;
        done += assets.length;
        options.onProgress?.(done);
      }
    };

    if (!first.done) {
      pending.push(
        ...first.value.items.filter((q) => assetWanted(q.name, queueAssetName(q.name))).map((q) => queueAsset(q, ctx)),
      );
      yield* flush(false);
      for await (const page of queuePages) {
        pending.push(
          ...page.items.filter((q) => assetWanted(q.name, queueAssetName(q.name))).map((q) => queueAsset(q, ctx)),
        );
        yield* flush(false);
      }
    }
    yield* flush(true);
  }
}
