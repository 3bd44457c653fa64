/** What the store's driver said: TypeORM wraps it as `driverError`; some callers see the driver's own error. */
function driverErrorOf(err: unknown): { code?: unknown; errno?: unknown } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const driver = (err as { driverError?: unknown }).driverError ?? err;
  return typeof driver === 'object' && driver !== null ? (driver as { code?: unknown; errno?: unknown }) : undefined;
}

/** A unique index refused the write (PostgreSQL 23505, SQLite, MySQL/MariaDB 1062): another writer got there first. */
export function isUniqueViolation(err: unknown): boolean {
  const d = driverErrorOf(err);
  if (!d) return false;
  return (
    d.code === '23505' ||
    d.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    d.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    d.code === 'ER_DUP_ENTRY' ||
    d.errno === 1062
  );
}

/** A row still referenced by a foreign key without cascade (PostgreSQL 23503, SQLite, MySQL/MariaDB). */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = driverErrorOf(err)?.code;
  return (
    code === '23503' ||
    code === 'SQLITE_CONSTRAINT_FOREIGNKEY' ||
    code === 'ER_ROW_IS_REFERENCED_2' ||
    code === 'ER_ROW_IS_REFERENCED'
  );
}
