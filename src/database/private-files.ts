import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;
const STICKY = 0o1000;

/**
 * Creates `dir` (and missing parents) readable by this user only, and narrows an existing one to
 * 0700 when it is ours. A shared sticky directory such as /tmp is never narrowed.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  const st = statSync(dir);
  const ours = typeof process.getuid !== 'function' || st.uid === process.getuid();
  if (ours && (st.mode & STICKY) === 0 && (st.mode & 0o777) !== PRIVATE_DIR) chmodSync(dir, PRIVATE_DIR);
}

/** The embedded store's files: the database and the WAL and shared-memory files beside it. */
export function sqliteFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`];
}

/**
 * Before SQLite opens the store: creates the file as 0600 if missing (the umask can only narrow
 * an explicit mode) and narrows an existing one. SQLite gives the -wal and -shm files it creates
 * the database file's mode, so they start private too.
 */
export function prepareSqliteFile(file: string): void {
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  closeSync(openSync(file, 'a', PRIVATE_FILE));
  restrictSqliteFiles(file);
}

/** After opening: 0600 on whichever of the store's files exist (older stores may predate this). */
export function restrictSqliteFiles(file: string): void {
  for (const path of sqliteFiles(file)) {
    if (existsSync(path) && (statSync(path).mode & 0o777) !== PRIVATE_FILE) chmodSync(path, PRIVATE_FILE);
  }
}
