import { CatalogField } from '../core/types';

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Mapping parameters worth showing per field (analysis, indexing, storage, formats). */
const FIELD_PARAMETERS = [
  'analyzer',
  'search_analyzer',
  'search_quote_analyzer',
  'normalizer',
  'index',
  'doc_values',
  'store',
  'format',
  'null_value',
  'ignore_above',
  'ignore_malformed',
  'coerce',
  'copy_to',
  'dynamic',
  'enabled',
  'fielddata',
  'eager_global_ordinals',
  'index_options',
  'norms',
  'term_vector',
  'similarity',
  'scaling_factor',
  'dims',
  'element_type',
  'path',
  'time_series_dimension',
  'time_series_metric',
  'meta',
] as const;

function parameters(def: Json): Json {
  const out: Json = {};
  for (const name of FIELD_PARAMETERS) if (def[name] !== undefined) out[name] = def[name];
  return out;
}

const byName = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function comment(def: Json): string | undefined {
  const description = asObject(def.meta)?.description;
  return typeof description === 'string' ? description : undefined;
}

/**
 * Flattens an index mapping into fields: object and nested properties become dotted paths
 * (`address.city`), multi-fields become sub-paths (`title.keyword`, marked `multi_field_of`),
 * runtime fields are listed with `runtime: true`. Mapping fields are always optional in a
 * document, so every field is nullable. Pure: no I/O.
 */
export function flattenMapping(mappings: unknown): CatalogField[] {
  const fields: Array<Omit<CatalogField, 'ordinal'>> = [];
  const root = asObject(mappings) ?? {};

  const walk = (properties: Json, prefix: string, depth: number) => {
    if (depth > 50) return;
    for (const [name, raw] of Object.entries(properties).sort(byName)) {
      const def = asObject(raw);
      if (!def) continue;
      const path = prefix ? `${prefix}.${name}` : name;
      const type = typeof def.type === 'string' ? def.type : 'object';
      const description = comment(def);
      fields.push({
        name: path,
        dataType: type,
        nullable: true,
        ...(prefix ? { path } : {}),
        ...(description ? { comment: description } : {}),
        properties: { ...parameters(def), ...(prefix ? { parent: prefix } : {}) },
      });
      const multi = asObject(def.fields);
      if (multi) {
        for (const [sub, rawSub] of Object.entries(multi).sort(byName)) {
          const subDef = asObject(rawSub);
          if (!subDef) continue;
          fields.push({
            name: `${path}.${sub}`,
            dataType: typeof subDef.type === 'string' ? subDef.type : 'object',
            nullable: true,
            path: `${path}.${sub}`,
            properties: { ...parameters(subDef), multi_field_of: path },
          });
        }
      }
      const children = asObject(def.properties);
      if (children) walk(children, path, depth + 1);
    }
  };

  walk(asObject(root.properties) ?? {}, '', 0);
  for (const [name, raw] of Object.entries(asObject(root.runtime) ?? {}).sort(byName)) {
    const def = asObject(raw) ?? {};
    fields.push({
      name,
      dataType: typeof def.type === 'string' ? def.type : 'keyword',
      nullable: true,
      ...(name.includes('.') ? { path: name } : {}),
      properties: { runtime: true, ...parameters(def) },
    });
  }
  return fields.map((f, i) => ({ ...f, ordinal: i + 1 }));
}

/** Mapping-level settings of an index: dynamic, _source, _routing, _meta, dynamic templates. */
export function mappingProperties(mappings: unknown): Record<string, unknown> {
  const root = asObject(mappings) ?? {};
  const out: Record<string, unknown> = {};
  if (root.dynamic !== undefined) out.dynamic = root.dynamic;
  if (root._source !== undefined) out.source = root._source;
  if (root._routing !== undefined) out.routing = root._routing;
  if (root._meta !== undefined) out.meta = root._meta;
  if (Array.isArray(root.dynamic_templates))
    out.dynamic_templates = root.dynamic_templates.map((t) => Object.keys(asObject(t) ?? {})[0]).filter(Boolean);
  if (root.date_detection !== undefined) out.date_detection = root.date_detection;
  if (root.numeric_detection !== undefined) out.numeric_detection = root.numeric_detection;
  return out;
}
