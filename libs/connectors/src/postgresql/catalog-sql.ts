/**
 * The set-based catalog queries. Scope globs arrive as LIKE patterns in text[] parameters, so
 * nothing a user typed is ever spliced into SQL text:
 *   $1 include-schema patterns  $2 exclude-schema patterns  $3 system schema names to leave out
 *   $4 include-table patterns   $5 exclude-table patterns (relation queries only)
 * An empty include list means "everything"; `x LIKE ANY('{}')` is false, so an empty exclude list
 * excludes nothing.
 */

const SCHEMA_FILTER = `
      (cardinality($1::text[]) = 0 OR n.nspname LIKE ANY ($1::text[]))
  AND NOT (n.nspname LIKE ANY ($2::text[]))
  AND NOT (n.nspname = ANY ($3::text[]))
  AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'`;

const TABLE_FILTER = `
  AND (cardinality($4::text[]) = 0 OR c.relname LIKE ANY ($4::text[]))
  AND NOT (c.relname LIKE ANY ($5::text[]))`;

/** Schemas of the database in scope. */
export const NAMESPACES_SQL = `
SELECT n.nspname AS name, pg_get_userbyid(n.nspowner) AS owner, d.description AS comment
FROM pg_namespace n
LEFT JOIN pg_description d ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
WHERE ${SCHEMA_FILTER}
ORDER BY n.nspname`;

/**
 * The change signal of one relation: an md5 over its own pg_class row version (xmin) and, for each
 * catalog holding part of its definition, the count and the sum of the row versions of its rows
 * there. Any DDL inserts, updates or deletes such a row: an insert or update brings a new xmin, a
 * delete lowers the count. ANALYZE/VACUUM update pg_class in place and leave xmin alone, so
 * statistics churn does not count as a change.
 *   pg_attribute  user columns: add, drop, rename, type, NOT NULL, identity
 *   pg_attrdef    defaults and generation expressions
 *   pg_constraint primary, unique, foreign and check constraints
 *   pg_index + the index's pg_class row: indexes added, dropped, renamed (only while relhasindex,
 *                 which the first index sets and only VACUUM clears once none is left)
 *   pg_description comments on the relation and its columns
 *   pg_rewrite    view and materialized view definitions
 *   pg_inherits   the relation attached to or detached from a partitioned table
 *
 * Incremental runs compute it in SQL for a whole page before deciding what to read (CHANGE_SIGNAL).
 * Full runs read the same rows anyway, so they take the row versions along with the details and
 * compute the identical value in the reader (catalog-rows.ts `signalFromDetails`); only the two
 * guarded parts (views, partitions) come with the page in both cases (SIGNAL_TAIL).
 */
const part = (from: string) => `(SELECT count(*) || ':' || coalesce(sum(x.xmin::text::bigint), 0) FROM ${from})`;

const SIGNAL_TAIL = `concat_ws('|',
    CASE WHEN c.relkind IN ('v', 'm') THEN ${part('pg_rewrite x WHERE x.ev_class = c.oid')} END,
    CASE WHEN c.relispartition THEN ${part('pg_inherits x WHERE x.inhrelid = c.oid')} END)`;

const CHANGE_SIGNAL = `md5(concat_ws('|', c.xmin::text,
    ${part('pg_attribute x WHERE x.attrelid = c.oid AND x.attnum > 0 AND NOT x.attisdropped')},
    ${part('pg_attrdef x WHERE x.adrelid = c.oid')},
    ${part(`pg_constraint x WHERE x.conrelid = c.oid AND x.contype IN ('p', 'u', 'f', 'c')`)},
    CASE WHEN c.relhasindex THEN (SELECT count(*) || ':' || coalesce(sum(x.xmin::text::bigint + ic.xmin::text::bigint), 0)
       FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid) END,
    ${part(`pg_description x WHERE x.objoid = c.oid AND x.classoid = 'pg_class'::regclass`)},
    NULLIF(${SIGNAL_TAIL}, '')))`;

/**
 * One page of relations (tables, views, materialized views, partitioned and foreign tables),
 * keyset-paged on (relname, relnamespace).
 *   $6 last relname of the previous page  $7 its namespace oid  $8 page size
 *   $9 whether to read statistics: reltuples, and total bytes estimated from the relpages of the
 *      table, its TOAST table and its indexes as of their last VACUUM/ANALYZE (pg_total_relation_size
 *      would be exact but stats every file of every relation: seconds per ten thousand tables)
 * With `withSignal` the page carries each relation's change signal; without, the row versions the
 * reader needs to compute it from the details.
 */
export function relationsPageSql(withSignal: boolean): string {
  return `
SELECT c.oid::bigint AS oid, c.relnamespace::bigint AS nsoid, n.nspname AS namespace, c.relname AS name,
       c.relkind::text AS relkind, c.relpersistence::text AS persistence, c.relispartition AS is_partition,
       pg_get_userbyid(c.relowner) AS owner, d.description AS comment, ts.spcname AS tablespace,
       c.reloptions::text[] AS options,
       pn.nspname AS parent_namespace, pc.relname AS parent_name,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid, true) END AS partition_bound,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS definition,
       fs.srvname AS foreign_server,
       CASE WHEN c.relkind IN ('r', 'm', 'p', 'f') THEN c.reltuples::float8 END AS row_estimate,
       CASE WHEN $9::boolean AND c.relkind IN ('r', 'm', 'p') THEN
         (c.relpages::bigint
          + coalesce((SELECT t.relpages FROM pg_class t WHERE t.oid = c.reltoastrelid), 0)
          + coalesce((SELECT sum(ic.relpages) FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid), 0)
         ) * current_setting('block_size')::bigint END AS total_bytes,
       ${
         withSignal
           ? `${CHANGE_SIGNAL} AS change_signal`
           : `NULL::text AS change_signal, c.xmin::text AS rel_xmin, d.xmin::text AS comment_xmin, c.relhasindex AS has_index, ${SIGNAL_TAIL} AS signal_tail`
       }
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
LEFT JOIN pg_tablespace ts ON ts.oid = c.reltablespace
LEFT JOIN pg_inherits inh ON c.relispartition AND inh.inhrelid = c.oid
LEFT JOIN pg_class pc ON pc.oid = inh.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_foreign_table ft ON ft.ftrelid = c.oid
LEFT JOIN pg_foreign_server fs ON fs.oid = ft.ftserver
WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f')
  AND ${SCHEMA_FILTER}
  ${TABLE_FILTER}
  AND (c.relname, c.relnamespace) > ($6::name, $7::oid)
ORDER BY c.relname, c.relnamespace
LIMIT $8`;
}

/*
 * The detail queries join the page's oids as a set (unnest), and filter pg_attrdef and
 * pg_description by the same oids before joining, so a page hashes its own rows rather than whole
 * catalogs (measured: half the server CPU of plain joins, a third of per-row lookups). Rows come
 * unordered; the reader sorts them.
 */

/** Columns of the given relations; the reader numbers them densely (dropped columns leave no gap). */
export const COLUMNS_SQL = `
SELECT a.attrelid::bigint AS relid, a.attname AS name, a.attnum AS attnum,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       NOT a.attnotnull AS nullable,
       pg_get_expr(ad.adbin, ad.adrelid, true) AS default_expr,
       d.description AS comment,
       a.attidentity::text AS identity, a.attgenerated::text AS generated,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN co.collname END AS collation,
       a.xmin::text AS attr_xmin, ad.row_xmin::text AS default_xmin, d.row_xmin::text AS comment_xmin
FROM unnest($1::oid[]) AS r(oid)
JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN (SELECT adrelid, adnum, adbin, xmin AS row_xmin FROM pg_attrdef WHERE adrelid = ANY ($1::oid[])) ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN (SELECT objoid, objsubid, description, xmin AS row_xmin FROM pg_description WHERE objoid = ANY ($1::oid[]) AND classoid = 'pg_class'::regclass) d
       ON d.objoid = a.attrelid AND d.objsubid = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation`;

/** Primary, unique, foreign-key and check constraints of the given relations. */
export const CONSTRAINTS_SQL = `
SELECT co.conrelid::bigint AS relid, co.conname AS name, co.contype::text AS contype,
       ARRAY(SELECT a.attname::text FROM unnest(co.conkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
       rn.nspname AS ref_namespace, rc.relname AS ref_table,
       ARRAY(SELECT a.attname::text FROM unnest(co.confkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS ref_columns,
       pg_get_constraintdef(co.oid, true) AS definition, co.xmin::text AS xmin
FROM unnest($1::oid[]) AS r(oid)
JOIN pg_constraint co ON co.conrelid = r.oid AND co.contype IN ('p', 'u', 'f', 'c')
LEFT JOIN pg_class rc ON rc.oid = co.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace`;

/** Indexes of the given relations: key columns (or expressions), method, uniqueness, predicate. */
export const INDEXES_SQL = `
SELECT i.indrelid::bigint AS relid, ic.relname AS name, i.indisunique AS is_unique, i.indisprimary AS is_primary,
       am.amname AS method, pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       ARRAY(SELECT CASE WHEN k.attnum <> 0 THEN a.attname::text ELSE pg_get_indexdef(i.indexrelid, k.ord::int, true) END
             FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS columns,
       ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE k.ord > i.indnkeyatts ORDER BY k.ord) AS include_columns,
       i.xmin::text AS xmin, ic.xmin::text AS class_xmin
FROM unnest($1::oid[]) AS r(oid)
JOIN pg_index i ON i.indrelid = r.oid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam`;

/** What the connection test reads: how much of the catalog the account can see. */
export const VISIBLE_CATALOG_SQL = `
SELECT count(DISTINCT n.oid)::int AS schemas, count(c.oid)::int AS tables
FROM pg_namespace n
LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  AND has_schema_privilege(n.oid, 'USAGE')`;
