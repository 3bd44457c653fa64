import { CatalogAsset, CatalogKey } from '../core/types';
import { ServerDescription, statementText } from './flavor';
import { checkConstraintsStatement, hasCheckConstraints, ObjectScope, partitionsStatement } from './object-sql';
import { MysqlSession, Row } from './session';

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));

/** A table's CHECK constraints and partitions, as read for its whole database. */
export interface TableExtras {
  checks: Row[];
  partitions: Row[];
}

export const NO_EXTRAS: TableExtras = { checks: [], partitions: [] };

/**
 * CHECK constraints and partitions of every table of a database in scope: one statement each for
 * the whole database, held by table name (both are few per table). Doris has neither here.
 */
export async function readTableExtras(
  session: MysqlSession,
  server: ServerDescription,
  schema: string,
  scope: ObjectScope,
  signal: AbortSignal,
): Promise<Map<string, TableExtras>> {
  const out = new Map<string, TableExtras>();
  if (server.flavor === 'doris') return out;
  const entry = (table: string) => {
    let e = out.get(table);
    if (!e) out.set(table, (e = { checks: [], partitions: [] }));
    return e;
  };
  const run = (statement: { sql: string; values: unknown[] }) =>
    session.query(statementText(server.flavor, statement), statement.values, signal);
  const [checks, partitions] = await Promise.all([
    hasCheckConstraints(server) ? run(checkConstraintsStatement(server, schema, scope)) : Promise.resolve([]),
    run(partitionsStatement(schema, scope)),
  ]);
  for (const row of checks) entry(text(row.table_name)).checks.push(row);
  for (const row of partitions) entry(text(row.table_name)).partitions.push(row);
  return out;
}

/** What of the extras defines the table (row counts and sizes of partitions are data, not definition). */
export function extrasSignalPayload(extras: TableExtras): unknown {
  return [
    extras.checks.map((c) => [c.name, c.clause, c.level, c.enforced].map(str)),
    extras.partitions.map((p) =>
      [
        p.name,
        p.subpartition,
        p.ordinal,
        p.sub_ordinal,
        p.method,
        p.sub_method,
        p.expression,
        p.sub_expression,
        p.description,
        p.comment,
      ].map(str),
    ),
  ];
}

/** CHECK constraints as keys of type 'check', the definition as the server prints it. */
export function checkKeys(extras: TableExtras): CatalogKey[] {
  return extras.checks.map((c) => ({
    name: text(c.name),
    type: 'check' as const,
    // A column-level CHECK (MariaDB) constrains that column; a table-level one is over the row.
    columns: text(c.level) === 'Column' ? [text(c.name)] : [],
    definition: `CHECK (${text(c.clause)})`,
  }));
}

/**
 * Partitioning of a table: method and expression, and each partition with its bound, rows and
 * bytes (subpartitions inside their partition).
 */
export function partitioning(extras: TableExtras): Record<string, unknown> | undefined {
  const rows = extras.partitions;
  if (rows.length === 0) return undefined;
  const first = rows[0];
  const partitions: Array<Record<string, unknown>> = [];
  for (const p of rows) {
    const figures = {
      rows: num(p.table_rows),
      bytes: (num(p.data_length) ?? 0) + (num(p.index_length) ?? 0),
    };
    let partition = partitions.at(-1);
    if (!partition || partition.name !== text(p.name)) {
      partition = {
        name: text(p.name),
        ordinal: num(p.ordinal),
        description: str(p.description),
        comment: text(p.comment) || null,
        rows: 0,
        bytes: 0,
      };
      if (p.subpartition !== null && p.subpartition !== undefined) partition.subpartitions = [];
      partitions.push(partition);
    }
    partition.rows = (partition.rows as number) + (figures.rows ?? 0);
    partition.bytes = (partition.bytes as number) + figures.bytes;
    if (Array.isArray(partition.subpartitions))
      partition.subpartitions.push({ name: text(p.subpartition), ordinal: num(p.sub_ordinal), ...figures });
  }
  return {
    method: str(first.method),
    expression: str(first.expression),
    ...(first.sub_method
      ? { subpartition_method: str(first.sub_method), subpartition_expression: str(first.sub_expression) }
      : {}),
    count: partitions.length,
    partitions,
  };
}

/** Adds a table's CHECK constraints and partitioning to its asset. */
export function applyExtras(asset: CatalogAsset, extras: TableExtras): void {
  asset.keys = [...(asset.keys ?? []), ...checkKeys(extras)];
  const partitions = partitioning(extras);
  if (partitions) asset.properties = { ...asset.properties, partitioning: partitions };
}
