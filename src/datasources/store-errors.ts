import { QueryFailedError } from 'typeorm';

function driverCode(err: unknown): string | undefined {
  if (!(err instanceof QueryFailedError)) return undefined;
  const driverError: unknown = err.driverError;
  if (typeof driverError !== 'object' || driverError === null || !('code' in driverError)) return undefined;
  return String((driverError as { code: unknown }).code);
}

/** A unique index refused the write (PostgreSQL 23505, SQLite, MySQL/MariaDB). */
export function isUniqueViolation(err: unknown): boolean {
  const code = driverCode(err);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'ER_DUP_ENTRY';
}

/** A row still referenced by a foreign key without cascade (PostgreSQL 23503, SQLite, MySQL/MariaDB). */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = driverCode(err);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === 'ER_ROW_IS_REFERENCED_2' || code === 'ER_ROW_IS_REFERENCED';
}

/** `%`, `_` and the escape character itself, escaped with `!` for `LIKE … ESCAPE '!'` (portable across stores). */
export function escapeLike(value: string): string {
  return value.replace(/[!%_]/g, '!$&');
}
