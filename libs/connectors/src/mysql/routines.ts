import { createHash } from 'node:crypto';
import { CatalogAsset, CatalogField } from '../core/types';
import { ServerDescription, statementText } from './flavor';
import { ObjectScope, parametersStatement, routinesStatement, triggersStatement } from './object-sql';
import { MysqlSession, Row } from './session';

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/**
 * Stored functions, procedures and triggers of a database as assets. Their names share the
 * database's namespace with tables, so each is named to stay apart from them: a routine by its
 * signature (`total(int, decimal(10,2))`; MySQL has no overloading), a trigger as
 * `table.trigger` (trigger names are unique per database).
 */
export async function readRoutinesAndTriggers(
  session: MysqlSession,
  server: ServerDescription,
  schema: string,
  scope: { tables: ObjectScope },
  signal: AbortSignal,
): Promise<CatalogAsset[]> {
  if (server.flavor === 'doris') return [];
  const run = (statement: { sql: string; values: unknown[] }) =>
    session.query(statementText(server.flavor, statement), statement.values, signal);
  const [routines, parameters, triggers] = await Promise.all([
    run(routinesStatement(schema, scope.tables)),
    run(parametersStatement(schema, scope.tables)),
    run(triggersStatement(schema, scope.tables)),
  ]);
  const paramsOf = new Map<string, Row[]>();
  for (const p of parameters) {
    const key = `${text(p.routine_type)}\u001f${text(p.specific_name)}`;
    paramsOf.set(key, [...(paramsOf.get(key) ?? []), p]);
  }
  return [
    ...routines.map((r) =>
      routineAsset(schema, r, paramsOf.get(`${text(r.type)}\u001f${text(r.specific_name)}`) ?? []),
    ),
    ...triggers.map((t) => triggerAsset(schema, t)),
  ];
}

function parameterField(p: Row): CatalogField {
  return {
    name: text(p.name),
    ordinal: Number(p.ordinal),
    dataType: text(p.data_type),
    nullable: true,
    properties: {
      mode: str(p.mode),
      ...(p.charset ? { charset: text(p.charset), collation: str(p.collation) } : {}),
    },
  };
}

export function routineAsset(schema: string, r: Row, parameters: Row[]): CatalogAsset {
  const fields = parameters.map(parameterField);
  const procedure = text(r.type) === 'PROCEDURE';
  const name = `${text(r.name)}(${fields.map((f) => f.dataType).join(', ')})`;
  const args = fields.map((f) => `${procedure ? `${f.properties!.mode} ` : ''}${f.name} ${f.dataType}`).join(', ');
  return withSignal({
    namespace: schema,
    name,
    kind: procedure ? 'procedure' : 'function',
    comment: text(r.comment) || null,
    owner: str(r.definer),
    properties: {
      routine_name: text(r.name),
      signature: `${text(r.name)}(${args})${procedure ? '' : ` RETURNS ${text(r.return_type)}`}`,
      return_type: procedure ? null : str(r.return_type),
      language: str(r.language) ?? 'SQL',
      body: str(r.body),
      deterministic: text(r.is_deterministic) === 'YES',
      data_access: str(r.data_access),
      security_type: str(r.security_type),
      sql_mode: str(r.sql_mode),
      // NULL when the account may not read it (neither its definer nor allowed to see routines).
      definition: str(r.definition),
      created: str(r.created),
      last_altered: str(r.last_altered),
    },
    fields,
  });
}

export function triggerAsset(schema: string, t: Row): CatalogAsset {
  const event = text(t.event);
  return withSignal({
    namespace: schema,
    name: `${text(t.table_name)}.${text(t.name)}`,
    kind: 'trigger',
    owner: str(t.definer),
    properties: {
      trigger_name: text(t.name),
      table: text(t.table_name),
      timing: str(t.timing),
      events: [event],
      level: str(t.level),
      action_order: t.action_order === null || t.action_order === undefined ? null : Number(t.action_order),
      body: str(t.body),
      // MySQL and MariaDB have no disabled triggers.
      enabled: true,
      sql_mode: str(t.sql_mode),
      created: str(t.created),
      character_set_client: str(t.charset_client),
      collation_connection: str(t.collation_connection),
    },
    fields: [],
  });
}

/** A routine's or trigger's change signal: everything its entry shows, so a changed entry always has a new one. */
function withSignal(asset: CatalogAsset): CatalogAsset {
  const signal = createHash('md5').update(JSON.stringify(asset)).digest('hex');
  return { ...asset, changeSignal: signal };
}
