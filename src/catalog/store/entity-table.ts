import { DataSource, EntityTarget } from 'typeorm';
import { ColumnSpec } from './bulk-sql';
import { SqlType } from './sql-dialect';

const SQL_TYPES: ReadonlySet<string> = new Set<SqlType>(['varchar', 'text', 'bigint', 'integer', 'boolean']);

/** A table as hand-written bulk statements address it, read from its entity's TypeORM mapping. */
export interface EntityTable<E> {
  readonly name: string;
  /** Column specs of these properties, in this order. */
  columns(properties: readonly (keyof E & string)[]): ColumnSpec[];
  /** Like `columns`, and refuses a list that leaves out a column of the table, so a new column cannot go unwritten. */
  insertColumns(properties: readonly (keyof E & string)[]): ColumnSpec[];
  /** The declared length of a varchar column. */
  maxLength(property: keyof E & string): number;
}

/**
 * Reads the table name, column names, SQL types and lengths from the entity, so the bulk writer's
 * statements cannot drift from the schema the entities (and the migrations they agree with) state.
 */
export function entityTable<E>(db: DataSource, entity: EntityTarget<E>): EntityTable<E> {
  const metadata = db.getMetadata(entity);
  const column = (property: string) => {
    const c = metadata.findColumnWithPropertyName(property);
    if (!c) throw new Error(`${metadata.name} has no column for property "${property}"`);
    return c;
  };
  const spec = (property: string): ColumnSpec => {
    const c = column(property);
    const type = String(c.type);
    if (!SQL_TYPES.has(type))
      throw new Error(`${metadata.name}.${property} has type "${type}", which bulk statements cannot cast`);
    return { name: c.databaseName, type: type as SqlType };
  };
  const columns = (properties: readonly string[]) => properties.map(spec);
  return {
    name: metadata.tableName,
    columns,
    insertColumns(properties) {
      const named = new Set<string>(properties);
      const missing = metadata.columns.filter((c) => !named.has(c.propertyName)).map((c) => c.propertyName);
      if (missing.length > 0)
        throw new Error(`Rows inserted into ${metadata.tableName} leave out ${missing.join(', ')}`);
      return columns(properties);
    },
    maxLength(property) {
      const length = Number(column(property).length);
      if (!(length > 0)) throw new Error(`${metadata.name}.${property} has no length`);
      return length;
    },
  };
}
