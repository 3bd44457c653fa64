/**
 * The set-based catalog queries. Scope globs arrive as LIKE patterns in text[] parameters, so
 * nothing a user typed is ever spliced into SQL text:
 *   $1 include-schema patterns  $2 exclude-schema patterns  $3 system schema names to leave out
 *   $4 include-table patterns   $5 exclude-table patterns (relation queries only)
 * An empty include list means "everything"; `x LIKE ANY('{}')` is false, so an empty exclude list
 * excludes nothing.
 */

export const SCHEMA_FILTER = `
      (cardinality($1::text[]) = 0 OR n.nspname LIKE ANY ($1::text[]))
  AND NOT (n.nspname LIKE ANY ($2::text[]))
  AND NOT (n.nspname = ANY ($3::text[]))
  AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'`;

export const TABLE_FILTER = `
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
 *   pg_inherits   the relation attached to or detached from a partitioned table, and a
 *                 partitioned table's own partitions
 *   pg_depend     the objects the entry names (DEPENDENCY_NAMES): referenced tables and columns of
 *                 foreign keys, relations, columns, types and functions a view, a default, a
 *                 check or an index names, column types and collations, the partition parent,
 *                 the partitions; each by the name the entry prints for it
 *
 * Incremental runs compute it in SQL for every relation before deciding what to read
 * (SIGNALS_SQL). The catalog query carries the same row versions with the details, and the reader
 * computes the identical value from them (catalog-rows.ts `signalFromDetails`); only the guarded
 * parts (views, partitions) and the dependencies come ready-made (SIGNAL_TAIL).
 */
const part = (from: string) => `(SELECT count(*) || ':' || coalesce(sum(x.xmin::text::bigint), 0) FROM ${from})`;

/**
 * What each relation's entry shows of other objects, for every relation of the database at once
 * (hash joins over pg_depend: a lookup per relation costs far more): every object its columns
 * (types, collations), defaults (sequences, functions), constraints (a foreign key's referenced
 * table and columns), indexes and view rules depend on, as pg_depend records them, plus its
 * partitions (listed on a partitioned parent). Each counts by the name the entry prints for it, so
 * a rename of the object or its schema, or a move to another schema, moves the sum, while other
 * DDL on it (a column added to a table a view reads) does not. A type counts as format_type prints
 * it; a column by its name. Its own rows are counted elsewhere; here only the others.
 */
const DEPENDENCY_NAMES = `
  SELECT d.owner, count(*) AS refs, coalesce(sum(hashtext(CASE d.refclassid
           WHEN 'pg_class'::regclass THEN rn.nspname || '.' || r.relname || coalesce('.' || a.attname, '')
           WHEN 'pg_type'::regclass THEN format_type(d.refobjid, NULL)
           WHEN 'pg_proc'::regclass THEN pn.nspname || '.' || p.proname
           WHEN 'pg_collation'::regclass THEN cn.nspname || '.' || co.collname
           WHEN 'pg_namespace'::regclass THEN ns.nspname
           WHEN 'pg_foreign_server'::regclass THEN fsv.srvname END)), 0) AS names
  FROM (
    SELECT x.objid AS owner, x.refclassid, x.refobjid, x.refobjsubid FROM pg_depend x WHERE x.classid = 'pg_class'::regclass
    UNION ALL SELECT x.adrelid, y.refclassid, y.refobjid, y.refobjsubid FROM pg_attrdef x
      JOIN pg_depend y ON y.classid = 'pg_attrdef'::regclass AND y.objid = x.oid
    UNION ALL SELECT x.conrelid, y.refclassid, y.refobjid, y.refobjsubid FROM pg_constraint x
      JOIN pg_depend y ON y.classid = 'pg_constraint'::regclass AND y.objid = x.oid WHERE x.conrelid <> 0
    UNION ALL SELECT x.ev_class, y.refclassid, y.refobjid, y.refobjsubid FROM pg_rewrite x
      JOIN pg_depend y ON y.classid = 'pg_rewrite'::regclass AND y.objid = x.oid
    UNION ALL SELECT x.indrelid, y.refclassid, y.refobjid, y.refobjsubid FROM pg_index x
      JOIN pg_depend y ON y.classid = 'pg_class'::regclass AND y.objid = x.indexrelid
    UNION ALL SELECT x.inhparent, 'pg_class'::regclass, x.inhrelid, 0 FROM pg_inherits x
  ) d
  LEFT JOIN pg_class r ON d.refclassid = 'pg_class'::regclass AND r.oid = d.refobjid
  LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
  LEFT JOIN pg_attribute a ON d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
    AND a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
  LEFT JOIN pg_proc p ON d.refclassid = 'pg_proc'::regclass AND p.oid = d.refobjid
  LEFT JOIN pg_namespace pn ON pn.oid = p.pronamespace
  LEFT JOIN pg_collation co ON d.refclassid = 'pg_collation'::regclass AND co.oid = d.refobjid
  LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
  LEFT JOIN pg_namespace ns ON d.refclassid = 'pg_namespace'::regclass AND ns.oid = d.refobjid
  LEFT JOIN pg_foreign_server fsv ON d.refclassid = 'pg_foreign_server'::regclass AND fsv.oid = d.refobjid
  WHERE NOT (d.refclassid = 'pg_class'::regclass AND d.refobjid = d.owner)
  GROUP BY d.owner`;

/** Joined as `dep` by every statement that prints SIGNAL_TAIL. */
const DEPENDENCY_JOIN = `LEFT JOIN (${DEPENDENCY_NAMES}) dep ON dep.owner = c.oid`;

const SIGNAL_TAIL = `concat_ws('|',
    CASE WHEN c.relkind IN ('v', 'm') THEN ${part('pg_rewrite x WHERE x.ev_class = c.oid')} END,
    CASE WHEN c.relispartition THEN ${part('pg_inherits x WHERE x.inhrelid = c.oid')} END,
    CASE WHEN c.relkind = 'p' THEN ${part('pg_inherits x WHERE x.inhparent = c.oid')} END,
    coalesce(dep.refs, 0) || ':' || coalesce(dep.names, 0))`;

const CHANGE_SIGNAL = `md5(concat_ws('|', c.xmin::text,
    ${part('pg_attribute x WHERE x.attrelid = c.oid AND x.attnum > 0 AND NOT x.attisdropped')},
    ${part('pg_attrdef x WHERE x.adrelid = c.oid')},
    ${part(`pg_constraint x WHERE x.conrelid = c.oid AND x.contype IN ('p', 'u', 'f', 'c')`)},
    CASE WHEN c.relhasindex THEN (SELECT count(*) || ':' || coalesce(sum(x.xmin::text::bigint + ic.xmin::text::bigint), 0)
       FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid) END,
    ${part(`pg_description x WHERE x.objoid = c.oid AND x.classoid = 'pg_class'::regclass`)},
    NULLIF(${SIGNAL_TAIL}, '')))`;

/** Relations in scope. Unordered on purpose: rows leave the server as soon as they are built. */
const RELATIONS_IN_SCOPE = `
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
${DEPENDENCY_JOIN}
WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f')
  AND ${SCHEMA_FILTER}
  ${TABLE_FILTER}`;

/** Each relation's change signal, for an incremental run to pick the relations to read. */
export const SIGNALS_SQL = `
SELECT c.oid::bigint AS oid, n.nspname AS namespace, c.relname AS name, ${CHANGE_SIGNAL} AS change_signal
${RELATIONS_IN_SCOPE}`;

/*
 * The whole catalog of the scope in one statement per shard, one row per relation, streamed
 * through a cursor: the statement count stays the same whatever the number of relations, and the
 * reader holds a fetch or two at a time. Each relation's columns, constraints and indexes come as
 * one JSON object of parallel arrays (element i of every array describes the same column,
 * constraint or index), aggregated per relation by index lookups so rows leave the server as soon
 * as they are built; JSON because the reader parses it natively, many times faster than array text.
 * Attribute numbers in constraints and indexes are named by the reader from the relation's columns.
 *   $6 only these relation oids (NULL: all in scope)
 *   $7 whether to read statistics: reltuples, and relpages of the table, its TOAST table and its
 *      indexes as of their last VACUUM/ANALYZE (pg_total_relation_size would be exact but stats
 *      every file of every relation: seconds per ten thousand tables)
 *   $8, $9 shard count and this statement's shard: relations whose oid % $8 = $9. A cursor's plan
 *      runs in one server process; shards read side by side on as many connections use more.
 *   $10 whether to read the most common values of columns (the task asks for top values)
 */

/**
 * Defaults are deparsed without naming their relation (only generation expressions refer to
 * columns): naming it makes the server open every relation, which costs more than all the rest.
 */
const COLUMNS_OF_RELATION = `
  SELECT json_build_object(
           'names', array_agg(a.attname), 'nums', array_agg(a.attnum),
           'types', array_agg(format_type(a.atttypid, a.atttypmod)), 'nullable', array_agg(NOT a.attnotnull),
           'defaults', array_agg(pg_get_expr(ad.adbin, CASE WHEN a.attgenerated <> '' THEN ad.adrelid ELSE 0 END, true)),
           'comments', array_agg(cd.description),
           'identity', array_agg(a.attidentity::text), 'generated', array_agg(a.attgenerated::text),
           'collations', array_agg(CASE WHEN a.attcollation <> 0 AND a.attcollation <> (SELECT t.typcollation FROM pg_type t WHERE t.oid = a.atttypid)
                                   THEN (SELECT co.collname FROM pg_collation co WHERE co.oid = a.attcollation) END),
           'xmins', array_agg(a.xmin), 'default_xmins', array_agg(ad.xmin), 'comment_xmins', array_agg(cd.xmin)) AS columns
  FROM pg_attribute a
  LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
  LEFT JOIN pg_description cd ON cd.objoid = c.oid AND cd.classoid = 'pg_class'::regclass AND cd.objsubid = a.attnum
  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped`;

/**
 * Primary and unique keys say all in their columns; the server's own text is kept for what says
 * more (foreign and check constraints, deferrable keys), as deparsing costs more than the rest.
 */
const CONSTRAINTS_OF_RELATION = `
  SELECT json_build_object(
           'names', array_agg(k.conname), 'types', array_agg(k.contype::text), 'attnums', array_agg(to_json(k.conkey)),
           'definitions', array_agg(CASE WHEN k.contype IN ('f', 'c') OR k.condeferrable THEN pg_get_constraintdef(k.oid, true) END),
           'ref_namespaces', array_agg(rn.nspname), 'ref_tables', array_agg(rc.relname),
           'ref_columns', array_agg(CASE WHEN k.contype = 'f' THEN to_json(ARRAY(
                            SELECT ra.attname FROM unnest(k.confkey) WITH ORDINALITY f(attnum, ord)
                            JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = f.attnum ORDER BY f.ord)) END),
           'xmins', array_agg(k.xmin)) AS constraints
  FROM pg_constraint k
  LEFT JOIN pg_class rc ON rc.oid = k.confrelid
  LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
  WHERE k.conrelid = c.oid AND k.contype IN ('p', 'u', 'f', 'c')`;

/** Key then included columns as attribute numbers (0: an expression, deparsed only then), key count, method, predicate. */
const INDEXES_OF_RELATION = `
  SELECT json_build_object(
           'names', array_agg(ic.relname), 'unique', array_agg(i.indisunique), 'primary', array_agg(i.indisprimary),
           'methods', array_agg(am.amname), 'predicates', array_agg(pg_get_expr(i.indpred, i.indrelid, true)),
           'attnums', array_agg(to_json(i.indkey::int2[])), 'key_counts', array_agg(i.indnkeyatts),
           'expressions', array_agg(CASE WHEN 0 = ANY (i.indkey::int2[]) THEN to_json(ARRAY(
                            SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k)) END),
           'pages', array_agg(ic.relpages), 'xmins', array_agg(i.xmin), 'class_xmins', array_agg(ic.xmin)) AS indexes
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_am am ON am.oid = ic.relam
  WHERE i.indrelid = c.oid AND c.relhasindex`;

/** A partitioned table's partitions, each with its bound. */
const PARTITIONS_OF_RELATION = `
  SELECT json_agg(json_build_object('namespace', pn.nspname, 'name', p.relname,
           'bound', pg_get_expr(p.relpartbound, p.oid, true)) ORDER BY pn.nspname, p.relname)
  FROM pg_inherits x
  JOIN pg_class p ON p.oid = x.inhrelid
  JOIN pg_namespace pn ON pn.oid = p.relnamespace
  WHERE x.inhparent = c.oid`;

/**
 * A partitioned table has no storage of its own (relpages -1): its rows and pages are those of its
 * leaf partitions at every level, each with its TOAST table and indexes. `unknown` counts leaves
 * never vacuumed or analyzed.
 */
const PARTITION_TOTALS = `
  SELECT json_build_object('rows', sum(p.reltuples) FILTER (WHERE p.reltuples >= 0),
           'unknown', count(*) FILTER (WHERE p.reltuples < 0), 'leaves', count(*),
           'pages', coalesce(sum(greatest(p.relpages, 0) + coalesce(t.relpages, 0) + (SELECT coalesce(sum(ic.relpages), 0)
              FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = p.oid)), 0))
  FROM pg_partition_tree(c.oid) pt
  JOIN pg_class p ON p.oid = pt.relid
  LEFT JOIN pg_class t ON t.oid = p.reltoastrelid
  WHERE pt.isleaf AND p.relkind IN ('r', 'f')`;

/**
 * The planner's column statistics as ANALYZE left them (pg_stats shows only columns the account
 * may read). A partitioned table's are over its whole tree (inherited). Most common values only
 * when $10 asks for them; the reader drops them again for secret-looking columns.
 */
const COLUMN_STATISTICS = `
  SELECT json_agg(json_build_object('name', s.attname, 'null_fraction', s.null_frac, 'n_distinct', s.n_distinct,
           'average_width', s.avg_width, 'correlation', s.correlation,
           'histogram_bounds', s.histogram_bounds::text::text[],
           'most_common_values', CASE WHEN $10::boolean THEN s.most_common_vals::text::text[] END,
           'most_common_freqs', CASE WHEN $10::boolean THEN s.most_common_freqs END))
  FROM pg_stats s
  WHERE s.schemaname = n.nspname AND s.tablename = c.relname AND s.inherited = (c.relkind = 'p')`;

export const CATALOG_SQL = `
SELECT c.oid::bigint AS oid, n.nspname AS namespace, c.relname AS name,
       c.relkind::text AS relkind, c.relpersistence::text AS persistence, c.relispartition AS is_partition,
       pg_get_userbyid(c.relowner) AS owner, d.description AS comment, ts.spcname AS tablespace,
       c.reloptions::text[] AS options,
       pn.nspname AS parent_namespace, pc.relname AS parent_name,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid, true) END AS partition_bound,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS definition,
       fs.srvname AS foreign_server,
       CASE WHEN $7::boolean AND c.relkind IN ('r', 'm', 'p', 'f') THEN c.reltuples::float8 END AS row_estimate,
       CASE WHEN $7::boolean AND c.relkind IN ('r', 'm', 'p') THEN c.relpages::bigint + coalesce(toast.relpages, 0) END AS table_pages,
       current_setting('block_size')::int AS block_size,
       CASE WHEN c.relkind = 'p' THEN (${PARTITIONS_OF_RELATION}) END AS partitions,
       CASE WHEN $7::boolean AND c.relkind = 'p' THEN (${PARTITION_TOTALS}) END AS partition_totals,
       CASE WHEN $7::boolean AND c.relkind IN ('r', 'm', 'p', 'f') THEN (${COLUMN_STATISTICS}) END AS column_statistics,
       c.xmin::text AS rel_xmin, d.xmin::text AS comment_xmin, c.relhasindex AS has_index, ${SIGNAL_TAIL} AS signal_tail,
       col.columns, con.constraints, idx.indexes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
LEFT JOIN pg_tablespace ts ON ts.oid = c.reltablespace
LEFT JOIN pg_class toast ON toast.oid = c.reltoastrelid
LEFT JOIN pg_inherits inh ON c.relispartition AND inh.inhrelid = c.oid
LEFT JOIN pg_class pc ON pc.oid = inh.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_foreign_table ft ON ft.ftrelid = c.oid
LEFT JOIN pg_foreign_server fs ON fs.oid = ft.ftserver
${DEPENDENCY_JOIN}
CROSS JOIN LATERAL (${COLUMNS_OF_RELATION}) col
CROSS JOIN LATERAL (${CONSTRAINTS_OF_RELATION}) con
CROSS JOIN LATERAL (${INDEXES_OF_RELATION}) idx
WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f')
  AND ${SCHEMA_FILTER}
  ${TABLE_FILTER}
  AND ($6::oid[] IS NULL OR c.oid = ANY ($6::oid[]))
  AND c.oid::bigint % $8::int = $9::int`;

/** What the connection test reads: how much of the catalog the account can see. */
export const VISIBLE_CATALOG_SQL = `
SELECT count(DISTINCT n.oid)::int AS schemas, count(c.oid)::int AS tables
FROM pg_namespace n
LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  AND has_schema_privilege(n.oid, 'USAGE')`;
