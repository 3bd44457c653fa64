import { createHash } from 'node:crypto';
import { CatalogAsset } from '../core/types';
import { flattenMapping, mappingProperties } from './mapping-fields';

type Json = Record<string, unknown>;

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** `_cat/indices?format=json` values are strings (or null for closed indices). */
export function catNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const defined = (entries: Json): Json =>
  Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined && v !== null));

/** JSON with keys sorted at every level, so equal content gives equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Json)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The change signal of a definition: SHA-256 of its stable JSON. */
export function changeSignalOf(definition: unknown): string {
  return createHash('sha256').update(stableJson(definition)).digest('hex');
}

/** The settings a reader cares about, from `GET /{index}/_settings` (`{ settings: { index: {…} } }`). */
export function settingsSummary(indexSettings: unknown): Json {
  const index = asObject(indexSettings);
  const created = catNumber(index.creation_date);
  const analysis = asObject(index.analysis);
  const names = (group: unknown) => {
    const keys = Object.keys(asObject(group));
    return keys.length > 0 ? keys.sort() : undefined;
  };
  const blocks = asObject(index.blocks);
  return defined({
    number_of_shards: catNumber(index.number_of_shards) ?? undefined,
    number_of_replicas: catNumber(index.number_of_replicas) ?? undefined,
    creation_date: created === null ? undefined : new Date(created).toISOString(),
    version_created: text(asObject(index.version).created),
    refresh_interval: text(index.refresh_interval),
    codec: text(index.codec),
    mode: text(index.mode),
    hidden: index.hidden === undefined ? undefined : String(index.hidden) === 'true',
    lifecycle_policy: text(asObject(index.lifecycle).name),
    default_pipeline: text(index.default_pipeline),
    analyzers: names(analysis.analyzer),
    normalizers: names(analysis.normalizer),
    tokenizers: names(analysis.tokenizer),
    blocks: Object.keys(blocks).length > 0 ? blocks : undefined,
  });
}

export interface AliasInfo {
  name: string;
  isWriteIndex?: boolean;
  filtered: boolean;
}

/** Aliases per index from `GET /_alias`: `{ index: { aliases: { alias: { filter?, is_write_index? } } } }`. */
export function aliasesByIndex(response: unknown): Map<string, AliasInfo[]> {
  const out = new Map<string, AliasInfo[]>();
  for (const [index, entry] of Object.entries(asObject(response))) {
    const aliases = Object.entries(asObject(asObject(entry).aliases)).map(([name, raw]) => {
      const def = asObject(raw);
      return {
        name,
        filtered: def.filter !== undefined,
        ...(typeof def.is_write_index === 'boolean' ? { isWriteIndex: def.is_write_index } : {}),
      };
    });
    out.set(
      index,
      aliases.sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
  }
  return out;
}

export interface IndexDetails {
  mappings: unknown;
  settings: unknown;
}

export interface IndexInput {
  cluster: string;
  row: Json;
  details: IndexDetails;
  aliases: readonly AliasInfo[];
}

/** The part of an index that its change signal covers: mapping, settings, aliases, open/closed. */
export function indexDefinition(input: Pick<IndexInput, 'row' | 'details' | 'aliases'>): unknown {
  return {
    mappings: input.details.mappings,
    settings: input.details.settings,
    aliases: input.aliases,
    status: input.row.status,
  };
}

export function buildIndexAsset(input: IndexInput): CatalogAsset {
  const { row, details } = input;
  const name = String(row.index);
  return {
    namespace: input.cluster,
    name,
    kind: 'index',
    properties: defined({
      health: text(row.health),
      status: text(row.status),
      uuid: text(row.uuid),
      primary_shards: catNumber(row.pri),
      replicas: catNumber(row.rep),
      docs_deleted: catNumber(row['docs.deleted']),
      primary_store_bytes: catNumber(row['pri.store.size']),
      aliases: input.aliases.length > 0 ? input.aliases.map((a) => a.name) : undefined,
      write_alias: input.aliases.find((a) => a.isWriteIndex)?.name,
      settings: settingsSummary(details.settings),
      mapping: mappingProperties(details.mappings),
    }),
    statistics: { rows: catNumber(row['docs.count']), bytes: catNumber(row['store.size']) },
    fields: flattenMapping(details.mappings),
    changeSignal: changeSignalOf(indexDefinition(input)),
  };
}

export interface DataStreamInput {
  cluster: string;
  /** One entry of `GET /_data_stream`'s `data_streams`. */
  stream: Json;
  /** Mapping and settings of the write index (the last backing index). */
  writeIndex?: IndexDetails;
  /** `_cat/indices` rows of the backing indices, for the totals. */
  backingRows: readonly Json[];
}

export function backingIndexNames(stream: Json): string[] {
  return (Array.isArray(stream.indices) ? stream.indices : []).map((i) => String(asObject(i).index_name));
}

/** The part of a data stream its change signal covers. */
export function dataStreamDefinition(input: Pick<DataStreamInput, 'stream' | 'writeIndex'>): unknown {
  const { stream } = input;
  return {
    template: stream.template,
    ilm_policy: stream.ilm_policy,
    lifecycle: stream.lifecycle,
    backing: backingIndexNames(stream),
    hidden: stream.hidden,
    mappings: input.writeIndex?.mappings,
    settings: input.writeIndex?.settings,
  };
}

export function buildDataStreamAsset(input: DataStreamInput): CatalogAsset {
  const { stream } = input;
  const backing = backingIndexNames(stream);
  const sum = (column: string) =>
    input.backingRows.length === 0
      ? null
      : input.backingRows.reduce((total, row) => total + (catNumber(row[column]) ?? 0), 0);
  return {
    namespace: input.cluster,
    name: String(stream.name),
    kind: 'data_stream',
    properties: defined({
      status: text(stream.status),
      generation: typeof stream.generation === 'number' ? stream.generation : undefined,
      timestamp_field: text(asObject(stream.timestamp_field).name),
      template: text(stream.template),
      ilm_policy: text(stream.ilm_policy),
      lifecycle: stream.lifecycle,
      next_generation_managed_by: text(stream.next_generation_managed_by),
      backing_indices: backing,
      write_index: backing.at(-1),
      hidden: stream.hidden === true,
      system: stream.system === true,
      replicated: typeof stream.replicated === 'boolean' ? stream.replicated : undefined,
      allow_custom_routing: typeof stream.allow_custom_routing === 'boolean' ? stream.allow_custom_routing : undefined,
      settings: input.writeIndex ? settingsSummary(input.writeIndex.settings) : undefined,
      mapping: input.writeIndex ? mappingProperties(input.writeIndex.mappings) : undefined,
    }),
    statistics: { rows: sum('docs.count'), bytes: sum('store.size') },
    fields: input.writeIndex ? flattenMapping(input.writeIndex.mappings) : [],
    changeSignal: changeSignalOf(dataStreamDefinition(input)),
  };
}
