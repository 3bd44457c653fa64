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
 * The change signal of one relation: its own pg_class row version plus, for each catalog that
 * holds part of its definition, the count and the sum of row versions (xmin) of its rows there.
 * Any DDL inserts, updates or deletes such a row: an insert or update brings a new xmin, a delete
 * lowers the count. ANALYZE/VACUUM update pg_class in place and leave xmin alone, so statistics
 * churn does not count as a change.
 *   pg_attribute  columns: add, drop, rename, type, NOT NULL, identity
 *   pg_attrdef    defaults and generation expressions
 *   pg_constraint primary, unique, foreign, check and exclusion constraints
 *   pg_index + the index's pg_class row: indexes added, dropped, renamed (relhasindex is set by
 *                 the first index and cleared only by VACUUM once none is left, so the guard holds)
 *   pg_description comments on the relation and its columns
 *   pg_rewrite    view and materialized view definitions
 *   pg_inherits   the relation attached to or detached from a partitioned table
 */
const CHANGE_SIGNAL = `md5(concat_ws('|', c.xmin::text,
    (SELECT count(*) || ':' || coalesce(sum(x.xmin::text::bigint), 0) FROM pg_attribute x WHERE x.attrelid = c.oid),
    (SELECT count(*) || ':' || coalesce(sum(x.xmin::text::bigint), 0) FROM pg_attrdef x WHERE x.adrelid = c.oid),
    (SELECT count(*) || ':' || coalesce(sum(x.xmin::text::bigint), 0) FROM pg_constraint x WHERE x.conrelid = c.oid),
    CASE WHEN c.relhasindex THEN (SELECT count(*) || ':' || coalesce(sum(x.xmin::text::bigint + ic.xmin::text::bigint), 0)
       FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid) END,
    (SELECT count(*) || ':' || coalesce(sum(x.xmin::text::bigint), 0)
       FROM pg_description x WHERE x.objoid = c.oid AND x.classoid = 'pg_class'::regclass),
    CASE WHEN c.relkind IN ('v', 'm') THEN (SELECT count(*) || ':' || coalesce(sum(x.xmin::text::bigint), 0) FROM pg_rewrite x WHERE x.ev_class = c.oid) END,
    CASE WHEN c.relispartition THEN (SELECT count(*) || ':' || coalesce(sum(x.xmin::text::bigint), 0) FROM pg_inherits x WHERE x.inhrelid = c.oid) END
  ))`;

/**
 * One page of relations (tables, views, materialized views, partitioned and foreign tables),
 * keyset-paged on (relname, relnamespace) so each page is an index range scan.
 *   $6 last relname of the previous page  $7 its namespace oid  $8 page size
 *   $9 whether to read statistics: reltuples, and total bytes estimated from the relpages of the
 *      table, its TOAST table and its indexes as of their last VACUUM/ANALYZE (pg_total_relation_size
 *      would be exact but stats every file of every relation: seconds per ten thousand tables)
 */
export const RELATIONS_PAGE_SQL = `
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
       ${CHANGE_SIGNAL} AS change_signal
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

/*
 * The detail queries join the page's oids as a set (unnest) and look defaults, comments and
 * collations up per row, so a page costs index lookups for its own relations instead of a scan of
 * whole catalogs (pg_attrdef, pg_description) per page. Rows come unordered; the reader sorts them.
 */

/** Columns of the given relations; the reader numbers them densely (dropped columns leave no gap). */
export const COLUMNS_SQL = `
SELECT a.attrelid::bigint AS relid, a.attname AS name, a.attnum AS attnum,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       NOT a.attnotnull AS nullable,
       CASE WHEN a.atthasdef THEN (SELECT pg_get_expr(ad.adbin, ad.adrelid, true) FROM pg_attrdef ad
                                    WHERE ad.adrelid = a.attrelid AND ad.adnum = a.attnum) END AS default_expr,
       (SELECT d.description FROM pg_description d
         WHERE d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum) AS comment,
       a.attidentity::text AS identity, a.attgenerated::text AS generated,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> (SELECT t.typcollation FROM pg_type t WHERE t.oid = a.atttypid)
            THEN (SELECT co.collname FROM pg_collation co WHERE co.oid = a.attcollation) END AS collation
FROM unnest($1::oid[]) AS r(oid)
JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped`;

/** Primary, unique, foreign-key and check constraints of the given relations. */
export const CONSTRAINTS_SQL = `
SELECT co.conrelid::bigint AS relid, co.conname AS name, co.contype::text AS contype,
       ARRAY(SELECT a.attname::text FROM unnest(co.conkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
       rn.nspname AS ref_namespace, rc.relname AS ref_table,
       ARRAY(SELECT a.attname::text FROM unnest(co.confkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS ref_columns,
       pg_get_constraintdef(co.oid, true) AS definition
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
             WHERE k.ord > i.indnkeyatts ORDER BY k.ord) AS include_columns
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
