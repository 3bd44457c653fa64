import { resolve } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { prepareSqliteFile } from './private-files';

export type StoreKind = 'sqlite' | 'postgres' | 'mysql';

export function storeKindOf(url: string): StoreKind {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  return 'mysql';
}

/**
 * One DATABASE_URL picks the store: `sqlite:./data/metadata.db` (embedded), `postgres://…`,
 * `mysql://…`/`mariadb://…`. Schema changes only through migrations, which run at start.
 */
export function dataSourceOptions(url: string): DataSourceOptions {
  const common = { migrations: MIGRATIONS, migrationsRun: false, synchronize: false, logging: false } as const;
  switch (storeKindOf(url)) {
    case 'sqlite': {
      const file = url.slice('sqlite:'.length).replace(/^\/\//, '') || './data/metadata.db';
      const database = file === ':memory:' ? file : resolve(file);
      if (database !== ':memory:') prepareSqliteFile(database);
      return {
        ...common,
        type: 'better-sqlite3',
        database,
        // WAL lets readers run beside the writer; busy_timeout waits for the lock instead of failing.
        prepareDatabase: (db: { pragma(s: string): unknown }) => {
          db.pragma('journal_mode = WAL');
          db.pragma('busy_timeout = 5000');
          db.pragma('foreign_keys = ON');
          db.pragma('synchronous = NORMAL');
        },
      };
    }
    case 'postgres':
      return { ...common, type: 'postgres', url, extra: { max: 10 } };
    case 'mysql':
      return {
        ...common,
        type: 'mysql',
        url: url.replace(/^mariadb:/, 'mysql:'),
        charset: 'utf8mb4',
        timezone: 'Z',
        supportBigNumbers: true,
        bigNumberStrings: false,
        extra: { connectionLimit: 10 },
      };
  }
}
