import { createHash } from 'node:crypto';
import { CatalogAsset, CatalogField, CatalogIndex, CatalogKey, CatalogNamespace } from '../core/types';
import { ServerFlavor } from './flavor';
import { ForeignKeyPart, IndexPart } from './innodb-dictionary';
import { Row } from './session';
import { extrasSignalPayload, TableExtras } from './table-extras';

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));

export function toNamespace(row: Row): CatalogNamespace {
  return {
    name: text(row.name),
    kind: 'database',
    properties: { default_character_set: str(row.charset), default_collation: str(row.collation) },
  };
}

/** Everything read about one table; its asset and change signal are built from it. */
export interface TableFacts {
  table: Row;
  columns: Row[];
  indexes: IndexPart[];
  foreignKeys: ForeignKeyPart[];
  view?: Row;
  /** CHECK constraints and partitions, where the server has them. */
  extras?: TableExtras;
}

export function indexPartsFromStatistics(rows: Row[]): IndexPart[] {
  return rows.map((r) => ({
    table: text(r.table_name),
    index: text(r.index_name),
    unique: Number(r.non_unique) === 0,
    method: text(r.method),
    // MySQL 8 functional key parts have no column, only an expression.
    column: r.column_name === null || r.column_name === undefined ? `(${text(r.expression)})` : text(r.column_name),
    seq: Number(r.seq),
  }));
}

export function foreignKeyPartsFromInformationSchema(columns: Row[], rules: Row[]): ForeignKeyPart[] {
  const ruleOf = new Map(rules.map((r) => [`${text(r.table_name)}\u001f${text(r.name)}`, r]));
  return columns.map((r) => {
    const rule = ruleOf.get(`${text(r.table_name)}\u001f${text(r.name)}`);
    return {
      table: text(r.table_name),
      name: text(r.name),
      column: text(r.column_name),
      seq: Number(r.seq),
      refSchema: text(r.ref_schema),
      refTable: text(r.ref_table),
      refColumn: text(r.ref_column),
      updateRule: text(rule?.update_rule ?? 'RESTRICT'),
      deleteRule: text(rule?.delete_rule ?? 'RESTRICT'),
    };
  });
}

const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;

function groupIndexes(parts: IndexPart[]): CatalogIndex[] {
  const byName = new Map<string, { unique: boolean; method: string; columns: Array<[number, string]> }>();
  for (const p of parts) {
    const entry = byName.get(p.index) ?? { unique: p.unique, method: p.method, columns: [] };
    entry.columns.push([p.seq, p.column]);
    byName.set(p.index, entry);
  }
  return [...byName.entries()]
    .sort(([a], [b]) => (a === 'PRIMARY' ? -1 : b === 'PRIMARY' ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([name, e]) => ({
      name,
      columns: e.columns.sort((x, y) => x[0] - y[0]).map(([, c]) => c),
      unique: e.unique,
      method: e.method,
      predicate: null,
    }));
}

function groupForeignKeys(parts: ForeignKeyPart[]): CatalogKey[] {
  const byName = new Map<string, ForeignKeyPart[]>();
  for (const p of parts) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, ps]) => {
      ps.sort((x, y) => x.seq - y.seq);
      const first = ps[0];
      const columns = ps.map((p) => p.column);
      const refColumns = ps.map((p) => p.refColumn);
      return {
        name,
        type: 'foreign' as const,
        columns,
        references: { namespace: first.refSchema, table: first.refTable, columns: refColumns },
        definition: `FOREIGN KEY (${columns.map(quote).join(', ')}) REFERENCES ${quote(first.refSchema)}.${quote(first.refTable)} (${refColumns.map(quote).join(', ')}) ON DELETE ${first.deleteRule} ON UPDATE ${first.updateRule}`,
      };
    });
}

/** MariaDB quotes literal defaults and spells "no default but NULL" as the string NULL. */
function columnDefault(row: Row, flavor: ServerFlavor): string | null {
  const value = str(row.default_value);
  if (flavor === 'mariadb' && value === 'NULL') return null;
  return value;
}

function toField(row: Row, flavor: ServerFlavor): CatalogField {
  const extra = text(row.extra);
  const generated = /\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i.exec(extra);
  const properties: Record<string, unknown> = {};
  if (row.charset) properties.charset = text(row.charset);
  if (row.collation) properties.collation = text(row.collation);
  if (/auto_increment/i.test(extra)) properties.auto_increment = true;
  const onUpdate = /on update (\S+(?:\(\d*\))?)/i.exec(extra);
  if (onUpdate) properties.on_update = onUpdate[1];
  if (/INVISIBLE/i.test(extra)) properties.invisible = true;
  if (generated) {
    properties.generated = generated[1].toUpperCase() === 'VIRTUAL' ? 'VIRTUAL' : 'STORED';
    properties.generation_expression = str(row.generation) ?? str(row.default_value);
  }
  return {
    name: text(row.name),
    ordinal: Number(row.ordinal),
    dataType: text(row.data_type),
    nullable: text(row.nullable) === 'YES',
    default: generated ? null : columnDefault(row, flavor),
    comment: text(row.comment) || null,
    primaryKey: text(row.column_key) === 'PRI',
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  };
}

/**
 * What the MySQL change signal covers, in words for the type listing, shared with Doris's
 * MySQL-compatible path. Table timestamps are not used: CREATE_TIME/UPDATE_TIME miss comment and
 * column changes on some engines, and reading them opens every table on MariaDB.
 */
export const MYSQL_CHANGE_SIGNAL =
  "md5, computed by the connector per table from rows read in set-based statements (one per kind of fact for each database), over: information_schema.TABLES TABLE_TYPE, ENGINE, TABLE_COLLATION and TABLE_COMMENT; every information_schema.COLUMNS row (name, position, COLUMN_TYPE, nullability, default, character set, collation, COLUMN_KEY, EXTRA, comment, generation expression); the table's indexes and foreign keys (MariaDB's InnoDB dictionary where the account has PROCESS, else STATISTICS and KEY_COLUMN_USAGE); a view's definition; CHECK constraints (CHECK_CONSTRAINTS) and partition definitions (PARTITIONS: names, method, expression, bounds, comments). Column add/drop/alter, comment, index, key, CHECK and partition changes change it, as does a referenced table's rename (its foreign keys' rows name it anew); row counts, sizes, UPDATE_TIME and AUTO_INCREMENT do not. Routines and triggers: md5 over everything their entry shows (ROUTINES with PARAMETERS, TRIGGERS).";

/**
 * The change signal: an md5 over what defines the table, as read in this run: its type, engine,
 * collation and comment (information_schema.TABLES, read without opening the table), every
 * column's name, position, type, nullability, default, character set, collation, key flag, extra
 * and comment (COLUMNS), its indexes and foreign keys, and a view's definition. Row counts, sizes,
 * update time and AUTO_INCREMENT are data, not definition, and stay out.
 */
export function changeSignal(facts: TableFacts): string {
  const t = facts.table;
  const payload = [
    // A view has no comment: MariaDB reports "VIEW", or an error when it no longer resolves, and
    // only when the statement also reads storage facts, so full and incremental runs would differ.
    [t.type, t.engine, t.collation, isView(t) ? null : t.comment].map(str),
    facts.columns.map((c) =>
      [
        c.name,
        c.ordinal,
        c.data_type,
        c.nullable,
        c.default_value,
        c.charset,
        c.collation,
        c.column_key,
        c.extra,
        c.comment,
        c.generation,
      ].map(str),
    ),
    groupIndexes(facts.indexes),
    groupForeignKeys(facts.foreignKeys),
    facts.view ? [str(facts.view.definition), str(facts.view.check_option), str(facts.view.security_type)] : null,
    facts.extras ? extrasSignalPayload(facts.extras) : null,
  ];
  return createHash('md5').update(JSON.stringify(payload)).digest('hex');
}

export function isView(table: Row): boolean {
  return /VIEW/i.test(text(table.type));
}

export function toAsset(schema: string, facts: TableFacts, flavor: ServerFlavor, signal: string): CatalogAsset {
  const t = facts.table;
  const view = isView(t);
  const fields = facts.columns.map((c) => toField(c, flavor));
  const indexes = groupIndexes(facts.indexes);
  const keys: CatalogKey[] = [];
  for (const index of indexes) {
    if (index.name === 'PRIMARY') keys.push({ name: 'PRIMARY', type: 'primary', columns: index.columns });
    else if (index.unique) keys.push({ name: index.name, type: 'unique', columns: index.columns });
  }
  keys.push(...groupForeignKeys(facts.foreignKeys));
  const properties: Record<string, unknown> = { table_type: text(t.type) };
  if (!view) {
    properties.engine = str(t.engine);
    properties.collation = str(t.collation);
  }
  let owner: string | null = null;
  if (facts.view) {
    properties.definition = str(facts.view.definition);
    properties.check_option = str(facts.view.check_option);
    properties.is_updatable = text(facts.view.updatable) === 'YES';
    properties.security_type = str(facts.view.security_type);
    owner = str(facts.view.definer);
  }
  const comment = text(t.comment);
  return {
    namespace: schema,
    name: text(t.name),
    kind: view ? 'view' : 'table',
    // Views have none (see changeSignal).
    comment: comment === '' || view ? null : comment,
    owner,
    properties,
    fields,
    keys,
    indexes,
    changeSignal: signal,
  };
}

/** Adds storage facts and statistics read by `tableStorageStatement`. */
export function applyStorage(asset: CatalogAsset, row: Row): void {
  Object.assign(asset.properties!, {
    row_format: str(row.row_format),
    create_time: str(row.create_time),
    update_time: str(row.update_time),
    auto_increment: num(row.auto_increment),
    create_options: str(row.create_options) || null,
  });
  const data = num(row.data_length);
  const index = num(row.index_length);
  asset.statistics = {
    rows: num(row.table_rows),
    bytes: data === null && index === null ? null : (data ?? 0) + (index ?? 0),
  };
}
