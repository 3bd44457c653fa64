import { DataSource } from 'typeorm';

export type SqlStore = 'sqlite' | 'postgres' | 'mysql';

/** The SQL types bulk statements cast their parameters to (PostgreSQL needs them in VALUES lists). */
export type SqlType = 'varchar' | 'text' | 'bigint' | 'integer' | 'boolean';

/** What differs between the three stores for the hand-written SQL of the catalog. */
export interface SqlDialect {
  readonly store: SqlStore;
  /** Bound parameters one statement may carry. */
  readonly maxParams: number;
  /** The placeholder for the n-th (1-based) parameter. */
  param(n: number): string;
  /** A boolean as the driver binds it (better-sqlite3 takes numbers only). */
  bool(value: boolean): boolean | number;
  /** Row lock for a read that precedes an update in the same transaction ('' where the store locks whole files). */
  readonly forUpdate: string;
  /**
   * An ORDER BY term comparing `expr` by code point, so lists come out in the same order on every
   * store whatever its collation (MySQL's *_ci collations, for one, sort `_` after letters).
   */
  bytewise(expr: string): string;
}

export function dialectOf(dataSource: DataSource): SqlDialect {
  const type = dataSource.options.type;
  if (type === 'postgres') {
    return {
      store: 'postgres',
      maxParams: 60_000,
      param: (n) => `$${n}`,
      bool: (v) => v,
      forUpdate: ' FOR UPDATE',
      bytewise: (e) => `${e} COLLATE "C"`,
    };
  }
  if (type === 'mysql' || type === 'mariadb') {
    return {
      store: 'mysql',
      maxParams: 30_000,
      param: () => '?',
      bool: (v) => (v ? 1 : 0),
      forUpdate: ' FOR UPDATE',
      bytewise: (e) => `CAST(${e} AS BINARY)`,
    };
  }
  // better-sqlite3 is built with SQLITE_MAX_VARIABLE_NUMBER=32766.
  return {
    store: 'sqlite',
    maxParams: 32_000,
    param: () => '?',
    bool: (v) => (v ? 1 : 0),
    forUpdate: '',
    bytewise: (e) => e,
  };
}

/** The same order as `bytewise` for values already in memory. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
