import { QueryFailedError } from 'typeorm';

/** A unique index refused the write (PostgreSQL 23505, SQLite, MySQL/MariaDB): another writer got there first. */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driverError: unknown = err.driverError;
  if (typeof driverError !== 'object' || driverError === null || !('code' in driverError)) return false;
  const code = String((driverError as { code: unknown }).code);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'ER_DUP_ENTRY';
}
