import { createHash } from 'node:crypto';
import { CatalogAsset, CatalogField, CatalogKey } from '../core/types';

// Row shapes of the statements in object-sql.ts, as node-postgres returns them, and their assets.

export interface SequenceRow {
  namespace: string;
  name: string;
  owner: string | null;
  comment: string | null;
  persistence: string;
  data_type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  owned_namespace: string | null;
  owned_table: string | null;
  owned_column: string | null;
  /** 'a': OWNED BY (serial), 'i': an identity column's sequence. */
  owned_how: string | null;
}

export interface RoutineArgument {
  name: string | null;
  type: string;
  mode: string;
  default: string | null;
}

export interface RoutineRow {
  namespace: string;
  name: string;
  argument_types: string;
  prokind: string;
  owner: string | null;
  comment: string | null;
  language: string;
  volatility: string;
  strict: boolean;
  security_definer: boolean;
  parallel: string;
  returns_set: boolean;
  returns: string | null;
  definition: string | null;
  arguments: RoutineArgument[] | null;
}

export interface TriggerRow {
  namespace: string;
  table_name: string;
  name: string;
  owner: string | null;
  comment: string | null;
  type: number;
  enabled: string;
  function_namespace: string;
  function_name: string;
  definition: string;
  is_constraint: boolean;
  inherited: boolean;
  update_columns: string[];
}

export interface UserTypeRow {
  namespace: string;
  name: string;
  typtype: string;
  owner: string | null;
  comment: string | null;
  rendered: string;
  base_type: string | null;
  default_value: string | null;
  not_null: boolean;
  collation: string | null;
  constraints: Array<{ name: string; definition: string }> | null;
  labels: string[] | null;
  attributes: Array<{ name: string; type: string; comment: string | null; collation: string | null }> | null;
  subtype: string | null;
}

/**
 * These objects are read whole on every run (one statement per kind), so their change signal is a
 * digest of the entry itself: an incremental run reports an object unchanged exactly when a full
 * run would store the same entry.
 */
function withContentSignal(asset: CatalogAsset): CatalogAsset {
  const { namespace, name, kind, comment, owner, properties, fields, keys } = asset;
  const digest = createHash('md5')
    .update(JSON.stringify([namespace, name, kind, comment, owner, properties, fields, keys ?? []]))
    .digest('hex');
  return { ...asset, changeSignal: digest };
}

const PERSISTENCE: Record<string, string> = { p: 'permanent', u: 'unlogged', t: 'temporary' };

export function sequenceAsset(row: SequenceRow): CatalogAsset {
  const properties: Record<string, unknown> = {
    data_type: row.data_type,
    start: row.start,
    increment: row.increment,
    min: row.min,
    max: row.max,
    cache: row.cache,
    cycle: row.cycle,
    persistence: PERSISTENCE[row.persistence] ?? row.persistence,
    owned_by: row.owned_table
      ? {
          namespace: row.owned_namespace,
          table: row.owned_table,
          column: row.owned_column,
          identity: row.owned_how === 'i',
        }
      : null,
  };
  return withContentSignal({
    namespace: row.namespace,
    name: row.name,
    kind: 'sequence',
    comment: row.comment,
    owner: row.owner,
    properties,
    fields: [],
  });
}

const ARGUMENT_MODE: Record<string, string> = { i: 'IN', o: 'OUT', b: 'INOUT', v: 'VARIADIC', t: 'TABLE' };
const VOLATILITY: Record<string, string> = { i: 'IMMUTABLE', s: 'STABLE', v: 'VOLATILE' };
const PARALLEL: Record<string, string> = { s: 'SAFE', r: 'RESTRICTED', u: 'UNSAFE' };

/** Overloads share a name: the asset is named by its signature, e.g. `add_tax(numeric, integer)`. */
export function routineAsset(row: RoutineRow): CatalogAsset {
  const signature = `${row.name}(${row.argument_types})`;
  const fields: CatalogField[] = (row.arguments ?? []).map((a, i) => ({
    name: a.name || `$${i + 1}`,
    ordinal: i + 1,
    dataType: a.type,
    nullable: true,
    default: a.default,
    comment: null,
    primaryKey: false,
    properties: { mode: ARGUMENT_MODE[a.mode] ?? a.mode },
  }));
  const properties: Record<string, unknown> = {
    routine_name: row.name,
    signature,
    language: row.language,
    volatility: VOLATILITY[row.volatility] ?? row.volatility,
    strict: row.strict,
    security_definer: row.security_definer,
    parallel: PARALLEL[row.parallel] ?? row.parallel,
    definition: row.definition,
  };
  if (row.prokind === 'f') {
    properties.returns = row.returns;
    properties.returns_set = row.returns_set;
  }
  return withContentSignal({
    namespace: row.namespace,
    name: signature,
    kind: row.prokind === 'p' ? 'procedure' : 'function',
    comment: row.comment,
    owner: row.owner,
    properties,
    fields,
  });
}

// pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h).
const ROW = 1;
const BEFORE = 2;
const INSERT = 4;
const DELETE = 8;
const UPDATE = 16;
const TRUNCATE = 32;
const INSTEAD = 64;
const ENABLED: Record<string, string> = { O: 'ORIGIN', D: 'DISABLED', R: 'REPLICA', A: 'ALWAYS' };

/** Trigger names are unique per table only: the asset is named `table.trigger`. */
export function triggerAsset(row: TriggerRow): CatalogAsset {
  const t = row.type;
  const events = (
    [
      [INSERT, 'INSERT'],
      [UPDATE, 'UPDATE'],
      [DELETE, 'DELETE'],
      [TRUNCATE, 'TRUNCATE'],
    ] as const
  )
    .filter(([bit]) => (t & bit) !== 0)
    .map(([, name]) => name);
  const properties: Record<string, unknown> = {
    trigger_name: row.name,
    table: { namespace: row.namespace, name: row.table_name },
    timing: t & INSTEAD ? 'INSTEAD OF' : t & BEFORE ? 'BEFORE' : 'AFTER',
    events,
    level: t & ROW ? 'ROW' : 'STATEMENT',
    function: { namespace: row.function_namespace, name: row.function_name },
    enabled: row.enabled !== 'D',
    fires: ENABLED[row.enabled] ?? row.enabled,
    constraint_trigger: row.is_constraint,
    inherited: row.inherited,
    definition: row.definition,
  };
  if (row.update_columns.length > 0) properties.update_columns = row.update_columns;
  return withContentSignal({
    namespace: row.namespace,
    name: `${row.table_name}.${row.name}`,
    kind: 'trigger',
    comment: row.comment,
    owner: row.owner,
    properties,
    fields: [],
  });
}

const TYPE_KIND: Record<string, string> = { e: 'enum', c: 'composite', d: 'domain', r: 'range' };

/** Enum labels and composite attributes become fields, in order; a domain's checks become keys. */
export function userTypeAsset(row: UserTypeRow): CatalogAsset {
  const kind = TYPE_KIND[row.typtype] ?? row.typtype;
  const properties: Record<string, unknown> = { type_kind: kind, rendered: row.rendered };
  let fields: CatalogField[] = [];
  let keys: CatalogKey[] | undefined;
  if (kind === 'enum') {
    properties.labels = row.labels ?? [];
    fields = (row.labels ?? []).map((label, i) => ({
      name: label,
      ordinal: i + 1,
      dataType: row.rendered,
      nullable: false,
      default: null,
      comment: null,
      primaryKey: false,
    }));
  } else if (kind === 'composite') {
    fields = (row.attributes ?? []).map((a, i) => {
      const field: CatalogField = {
        name: a.name,
        ordinal: i + 1,
        dataType: a.type,
        nullable: true,
        default: null,
        comment: a.comment,
        primaryKey: false,
      };
      if (a.collation) field.properties = { collation: a.collation };
      return field;
    });
  } else if (kind === 'domain') {
    properties.base_type = row.base_type;
    properties.default = row.default_value;
    properties.not_null = row.not_null;
    if (row.collation) properties.collation = row.collation;
    keys = (row.constraints ?? []).map((c) => ({ name: c.name, type: 'check', columns: [], definition: c.definition }));
  } else if (kind === 'range') {
    properties.subtype = row.subtype;
  }
  const asset: CatalogAsset = {
    namespace: row.namespace,
    name: row.name,
    kind: 'user_type',
    comment: row.comment,
    owner: row.owner,
    properties,
    fields,
  };
  if (keys) asset.keys = keys;
  return withContentSignal(asset);
}
