import { SCHEMA_FILTER } from './catalog-sql';

/**
 * The database objects beside relations, one set-based statement per kind for the whole scope:
 * sequences, functions and procedures, triggers, and user-defined types. Parameters as in
 * catalog-sql.ts ($1–$3 schemas, $4/$5 name globs, matched against the object's own name or, for
 * a trigger, its table's). Objects an extension installed are left out: they belong to the
 * extension, not to the schema's design.
 */

const NAME_FILTER = (name: string) => `
  AND (cardinality($4::text[]) = 0 OR ${name} LIKE ANY ($4::text[]))
  AND NOT (${name} LIKE ANY ($5::text[]))`;

/** Extension members ('e') and, where asked, objects the server made for another ('i': a range type's constructors). */
const NOT_FROM_EXTENSION = (catalog: string, oid: string, deptypes = `'e'`) => `
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${oid} AND e.deptype IN (${deptypes}))`;

const DESCRIPTION = (catalog: string, oid: string, alias: string) =>
  `LEFT JOIN pg_description ${alias} ON ${alias}.objoid = ${oid} AND ${alias}.classoid = '${catalog}'::regclass AND ${alias}.objsubid = 0`;

/** Sequences with their settings (int8 as text: exact) and the column that owns them (serial or identity). */
export const SEQUENCES_SQL = `
SELECT n.nspname AS namespace, c.relname AS name, pg_get_userbyid(c.relowner) AS owner, d.description AS comment,
       c.relpersistence::text AS persistence, format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min, s.seqmax::text AS max,
       s.seqcache::text AS cache, s.seqcycle AS cycle,
       own.nspname AS owned_namespace, own.relname AS owned_table, own.attname AS owned_column, own.deptype AS owned_how
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
${DESCRIPTION('pg_class', 'c.oid', 'd')}
LEFT JOIN LATERAL (
  SELECT tn.nspname, t.relname, a.attname, dep.deptype::text AS deptype
  FROM pg_depend dep
  JOIN pg_class t ON t.oid = dep.refobjid
  JOIN pg_namespace tn ON tn.oid = t.relnamespace
  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = dep.refobjsubid
  WHERE dep.classid = 'pg_class'::regclass AND dep.objid = c.oid AND dep.refclassid = 'pg_class'::regclass
    AND dep.refobjsubid > 0 AND dep.deptype IN ('a', 'i')
  LIMIT 1) own ON true
WHERE ${SCHEMA_FILTER}
  ${NAME_FILTER('c.relname')}
  ${NOT_FROM_EXTENSION('pg_class', 'c.oid')}`;

/**
 * Functions and procedures (not aggregates or window functions). Arguments come in declaration
 * order with their modes ("char": i, o, b for INOUT, v for VARIADIC, t for a TABLE column) and
 * defaults. The definition is the server's own CREATE statement, except for C and internal
 * functions, whose source is a symbol name.
 */
export const ROUTINES_SQL = `
SELECT n.nspname AS namespace, p.proname AS name, oidvectortypes(p.proargtypes) AS argument_types,
       p.prokind::text AS prokind, pg_get_userbyid(p.proowner) AS owner, d.description AS comment,
       l.lanname AS language, p.provolatile::text AS volatility, p.proisstrict AS strict,
       p.prosecdef AS security_definer, p.proparallel::text AS parallel, p.proretset AS returns_set,
       CASE WHEN p.prokind = 'f' THEN pg_get_function_result(p.oid) END AS returns,
       CASE WHEN l.lanname NOT IN ('c', 'internal') THEN pg_get_functiondef(p.oid) END AS definition,
       (SELECT json_agg(json_build_object('name', a.name, 'type', format_type(a.type, NULL), 'mode', coalesce(a.mode, 'i'),
                 'default', pg_get_function_arg_default(p.oid, a.ord::int)) ORDER BY a.ord)
        FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]), p.proargmodes::text[], p.proargnames)
             WITH ORDINALITY a(type, mode, name, ord)) AS arguments
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
${DESCRIPTION('pg_proc', 'p.oid', 'd')}
WHERE p.prokind IN ('f', 'p')
  AND ${SCHEMA_FILTER}
  ${NAME_FILTER('p.proname')}
  ${NOT_FROM_EXTENSION('pg_proc', 'p.oid', `'e', 'i'`)}`;

/** Triggers users created (not the internal ones behind foreign keys), with the columns an UPDATE OF names. */
export const TRIGGERS_SQL = `
SELECT n.nspname AS namespace, c.relname AS table_name, t.tgname AS name, pg_get_userbyid(c.relowner) AS owner,
       d.description AS comment, t.tgtype::int AS type, t.tgenabled::text AS enabled,
       fn.nspname AS function_namespace, f.proname AS function_name, pg_get_triggerdef(t.oid, true) AS definition,
       t.tgconstraint <> 0 AS is_constraint, t.tgparentid <> 0 AS inherited,
       ARRAY(SELECT a.attname::text FROM unnest(t.tgattr::int2[]) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.attnum ORDER BY k.ord) AS update_columns
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc f ON f.oid = t.tgfoid
JOIN pg_namespace fn ON fn.oid = f.pronamespace
${DESCRIPTION('pg_trigger', 't.oid', 'd')}
WHERE NOT t.tgisinternal
  AND ${SCHEMA_FILTER}
  ${NAME_FILTER('c.relname')}`;

/**
 * Enums (labels in sort order), standalone composite types (attributes in order), domains (base
 * type, default, NOT NULL, check constraints) and range types (subtype). Table row types and the
 * array and multirange types the server adds by itself are not user types.
 */
export const USER_TYPES_SQL = `
SELECT n.nspname AS namespace, t.typname AS name, t.typtype::text AS typtype, pg_get_userbyid(t.typowner) AS owner,
       d.description AS comment, format_type(t.oid, NULL) AS rendered,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
       CASE WHEN t.typtype = 'd' THEN pg_get_expr(t.typdefaultbin, 0, true) END AS default_value,
       t.typnotnull AS not_null,
       CASE WHEN t.typtype = 'd' AND t.typcollation <> 0
            AND t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)
            THEN (SELECT co.collname FROM pg_collation co WHERE co.oid = t.typcollation) END AS collation,
       CASE WHEN t.typtype = 'd' THEN (SELECT json_agg(json_build_object('name', k.conname,
                 'definition', pg_get_constraintdef(k.oid, true)) ORDER BY k.conname)
            FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c') END AS constraints,
       CASE WHEN t.typtype = 'e' THEN (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder)
            FROM pg_enum e WHERE e.enumtypid = t.oid) END AS labels,
       CASE WHEN t.typtype = 'c' THEN (SELECT json_agg(json_build_object('name', a.attname,
                 'type', format_type(a.atttypid, a.atttypmod), 'comment', ad.description,
                 'collation', CASE WHEN a.attcollation <> 0
                     AND a.attcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = a.atttypid)
                     THEN (SELECT co.collname FROM pg_collation co WHERE co.oid = a.attcollation) END) ORDER BY a.attnum)
            FROM pg_attribute a
            LEFT JOIN pg_description ad ON ad.objoid = a.attrelid AND ad.classoid = 'pg_class'::regclass AND ad.objsubid = a.attnum
            WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END AS attributes,
       CASE WHEN t.typtype = 'r' THEN (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid) END AS subtype
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
${DESCRIPTION('pg_type', 't.oid', 'd')}
WHERE (t.typtype IN ('e', 'd', 'r')
       OR (t.typtype = 'c' AND (SELECT rc.relkind FROM pg_class rc WHERE rc.oid = t.typrelid) = 'c'))
  AND ${SCHEMA_FILTER}
  ${NAME_FILTER('t.typname')}
  ${NOT_FROM_EXTENSION('pg_type', 't.oid')}`;
