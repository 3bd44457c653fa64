/**
 * Cluster configuration objects as assets: composable index templates, component templates,
 * ingest pipelines and ILM policies, built from the documented response bodies of
 * `GET _index_template`, `GET _component_template`, `GET _ingest/pipeline` and `GET _ilm/policy`.
 */
import { CatalogAsset } from '../core/types';
import { changeSignalOf } from './index-assets';
import { flattenMapping, mappingProperties } from './mapping-fields';

type Json = Record<string, unknown>;

/**
 * Asset names are the object's REST path, so a template, a pipeline and a policy that share a name
 * (Elasticsearch ships `logs` as all three) never collide with each other or with an index.
 */
export const CONFIG_OBJECT_PATH = {
  index_template: '_index_template/',
  component_template: '_component_template/',
  ingest_pipeline: '_ingest/pipeline/',
  lifecycle_policy: '_ilm/policy/',
} as const;

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : undefined;

const numberOr = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

const defined = (entries: Json): Json =>
  Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined && v !== null));

/** `_meta.managed: true` marks objects Elasticsearch or a stack component installs and owns. */
const managed = (meta: unknown): boolean => asObject(meta).managed === true;

/** What the `template` block of an index or component template defines, as properties. */
function templateBlock(template: Json): Json {
  const settings = asObject(asObject(template.settings).index ?? template.settings);
  const aliases = Object.keys(asObject(template.aliases)).sort();
  return defined({
    settings: Object.keys(settings).length > 0 ? settings : undefined,
    aliases: aliases.length > 0 ? aliases : undefined,
    mapping: template.mappings !== undefined ? mappingProperties(template.mappings) : undefined,
    lifecycle: template.lifecycle,
  });
}

/** One entry of `GET _index_template`'s `index_templates`: `{ name, index_template: {…} }`. */
export function buildIndexTemplateAsset(cluster: string, entry: Json): CatalogAsset {
  const def = asObject(entry.index_template);
  const template = asObject(def.template);
  return {
    namespace: cluster,
    name: CONFIG_OBJECT_PATH.index_template + String(entry.name),
    kind: 'index_template',
    properties: defined({
      index_patterns: strings(def.index_patterns) ?? [],
      priority: numberOr(def.priority),
      composed_of: strings(def.composed_of) ?? [],
      ignore_missing_component_templates: strings(def.ignore_missing_component_templates),
      version: numberOr(def.version),
      data_stream: def.data_stream !== undefined ? asObject(def.data_stream) : undefined,
      allow_auto_create: typeof def.allow_auto_create === 'boolean' ? def.allow_auto_create : undefined,
      deprecated: def.deprecated === true ? true : undefined,
      managed: managed(def._meta),
      meta: def._meta,
      ...templateBlock(template),
    }),
    fields: flattenMapping(template.mappings),
    changeSignal: changeSignalOf(def),
  };
}

/** One entry of `GET _component_template`'s `component_templates`: `{ name, component_template: {…} }`. */
export function buildComponentTemplateAsset(cluster: string, entry: Json): CatalogAsset {
  const def = asObject(entry.component_template);
  const template = asObject(def.template);
  return {
    namespace: cluster,
    name: CONFIG_OBJECT_PATH.component_template + String(entry.name),
    kind: 'component_template',
    properties: defined({
      version: numberOr(def.version),
      deprecated: def.deprecated === true ? true : undefined,
      managed: managed(def._meta),
      meta: def._meta,
      ...templateBlock(template),
    }),
    fields: flattenMapping(template.mappings),
    changeSignal: changeSignalOf(def),
  };
}

/** Processor types in order of first use, counted over nested `on_failure` handlers too. */
export function processorTypes(processors: unknown): { count: number; types: Record<string, number> } {
  const types: Record<string, number> = {};
  let count = 0;
  const walk = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const processor of list) {
      // Each processor is an object with exactly one key: its type.
      for (const [type, config] of Object.entries(asObject(processor))) {
        types[type] = (types[type] ?? 0) + 1;
        count++;
        walk(asObject(config).on_failure);
      }
    }
  };
  walk(processors);
  return { count, types };
}

/** One pipeline of `GET _ingest/pipeline`: the body is `{ id: { description, version, processors, … } }`. */
export function buildPipelineAsset(cluster: string, id: string, raw: unknown): CatalogAsset {
  const def = asObject(raw);
  const main = processorTypes(def.processors);
  const failure = processorTypes(def.on_failure);
  // Pipelines another pipeline calls are lineage between pipelines; their names are kept.
  const called = new Set<string>();
  const findCalls = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const p of list) {
      const call = asObject(asObject(p).pipeline);
      if (typeof call.name === 'string') called.add(call.name);
      for (const config of Object.values(asObject(p))) findCalls(asObject(config).on_failure);
    }
  };
  findCalls(def.processors);
  return {
    namespace: cluster,
    name: CONFIG_OBJECT_PATH.ingest_pipeline + id,
    kind: 'ingest_pipeline',
    comment: typeof def.description === 'string' ? def.description : undefined,
    properties: defined({
      version: numberOr(def.version),
      processors: main.count,
      processor_types: main.types,
      on_failure_processors: failure.count > 0 ? failure.count : undefined,
      calls_pipelines: called.size > 0 ? [...called].sort() : undefined,
      deprecated: def.deprecated === true ? true : undefined,
      managed: managed(def._meta),
      meta: def._meta,
    }),
    fields: [],
    changeSignal: changeSignalOf(def),
  };
}

/** ILM phases in lifecycle order, each with its `min_age` and action names. */
const PHASE_ORDER = ['hot', 'warm', 'cold', 'frozen', 'delete'];

/** One policy of `GET _ilm/policy`: `{ name: { version, modified_date, policy: { phases, _meta }, in_use_by } }`. */
export function buildLifecyclePolicyAsset(cluster: string, name: string, raw: unknown): CatalogAsset {
  const entry = asObject(raw);
  const policy = asObject(entry.policy);
  const phases = asObject(policy.phases);
  const order = (p: string) => (PHASE_ORDER.includes(p) ? PHASE_ORDER.indexOf(p) : PHASE_ORDER.length);
  const phaseList = Object.keys(phases)
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
    .map((phase) => {
      const p = asObject(phases[phase]);
      return defined({
        phase,
        min_age: typeof p.min_age === 'string' ? p.min_age : undefined,
        actions: Object.keys(asObject(p.actions)).sort(),
      });
    });
  const inUse = asObject(entry.in_use_by);
  const modified = entry.modified_date;
  return {
    namespace: cluster,
    name: CONFIG_OBJECT_PATH.lifecycle_policy + name,
    kind: 'lifecycle_policy',
    properties: defined({
      version: numberOr(entry.version),
      modified_date:
        typeof modified === 'number'
          ? new Date(modified).toISOString()
          : typeof modified === 'string'
            ? modified
            : undefined,
      phases: phaseList,
      rollover: asObject(asObject(phases.hot).actions).rollover,
      deprecated: policy.deprecated === true ? true : undefined,
      managed: managed(policy._meta),
      meta: policy._meta,
      used_by_indices: strings(inUse.indices),
      used_by_data_streams: strings(inUse.data_streams),
      used_by_templates: strings(inUse.composable_templates),
    }),
    fields: [],
    // Usage moves with every rollover; only the policy itself is its shape.
    changeSignal: changeSignalOf({ version: entry.version, policy }),
  };
}
