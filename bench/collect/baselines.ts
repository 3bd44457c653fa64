/**
 * What the connectors are compared with, on the same source:
 *  - the floor: the same catalog rows pulled by a handful of schema-wide queries, all in memory;
 *  - per-table reflection as SQLAlchemy-based catalogs do it: about 9 catalog queries per table on
 *    PostgreSQL (the inspector's get_columns, enums, pk, foreign keys, indexes, unique and check
 *    constraints, comment, after looking the table up) and one SHOW CREATE TABLE per table on MySQL.
 */
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { tableName } from './sources';

export interface BaselineResult {
  queries: number;
  rows: number;
}

// ---- PostgreSQL ---------------------------------------------------------------------------------

// The floor deparses what the connector deparses, the cheapest way the connector does: defaults
// without naming their relation (which would open every relation), constraint text only where it
// says more than the columns.

const PG_FLOOR = [
  `SELECT c.oid, c.relname, c.relkind, c.relpersistence, pg_get_userbyid(c.relowner) AS owner, d.description AS comment,
          c.reltuples, c.reloptions,
          (c.relpages::bigint + coalesce(t.relpages, 0) + coalesce((SELECT sum(ic.relpages) FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
             WHERE x.indrelid = c.oid), 0)) * current_setting('block_size')::bigint AS bytes
   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
   LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
   WHERE n.nspname = $1 AND c.relkind IN ('r','v','m','p','f')`,
  `SELECT a.attrelid, a.attname, a.attnum, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
          pg_get_expr(ad.adbin, CASE WHEN a.attgenerated <> '' THEN ad.adrelid ELSE 0 END) AS def, d.description AS comment,
          a.attidentity, a.attgenerated
   FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
   LEFT JOIN pg_description d ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
   WHERE n.nspname = $1 AND c.relkind IN ('r','v','m','p','f') AND a.attnum > 0 AND NOT a.attisdropped`,
  `SELECT co.conrelid, co.conname, co.contype, co.conkey, co.confrelid, co.confkey,
          CASE WHEN co.contype IN ('f', 'c') OR co.condeferrable THEN pg_get_constraintdef(co.oid) END AS def
   FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace WHERE n.nspname = $1 AND co.contype IN ('p','u','f','c')`,
  `SELECT i.indrelid, ic.relname, i.indisunique, i.indkey, am.amname, pg_get_expr(i.indpred, i.indrelid) AS predicate
   FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
   JOIN pg_namespace n ON n.oid = ic.relnamespace WHERE n.nspname = $1`,
];

export async function pgFloor(client: Client, schema: string): Promise<BaselineResult> {
  let rows = 0;
  for (const sql of PG_FLOOR) rows += (await client.query(sql, [schema])).rowCount ?? 0;
  return { queries: PG_FLOOR.length, rows };
}

/** One table reflected the way SQLAlchemy's PostgreSQL inspector does it: 9 round trips. */
async function pgReflectTable(client: Client, schema: string, table: string): Promise<number> {
  const [{ oid }] = (
    await client.query(
      `SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r','v','m','f','p')`,
      [schema, table],
    )
  ).rows;
  const statements: Array<[string, unknown[]]> = [
    [
      `SELECT a.attname, format_type(a.atttypid, a.atttypmod), (SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
         WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef), a.attnotnull, a.attnum, a.attrelid,
         pg_catalog.col_description(a.attrelid, a.attnum), a.attidentity, a.attgenerated
       FROM pg_attribute a WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [oid],
    ],
    [
      `SELECT t.typname, pg_type_is_visible(t.oid), n.nspname, e.enumlabel FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_enum e ON t.oid = e.enumtypid WHERE t.typtype = 'e' ORDER BY 3, 1, e.enumsortorder`,
      [],
    ],
    [
      `SELECT a.attname FROM pg_attribute a JOIN (SELECT unnest(con.conkey) AS attnum, generate_subscripts(con.conkey, 1) AS ord, con.conname
         FROM pg_constraint con WHERE con.conrelid = $1 AND con.contype = 'p') k ON a.attnum = k.attnum WHERE a.attrelid = $1 ORDER BY k.ord`,
      [oid],
    ],
    [
      `SELECT r.conname, pg_get_constraintdef(r.oid, true) AS condef, n.nspname AS conschema FROM pg_constraint r, pg_namespace n, pg_class c
       WHERE r.conrelid = $1 AND r.contype = 'f' AND c.oid = confrelid AND n.oid = c.relnamespace ORDER BY 1`,
      [oid],
    ],
    [
      `SELECT i.relname, ix.indisunique, ix.indexprs, a.attname, a.attnum, c.conrelid, ix.indkey::varchar, ix.indoption::varchar, i.reloptions, am.amname,
         pg_get_expr(ix.indpred, ix.indrelid), pg_get_indexdef(ix.indexrelid) FROM pg_class t JOIN pg_index ix ON t.oid = ix.indrelid
       JOIN pg_class i ON i.oid = ix.indexrelid LEFT JOIN pg_attribute a ON t.oid = a.attrelid AND a.attnum = ANY(ix.indkey)
       LEFT JOIN pg_constraint c ON ix.indrelid = c.conrelid AND ix.indexrelid = c.conindid AND c.contype IN ('p','u','x')
       LEFT JOIN pg_am am ON i.relam = am.oid WHERE t.relkind IN ('r','v','f','m','p') AND t.oid = $1 AND ix.indisprimary = 'f' ORDER BY t.relname, i.relname`,
      [oid],
    ],
    [
      `SELECT cons.conname, cons.conkey, a.attnum, a.attname FROM pg_catalog.pg_constraint cons JOIN pg_attribute a ON cons.conrelid = a.attrelid
         AND a.attnum = ANY(cons.conkey) WHERE cons.conrelid = $1 AND cons.contype = 'u'`,
      [oid],
    ],
    [
      `SELECT cons.conname, pg_get_constraintdef(cons.oid) FROM pg_catalog.pg_constraint cons WHERE cons.conrelid = $1 AND cons.contype = 'c' ORDER BY cons.conname`,
      [oid],
    ],
    [`SELECT pg_catalog.obj_description($1, 'pg_class') AS table_comment`, [oid]],
  ];
  let rows = 1;
  for (const [sql, values] of statements) rows += (await client.query(sql, values)).rowCount ?? 0;
  return rows;
}

export const PG_REFLECTION_QUERIES_PER_TABLE = 9;

export async function pgReflection(client: Client, schema: string, sample: number[]): Promise<BaselineResult> {
  let rows = 0;
  for (const i of sample) rows += await pgReflectTable(client, schema, tableName(i));
  return { queries: sample.length * PG_REFLECTION_QUERIES_PER_TABLE, rows };
}

// ---- MariaDB ------------------------------------------------------------------------------------

type Conn = mysql.Connection;

const count = async (conn: Conn, sql: string, values: unknown[] = []) =>
  ((await conn.query({ sql, values }))[0] as unknown[]).length;

/** information_schema alone: what a reader without the InnoDB dictionary must ask for. */
export async function mariadbFloorInformationSchema(conn: Conn, schema: string): Promise<BaselineResult> {
  const statements = [
    `SELECT TABLE_NAME, TABLE_TYPE, ENGINE, ROW_FORMAT, TABLE_ROWS, DATA_LENGTH, INDEX_LENGTH, AUTO_INCREMENT, CREATE_TIME, UPDATE_TIME,
            TABLE_COLLATION, CREATE_OPTIONS, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`,
    `SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, COLUMN_TYPE, CHARACTER_SET_NAME, COLLATION_NAME,
            COLUMN_KEY, EXTRA, COLUMN_COMMENT, GENERATION_EXPRESSION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`,
    `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, INDEX_TYPE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?`,
    `SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
       FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL`,
    `SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`,
  ];
  let rows = 0;
  for (const sql of statements) rows += await count(conn, sql, [schema]);
  return { queries: statements.length, rows };
}

/** The sources the connector reads where the account has PROCESS: information_schema plus the InnoDB dictionary. */
export async function mariadbFloorSameSources(conn: Conn, schema: string): Promise<BaselineResult> {
  const like = `${schema}/%`;
  const statements: Array<[string, unknown[]]> = [
    [
      `SELECT TABLE_NAME, TABLE_TYPE, ENGINE, ROW_FORMAT, TABLE_ROWS, DATA_LENGTH, INDEX_LENGTH, AUTO_INCREMENT, CREATE_TIME, UPDATE_TIME,
              TABLE_COLLATION, CREATE_OPTIONS, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`,
      [schema],
    ],
    [
      `SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, COLUMN_TYPE, CHARACTER_SET_NAME, COLLATION_NAME,
              COLUMN_KEY, EXTRA, COLUMN_COMMENT, GENERATION_EXPRESSION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`,
      [schema],
    ],
    ['SELECT TABLE_ID, NAME FROM information_schema.INNODB_SYS_TABLES WHERE NAME LIKE ?', [like]],
    ['SELECT TABLE_ID, INDEX_ID, NAME, TYPE FROM information_schema.INNODB_SYS_INDEXES', []],
    ['SELECT INDEX_ID, NAME, POS FROM information_schema.INNODB_SYS_FIELDS', []],
    ['SELECT ID, FOR_NAME, REF_NAME, TYPE FROM information_schema.INNODB_SYS_FOREIGN WHERE FOR_NAME LIKE ?', [like]],
    [
      'SELECT ID, FOR_COL_NAME, REF_COL_NAME, POS FROM information_schema.INNODB_SYS_FOREIGN_COLS WHERE ID LIKE ?',
      [like],
    ],
  ];
  let rows = 0;
  for (const [sql, values] of statements) rows += await count(conn, sql, values);
  return { queries: statements.length, rows };
}

export async function mariadbReflection(conn: Conn, schema: string, sample: number[]): Promise<BaselineResult> {
  let rows = 0;
  for (const i of sample) rows += await count(conn, `SHOW CREATE TABLE \`${schema}\`.\`${tableName(i)}\``);
  return { queries: sample.length, rows };
}
