/**
 * Doris's table design — data model, key columns, distribution (buckets) and partitions — read from
 * what Doris itself prints: information_schema.table_options / partitions (Doris 2.1+), or
 * SHOW CREATE TABLE and SHOW PARTITIONS on older servers.
 */

export type DataModel = 'duplicate' | 'unique' | 'aggregate' | 'primary';

export interface DorisPartition {
  name: string;
  /** The partition's range or list values as Doris prints them; null for an unpartitioned table. */
  range: string | null;
  buckets?: number | null;
  rows?: number | null;
  bytes?: number | null;
}

export interface DorisDesign {
  data_model?: DataModel | null;
  key_columns?: string[];
  distribution_type?: string | null;
  distribution_columns?: string[];
  /** Buckets per partition; "AUTO" when Doris sizes them. */
  buckets?: number | 'AUTO' | null;
  partition_method?: string | null;
  partition_key?: string | null;
  partition_count?: number | null;
  partitions?: DorisPartition[];
  table_properties?: Record<string, string>;
}

/** At most this many partitions are listed per table (daily partitions run into thousands). */
export const MAX_LISTED_PARTITIONS = 500;

type Row = Record<string, unknown>;
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const numberOrNull = (v: unknown) =>
  v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v);
/** Doris prints "NULL" as text in some metadata columns. */
const nullable = (v: unknown) => {
  const s = text(v).trim();
  return s === '' || s.toUpperCase() === 'NULL' ? null : s;
};

/** `DUP_KEYS`, `DUP`, `DUPLICATE KEY` … → duplicate, and so on. */
export function normaliseModel(raw: unknown): DataModel | null {
  const s = text(raw).trim().toUpperCase();
  if (s.startsWith('DUP')) return 'duplicate';
  if (s.startsWith('UNI')) return 'unique';
  if (s.startsWith('AGG')) return 'aggregate';
  if (s.startsWith('PRI')) return 'primary';
  return null;
}

/** "`k1`, `k2`" or "k1,k2" → ['k1', 'k2']. */
export function columnList(raw: unknown): string[] {
  return text(raw)
    .split(',')
    .map((c) =>
      c
        .trim()
        .replace(/^`(.*)`$/, '$1')
        .replace(/``/g, '`'),
    )
    .filter(Boolean);
}

/** From a row of information_schema.table_options. */
export function designFromTableOptions(row: Row): DorisDesign {
  const type = nullable(row.DISTRIBUTE_TYPE ?? row.distribute_type);
  const key = nullable(row.DISTRIBUTE_KEY ?? row.distribute_key);
  return {
    data_model: normaliseModel(row.TABLE_MODEL ?? row.table_model),
    key_columns: columnList(row.TABLE_MODEL_KEY ?? row.table_model_key),
    distribution_type: type,
    distribution_columns: type === 'RANDOM' || !key ? [] : columnList(key),
    buckets: numberOrNull(row.BUCKETS_NUM ?? row.buckets_num),
    partition_count: numberOrNull(row.PARTITION_NUM ?? row.partition_num),
  };
}

/** From rows of information_schema.partitions for one table. */
export function designFromPartitionRows(rows: Row[]): DorisDesign {
  const first = rows[0] ?? {};
  const method = nullable(first.PARTITION_METHOD ?? first.partition_method);
  return {
    partition_method: method,
    partition_key:
      method === 'UNPARTITIONED' ? null : nullable(first.PARTITION_EXPRESSION ?? first.partition_expression),
    partition_count: rows.length,
    partitions: rows.slice(0, MAX_LISTED_PARTITIONS).map((r) => ({
      name: text(r.PARTITION_NAME ?? r.partition_name),
      range: nullable(r.PARTITION_DESCRIPTION ?? r.partition_description),
      rows: numberOrNull(r.TABLE_ROWS ?? r.table_rows),
      bytes: numberOrNull(r.DATA_LENGTH ?? r.data_length),
    })),
  };
}

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, PB: 1024 ** 5 };

/** SHOW PARTITIONS prints sizes for people: "806.000 B", "2.738 KB". */
export function parseDataSize(raw: unknown): number | null {
  const m = /^\s*([\d.]+)\s*([KMGTP]?B)\s*$/i.exec(text(raw));
  return m ? Math.round(Number(m[1]) * UNITS[m[2].toUpperCase()]) : null;
}

/** From the rows of SHOW PARTITIONS FROM t (columns as the Doris reference documents them). */
export function designFromShowPartitions(rows: Row[]): DorisDesign {
  const first = rows[0] ?? {};
  const key = nullable(first.PartitionKey);
  return {
    partition_key: key,
    partition_count: rows.length,
    partitions: rows.slice(0, MAX_LISTED_PARTITIONS).map((r) => ({
      name: text(r.PartitionName),
      range: nullable(r.Range),
      buckets: numberOrNull(r.Buckets),
      bytes: parseDataSize(r.DataSize),
    })),
  };
}

/** The text inside the parentheses opening at `open`, honouring nesting and quotes. */
function balanced(s: string, open: number): string | null {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return s.slice(open + 1, i);
  }
  return null;
}

/**
 * From SHOW CREATE TABLE's DDL: the clauses after the column list —
 * `DUPLICATE|UNIQUE|AGGREGATE KEY(...)`, `[AUTO] PARTITION BY RANGE|LIST(...)`,
 * `DISTRIBUTED BY HASH(...)|RANDOM [BUCKETS n|AUTO]` and `PROPERTIES (...)`.
 */
export function designFromCreateTable(ddl: string): DorisDesign {
  const engineAt = ddl.search(/\)\s*ENGINE\s*=/i);
  const tail = engineAt >= 0 ? ddl.slice(engineAt) : ddl;
  const design: DorisDesign = {};

  const key = /\b(DUPLICATE|UNIQUE|AGGREGATE|PRIMARY)\s+KEY\s*\(([^)]*)\)/i.exec(tail);
  if (key) {
    design.data_model = normaliseModel(key[1]);
    design.key_columns = columnList(key[2]);
  }

  const partition = /\bPARTITION\s+BY\s+(RANGE|LIST)\s*(?=\()/i.exec(tail);
  if (partition) {
    design.partition_method = partition[1].toUpperCase();
    design.partition_key = balanced(tail, partition.index + partition[0].length)?.trim() ?? null;
  } else {
    design.partition_method = 'UNPARTITIONED';
    design.partition_key = null;
  }

  const distribution = /\bDISTRIBUTED\s+BY\s+(HASH|RANDOM)(?:\s*\(([^)]*)\))?(?:\s+BUCKETS\s+(\d+|AUTO))?/i.exec(tail);
  if (distribution) {
    design.distribution_type = distribution[1].toUpperCase();
    design.distribution_columns = columnList(distribution[2]);
    design.buckets =
      distribution[3] === undefined
        ? null
        : distribution[3].toUpperCase() === 'AUTO'
          ? 'AUTO'
          : Number(distribution[3]);
  }

  const propertiesAt = /\bPROPERTIES\s*(?=\()/i.exec(tail);
  if (propertiesAt) {
    const body = balanced(tail, propertiesAt.index + propertiesAt[0].length) ?? '';
    const properties: Record<string, string> = {};
    for (const m of body.matchAll(/"((?:[^"\\]|\\.)*)"\s*=\s*"((?:[^"\\]|\\.)*)"/g)) properties[m[1]] = m[2];
    design.table_properties = properties;
  }
  return design;
}
