import mysql from 'mysql2/promise';
import {
  assetKey,
  CatalogAsset,
  CatalogBatch,
  CollectOptions,
  Connector,
  ConnectorConfig,
  createAddressGuard,
} from '@app/connectors';
import { mysqlConnector } from '@app/connectors/mysql';
import { describeWithServers, SERVER_ENDPOINTS } from '../../../test/support/servers';
import { collectAll } from './support/collect-all';

/**
 * Random DDL against a real MariaDB, and after every step an incremental run (fed the signals of
 * the catalog the incremental runs built) must leave the same catalog as a full run, field by
 * field. CATALOG_RANDOM_SEED replays a run; CATALOG_RANDOM_STEPS makes it longer (default 200).
 */
const SEED = Number(process.env.CATALOG_RANDOM_SEED ?? Math.floor(Math.random() * 2 ** 31));
const STEPS = Number(process.env.CATALOG_RANDOM_STEPS ?? 200);

const { host, port } = SERVER_ENDPOINTS.mariadb;
const DB = `cat_rand_${Math.random().toString(36).slice(2, 10)}`;
const CONFIG: ConnectorConfig = { host, port, username: 'root', timeout: 20 };
const context = { guardAddress: createAddressGuard({ deny: [], allow: [] }) };

/** mulberry32: small, seedable, good enough to pick DDL. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick };
}

type Random = ReturnType<typeof generator>;

const TYPES = ['INT', 'BIGINT', 'VARCHAR(20)', 'VARCHAR(64)', 'DECIMAL(10,2)', 'DATE', 'TEXT', 'TINYINT(1)', 'DOUBLE'];
const DEFAULTS: Record<string, string[]> = {
  INT: ['0', '7', 'NULL'],
  BIGINT: ['1', 'NULL'],
  'VARCHAR(20)': ["'x'", "''", 'NULL'],
  'VARCHAR(64)': ["'abc'", 'NULL'],
  'DECIMAL(10,2)': ['0.00', '1.50'],
  DATE: ["'2024-01-01'", 'NULL'],
  TEXT: ['NULL'],
  'TINYINT(1)': ['0', '1'],
  DOUBLE: ['0', '2.5'],
};
const NAMES = ['alpha', 'Beta', 'gamma', 'delta', 'Epsilon', 'zeta', 'eta', 'theta'];

interface Model {
  tables: Map<string, string[]>;
  views: Set<string>;
  counter: number;
}

const q = (name: string) => `\`${name}\``;

/** Reads which tables, columns and views exist, so the next step names real ones. */
async function model(c: mysql.Connection, counter: number): Promise<Model> {
  const [cols] = await c.query(
    `SELECT c.TABLE_NAME AS t, c.COLUMN_NAME AS c, t.TABLE_TYPE AS type FROM information_schema.COLUMNS c
     JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
     WHERE c.TABLE_SCHEMA = ? ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`,
    [DB],
  );
  const [views] = await c.query(`SELECT TABLE_NAME AS t FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?`, [DB]);
  const tables = new Map<string, string[]>();
  for (const r of cols as Array<{ t: string; c: string; type: string }>) {
    if (r.type !== 'BASE TABLE') continue;
    tables.set(r.t, [...(tables.get(r.t) ?? []), r.c]);
  }
  return { tables, views: new Set((views as Array<{ t: string }>).map((r) => r.t)), counter };
}

/** One random DDL statement for the current model (the server may refuse it; then another is tried). */
function nextStatement(r: Random, m: Model): string {
  const tables = [...m.tables.keys()];
  const fresh = () => `${r.pick(NAMES)}_${++m.counter}`;
  const type = () => r.pick(TYPES);
  const table = () => r.pick(tables);
  const column = (t: string) => r.pick(m.tables.get(t)!);
  const t = tables.length ? table() : '';
  const choices: Array<() => string> = [
    () =>
      `CREATE TABLE ${q(fresh())} (id INT PRIMARY KEY, ${q(fresh())} ${type()}, ${q(fresh())} ${type()} NULL) COMMENT '${fresh()}'`,
  ];
  if (tables.length > 0) {
    const col = column(t);
    const ty = type();
    choices.push(
      () => `DROP TABLE ${q(t)}`,
      () => `RENAME TABLE ${q(t)} TO ${q(fresh())}`,
      () => `ALTER TABLE ${q(t)} ADD COLUMN ${q(fresh())} ${ty} DEFAULT ${r.pick(DEFAULTS[ty])}`,
      () => `ALTER TABLE ${q(t)} DROP COLUMN ${q(col)}`,
      () => `ALTER TABLE ${q(t)} RENAME COLUMN ${q(col)} TO ${q(fresh())}`,
      () => `ALTER TABLE ${q(t)} MODIFY ${q(col)} ${ty}`,
      () => `ALTER TABLE ${q(t)} ALTER COLUMN ${q(col)} SET DEFAULT ${r.pick(DEFAULTS[ty])}`,
      () => `ALTER TABLE ${q(t)} ALTER COLUMN ${q(col)} DROP DEFAULT`,
      () => `ALTER TABLE ${q(t)} COMMENT = '${fresh()}'`,
      () => `ALTER TABLE ${q(t)} MODIFY ${q(col)} ${ty} COMMENT '${fresh()}'`,
      () => `CREATE INDEX ${q(fresh())} ON ${q(t)} (${q(col)}${/TEXT/.test(ty) ? '(10)' : ''})`,
      () => `CREATE UNIQUE INDEX ${q(fresh())} ON ${q(t)} (id, ${q(col)}(8))`,
      () => `ALTER TABLE ${q(t)} ADD CONSTRAINT ${q(fresh())} CHECK (${q(col)} IS NOT NULL OR id > 0)`,
      () =>
        `ALTER TABLE ${q(t)} ADD COLUMN ${q(fresh())} INT, ADD CONSTRAINT ${q(fresh())} FOREIGN KEY (${q(fresh())}) REFERENCES ${q(table())} (id)`,
      () => `ALTER TABLE ${q(t)} ADD CONSTRAINT ${q(fresh())} FOREIGN KEY (id) REFERENCES ${q(table())} (id)`,
      () => `ALTER TABLE ${q(table())} RENAME COLUMN id TO ${q(fresh())}`,
      () => `CREATE OR REPLACE VIEW ${q(fresh())} AS SELECT * FROM ${q(t)}`,
      () => `CREATE VIEW ${q(fresh())} AS SELECT ${q(col)}, id FROM ${q(t)} WHERE id > ${r.int(100)}`,
      () =>
        `CREATE TRIGGER ${q(fresh())} ${r.pick(['BEFORE', 'AFTER'])} ${r.pick(['INSERT', 'UPDATE', 'DELETE'])} ON ${q(t)} FOR EACH ROW SET @x = ${r.int(9)}`,
      () =>
        `CREATE TABLE ${q(fresh())} (id INT NOT NULL, k INT NOT NULL, PRIMARY KEY (id, k)) PARTITION BY HASH (k) PARTITIONS ${1 + r.int(4)}`,
    );
  }
  if (m.views.size > 0) {
    const v = r.pick([...m.views]);
    choices.push(
      () => `DROP VIEW ${q(v)}`,
      () => (tables.length ? `CREATE OR REPLACE VIEW ${q(v)} AS SELECT id FROM ${q(t)}` : `DROP VIEW ${q(v)}`),
      () => `RENAME TABLE ${q(v)} TO ${q(fresh())}`,
    );
  }
  choices.push(
    () => `CREATE FUNCTION ${q(fresh())}(a ${type()}) RETURNS ${type()} DETERMINISTIC RETURN NULL`,
    () => `CREATE PROCEDURE ${q(fresh())}(IN a INT, OUT b ${type()}) SET b = NULL`,
  );
  return r.pick(choices)();
}

/** What the catalog holds after a run: an incremental one keeps the unchanged assets it had. */
function applyRun(before: Map<string, CatalogAsset>, batches: CatalogBatch[]): Map<string, CatalogAsset> {
  const after = new Map<string, CatalogAsset>();
  for (const b of batches) {
    for (const a of b.assets) after.set(assetKey(a.namespace, a.name), a);
    for (const ref of b.unchanged ?? []) {
      const key = assetKey(ref.namespace, ref.name);
      const kept = before.get(key);
      if (!kept) throw new Error(`unchanged reference to an asset the catalog does not hold: ${key}`);
      after.set(key, kept);
    }
  }
  return after;
}

/**
 * Storage facts, not definition: rows, bytes, create/update time and AUTO_INCREMENT move without
 * a change of definition (a no-op ALTER rebuilds the table), reading them opens every table, so
 * incremental runs refresh them only for tables they re-read. Everything else must match.
 */
function comparable(asset: CatalogAsset): CatalogAsset {
  const { statistics: _statistics, ...rest } = asset;
  const properties = { ...asset.properties };
  for (const storage of ['create_time', 'update_time', 'auto_increment']) delete properties[storage];
  const partitioning = properties.partitioning as { partitions: Array<Record<string, unknown>> } | undefined;
  if (partitioning)
    properties.partitioning = {
      ...partitioning,
      partitions: partitioning.partitions.map(({ rows: _rows, bytes: _bytes, ...p }) => ({
        ...p,
        subpartitions: (p.subpartitions as Array<Record<string, unknown>> | undefined)?.map((sub) => sub.name),
      })),
    };
  return { ...rest, properties };
}

describeWithServers(['mariadb'], 'MySQL connector: incremental runs equal full runs under random DDL', () => {
  let admin: mysql.Connection;
  let connector: Connector;

  beforeAll(async () => {
    admin = await mysql.createConnection({ host, port, user: 'root', dateStrings: true });
    await admin.query(`CREATE DATABASE ${DB}`);
    await admin.query(`USE ${DB}`);
    connector = mysqlConnector.create(CONFIG, context);
  });

  afterAll(async () => {
    await connector?.close();
    await admin?.query(`DROP DATABASE IF EXISTS ${DB}`);
    await admin?.end();
  });

  it(`keeps the incremental catalog equal to a full one after each of ${STEPS} random DDL steps (seed ${SEED})`, async () => {
    // Printed so a failure can be replayed with CATALOG_RANDOM_SEED.
    console.log(`mysql incremental-vs-full: CATALOG_RANDOM_SEED=${SEED} CATALOG_RANDOM_STEPS=${STEPS}`);
    const r = generator(SEED);
    const base: CollectOptions = {
      mode: 'full',
      scope: { includeSchemas: [DB] },
      batchSize: 7,
      signal: new AbortController().signal,
    };
    let catalog = applyRun(new Map(), await collectAll(connector, base));
    let counter = 0;
    let refused = 0;
    const log: string[] = [];
    for (let step = 0; step < STEPS; step++) {
      const m = await model(admin, counter);
      let ddl = nextStatement(r, m);
      counter = m.counter;
      // Statements the server refuses (a column still indexed, a key type mismatch) do not count as steps.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(ddl);
          break;
        } catch {
          refused++;
          if (attempt > 20) throw new Error(`no statement accepted at step ${step} (seed ${SEED})`);
          ddl = nextStatement(r, m);
          counter = m.counter;
        }
      }
      log.push(ddl);
      const previousSignals = new Map([...catalog].map(([k, a]) => [k, a.changeSignal ?? '']));
      catalog = applyRun(catalog, await collectAll(connector, { ...base, mode: 'incremental', previousSignals }));
      const full = applyRun(new Map(), await collectAll(connector, base));
      try {
        expect([...catalog.keys()].sort()).toEqual([...full.keys()].sort());
        for (const [key, asset] of full) expect(comparable(catalog.get(key)!)).toEqual(comparable(asset));
      } catch (err) {
        (err as Error).message = `seed ${SEED}, step ${step}: ${ddl}\n${(err as Error).message}`;
        throw err;
      }
      // The next incremental run starts from what this one left, as the service's would.
    }
    expect(log).toHaveLength(STEPS);
    expect(refused).toBeLessThan(STEPS * 5);
  }, 600_000);
});
