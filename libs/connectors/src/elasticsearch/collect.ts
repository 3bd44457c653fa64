import { Client } from '@elastic/elasticsearch';
import { throwIfAborted } from '../core/errors';
import { isUnchanged } from '../core/change-signals';
import { assetInScope, namespaceInScope } from '../core/scope';
import { AssetRef, CatalogAsset, CatalogBatch, CatalogNamespace, CollectOptions } from '../core/types';
import { EsSettings } from './config';
import { classifyEsError } from './errors';
import {
  AliasInfo,
  aliasesByIndex,
  backingIndexNames,
  buildDataStreamAsset,
  buildIndexAsset,
  IndexDetails,
} from './index-assets';
import { readConfigObjects } from './read-config-objects';

type Json = Record<string, unknown>;

/** Columns asked of `_cat/indices`; `bytes=b` makes sizes plain byte counts. */
export const CAT_COLUMNS = [
  'health',
  'status',
  'index',
  'uuid',
  'pri',
  'rep',
  'docs.count',
  'docs.deleted',
  'store.size',
  'pri.store.size',
];

/**
 * Elasticsearch refuses request lines over 4 KB by default (http.max_initial_line_length), so
 * index lists in a URL are split into groups whose encoded length stays well below that.
 */
export const MAX_INDEX_LIST_CHARS = 3000;

export function groupByUrlLength(names: readonly string[], limit = MAX_INDEX_LIST_CHARS): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const name of names) {
    const cost = encodeURIComponent(name).length + 3; // + the encoded comma
    if (current.length > 0 && length + cost > limit) {
      groups.push(current);
      current = [];
      length = 0;
    }
    current.push(name);
    length += cost;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Names Elasticsearch reserves for system and hidden indices and data streams. */
export const isSystemName = (name: string): boolean => name.startsWith('.');

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

type Target = { kind: 'index'; name: string; row: Json } | { kind: 'data_stream'; name: string; stream: Json };

/**
 * Streams the catalog of one cluster: the cluster as namespace (name, version, health), then its
 * data streams and indices in batches. Per batch the mappings and settings of every index in it
 * come from one `GET /{i1,i2,…}/_mapping` and one `GET /{i1,i2,…}/_settings`; the index list, the
 * aliases and the data streams from one request each for the whole cluster.
 */
export async function* collectElasticsearch(
  client: Client,
  settings: EsSettings,
  options: CollectOptions,
): AsyncGenerator<CatalogBatch> {
  const { signal, scope } = options;
  const request = { signal };
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    throwIfAborted(signal);
    try {
      return await work();
    } catch (err) {
      throwIfAborted(signal);
      throw classifyEsError(err);
    }
  };

  // GET / — https://www.elastic.co/guide/en/elasticsearch/reference/8.19/rest-api-root.html
  const info = asObject(await call(() => client.info({}, request)));
  const cluster = String(info.cluster_name);
  if (!namespaceInScope(scope, cluster)) return;
  const version = asObject(info.version);

  let health: Json = {};
  if (options.mode !== 'schema_only') {
    // Health needs the monitor privilege; a catalog without it is still useful.
    health = asObject(await call(() => client.cluster.health({}, request)).catch(() => ({})));
  }
  const rows = (await call(() =>
    client.cat.indices({ format: 'json', bytes: 'b', expand_wildcards: 'all', h: CAT_COLUMNS, s: 'index' }, request),
  )) as unknown as Json[];
  const streams = (asObject(await call(() => client.indices.getDataStream({ expand_wildcards: 'all' }, request)))
    .data_streams ?? []) as Json[];
  const aliases = aliasesByIndex(await call(() => client.indices.getAlias({}, request)));
  const configObjects = await readConfigObjects(client, {
    cluster,
    includeSystem: settings.includeSystemIndices,
    signal,
    scope,
  });

  const wantSystem = settings.includeSystemIndices;
  const backing = new Set(streams.flatMap((s) => backingIndexNames(s)));
  const rowByIndex = new Map(rows.map((r) => [String(r.index), r]));
  const targets: Target[] = [
    ...streams
      .filter((s) => wantSystem || !(isSystemName(String(s.name)) || s.system === true || s.hidden === true))
      .map((stream): Target => ({ kind: 'data_stream', name: String(stream.name), stream })),
    // Backing indices are shown through their data stream, never on their own.
    ...rows
      .filter((r) => !backing.has(String(r.index)) && (wantSystem || !isSystemName(String(r.index))))
      .map((row): Target => ({ kind: 'index', name: String(row.index), row })),
  ]
    .filter((t) => assetInScope(scope, cluster, t.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const aliasMap: Record<string, string[]> = {};
  for (const t of targets) {
    for (const alias of t.kind === 'index' ? (aliases.get(t.name) ?? []) : [])
      (aliasMap[alias.name] ??= []).push(t.name);
  }
  const namespace: CatalogNamespace = {
    name: cluster,
    kind: 'cluster',
    properties: {
      cluster_uuid: info.cluster_uuid,
      version: version.number,
      lucene_version: version.lucene_version,
      build_flavor: version.build_flavor,
      ...(health.status !== undefined
        ? {
            health: health.status,
            number_of_nodes: health.number_of_nodes,
            number_of_data_nodes: health.number_of_data_nodes,
            active_primary_shards: health.active_primary_shards,
            active_shards: health.active_shards,
            unassigned_shards: health.unassigned_shards,
          }
        : {}),
      indices: targets.filter((t) => t.kind === 'index').length,
      data_streams: targets.filter((t) => t.kind === 'data_stream').length,
      aliases: aliasMap,
      ...countByKind(configObjects.assets),
      ...(Object.keys(configObjects.unavailable).length > 0 ? { unavailable: configObjects.unavailable } : {}),
    },
  };

  const total = targets.length + configObjects.assets.length;
  options.onProgress?.(0, total);
  if (total === 0) {
    yield { namespaces: [namespace], assets: [] };
    return;
  }

  const batchSize = Math.max(1, options.batchSize);
  for (let start = 0; start < targets.length; start += batchSize) {
    throwIfAborted(signal);
    const chunk = targets.slice(start, start + batchSize);
    const names = chunk.flatMap((t) => (t.kind === 'index' ? [t.name] : backingIndexNames(t.stream).slice(-1)));
    const details = await readDetails(client, names, request, call);
    const assets: CatalogAsset[] = [];
    const unchanged: AssetRef[] = [];
    for (const target of chunk) {
      const asset =
        target.kind === 'index'
          ? buildIndexAsset({
              cluster,
              row: target.row,
              details: details.get(target.name) ?? { mappings: {}, settings: {} },
              aliases: aliases.get(target.name) ?? ([] as AliasInfo[]),
            })
          : buildDataStreamAsset({
              cluster,
              stream: target.stream,
              writeIndex: details.get(backingIndexNames(target.stream).at(-1) ?? ''),
              backingRows: backingIndexNames(target.stream).flatMap((n): Json[] => {
                const row = rowByIndex.get(n);
                return row ? [row] : [];
              }),
            });
      if (isUnchanged(options, cluster, asset.name, asset.changeSignal))
        unchanged.push({ namespace: cluster, name: asset.name });
      else assets.push(asset);
    }
    options.onProgress?.(Math.min(start + batchSize, targets.length), total);
    yield {
      ...(start === 0 ? { namespaces: [namespace] } : {}),
      assets,
      ...(unchanged.length > 0 ? { unchanged } : {}),
    };
  }

  // Templates, pipelines and policies come after the indices; each definition is its own signal.
  for (let start = 0; start < configObjects.assets.length; start += batchSize) {
    throwIfAborted(signal);
    const chunk = configObjects.assets.slice(start, start + batchSize);
    const unchanged: AssetRef[] = chunk
      .filter((a) => isUnchanged(options, cluster, a.name, a.changeSignal))
      .map((a) => ({ namespace: cluster, name: a.name }));
    const skipped = new Set(unchanged.map((u) => u.name));
    options.onProgress?.(targets.length + Math.min(start + batchSize, configObjects.assets.length), total);
    yield {
      ...(start === 0 && targets.length === 0 ? { namespaces: [namespace] } : {}),
      assets: chunk.filter((a) => !skipped.has(a.name)),
      ...(unchanged.length > 0 ? { unchanged } : {}),
    };
  }
}

/** Namespace counters: `index_templates`, `component_templates`, `ingest_pipelines`, `lifecycle_policies`. */
function countByKind(assets: readonly CatalogAsset[]): Record<string, number> {
  const plural: Record<string, string> = {
    index_template: 'index_templates',
    component_template: 'component_templates',
    ingest_pipeline: 'ingest_pipelines',
    lifecycle_policy: 'lifecycle_policies',
  };
  const out: Record<string, number> = Object.fromEntries(Object.values(plural).map((k) => [k, 0]));
  for (const a of assets) out[plural[a.kind]] = (out[plural[a.kind]] ?? 0) + 1;
  return out;
}

/** Mappings and settings of many indices with one request of each kind per URL-sized group. */
async function readDetails(
  client: Client,
  names: readonly string[],
  request: { signal: AbortSignal },
  call: <T>(work: () => Promise<T>) => Promise<T>,
): Promise<Map<string, IndexDetails>> {
  const out = new Map<string, IndexDetails>();
  for (const group of groupByUrlLength(names)) {
    const params = { index: group, expand_wildcards: 'all' as const, ignore_unavailable: true, allow_no_indices: true };
    const [mappings, settings] = await Promise.all([
      // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/indices-get-mapping.html
      call(() => client.indices.getMapping(params, request)),
      // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/indices-get-settings.html
      call(() => client.indices.getSettings(params, request)),
    ]);
    for (const name of group) {
      out.set(name, {
        mappings: asObject(asObject(asObject(mappings)[name]).mappings),
        settings: asObject(asObject(asObject(asObject(settings)[name]).settings).index),
      });
    }
  }
  return out;
}
