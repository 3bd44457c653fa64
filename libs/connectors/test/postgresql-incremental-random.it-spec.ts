import { Client } from 'pg';
import { assetKey, CatalogAsset, CollectOptions, Connector, createAddressGuard } from '@app/connectors';
import { postgresqlConnector } from '@app/connectors/postgresql';
import { describeWithServers, SERVER_ENDPOINTS } from '../../../test/support/servers';

/*
 * Random DDL against a real server; after every step an incremental run, applied to the catalog the
 * previous incremental runs built, must give the same catalog as a full run, field by field.
 * Replay a failure with CATALOG_RANDOM_SEED=<seed printed>; CATALOG_RANDOM_STEPS=<n> runs longer.
 */
const { host, port } = SERVER_ENDPOINTS.postgres;
const SEED = Number(process.env.CATALOG_RANDOM_SEED ?? Math.floor(Math.random() * 2 ** 31));
const STEPS = Number(process.env.CATALOG_RANDOM_STEPS ?? 200);
const SCHEMA = `rnd_inc_${SEED.toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
const context = { guardAddress: createAddressGuard({ deny: [], allow: [] }) };

/** mulberry32: small, seedable, good enough to pick DDL. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

interface Relation {
  name: string;
  kind: string;
  columns: string[];
}

interface State {
  tables: Relation[];
  views: Relation[];
  indexes: string[];
  constraints: Array<{ table: string; name: string }>;
  enums: string[];
  domains: string[];
  composites: string[];
  sequences: string[];
  functions: string[];
  triggers: Array<{ table: string; name: string }>;
}

async function readState(c: Client): Promise<State> {
  const ns = `'${SCHEMA}'::regnamespace`;
  const rels = (
    await c.query<{ name: string; kind: string; columns: string[] }>(
      `SELECT c.relname AS name, c.relkind::text AS kind,
              ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns
       FROM pg_class c WHERE c.relnamespace = ${ns} AND c.relkind IN ('r', 'p', 'v', 'i', 'S') ORDER BY 1`,
    )
  ).rows;
  const types = (
    await c.query<{ name: string; kind: string }>(
      `SELECT t.typname AS name, t.typtype::text AS kind FROM pg_type t WHERE t.typnamespace = ${ns}
         AND (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')) ORDER BY 1`,
    )
  ).rows;
  const constraints = (
    await c.query<{ table: string; name: string }>(
      `SELECT r.relname AS table, k.conname AS name FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid
       WHERE r.relnamespace = ${ns} AND k.contype IN ('f', 'c', 'u') ORDER BY 1, 2`,
    )
  ).rows;
  const functions = (
    await c.query<{ name: string }>(`SELECT proname AS name FROM pg_proc WHERE pronamespace = ${ns} ORDER BY 1`)
  ).rows;
  const triggers = (
    await c.query<{ table: string; name: string }>(
      `SELECT r.relname AS table, t.tgname AS name FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid
       WHERE r.relnamespace = ${ns} AND NOT t.tgisinternal ORDER BY 1, 2`,
    )
  ).rows;
  return {
    tables: rels.filter((r) => r.kind === 'r' || r.kind === 'p'),
    views: rels.filter((r) => r.kind === 'v'),
    indexes: rels.filter((r) => r.kind === 'i').map((r) => r.name),
    sequences: rels.filter((r) => r.kind === 'S').map((r) => r.name),
    constraints,
    enums: types.filter((t) => t.kind === 'e').map((t) => t.name),
    domains: types.filter((t) => t.kind === 'd').map((t) => t.name),
    composites: types.filter((t) => t.kind === 'c').map((t) => t.name),
    functions: functions.map((f) => f.name),
    triggers,
  };
}

/** One random DDL statement that fits the current state (it may still be refused, e.g. by a dependency). */
function nextDdl(rnd: () => number, s: State, counter: () => number): string {
  const pick = <T>(xs: T[]): T | undefined => (xs.length ? xs[Math.floor(rnd() * xs.length)] : undefined);
  const name = (prefix: string) => (rnd() < 0.2 ? `${prefix.toUpperCase()}_${counter()}` : `${prefix}_${counter()}`);
  const S = q(SCHEMA);
  const userTypes = [...s.enums, ...s.domains, ...s.composites].map((t) => `${S}.${q(t)}`);
  const type = () =>
    pick([
      'integer',
      'bigint',
      'text',
      'varchar(20)',
      'numeric(10,2)',
      'boolean',
      'date',
      'timestamptz',
      'jsonb',
      'text[]',
      ...userTypes,
    ])!;
  const table = pick(s.tables.filter((t) => t.kind === 'r'));
  const anyTable = pick(s.tables);
  const col = (r: Relation | undefined) => (r ? pick(r.columns) : undefined);
  const options: Array<() => string | undefined> = [
    () =>
      `CREATE TABLE ${S}.${q(name('t'))} (id integer PRIMARY KEY, ${q(name('c'))} ${type()}, ${q(name('c'))} ${type()})`,
    () => `CREATE TABLE ${S}.${q(name('s'))} (id bigserial PRIMARY KEY, v ${type()} DEFAULT NULL)`,
    () => anyTable && `DROP TABLE ${S}.${q(anyTable.name)} CASCADE`,
    () => anyTable && `ALTER TABLE ${S}.${q(anyTable.name)} RENAME TO ${q(name('t'))}`,
    () => anyTable && `ALTER TABLE ${S}.${q(anyTable.name)} ADD COLUMN ${q(name('c'))} ${type()}`,
    () => table && col(table) && `ALTER TABLE ${S}.${q(table.name)} DROP COLUMN ${q(col(table)!)} CASCADE`,
    () => anyTable && `ALTER TABLE ${S}.${q(anyTable.name)} RENAME COLUMN ${q(col(anyTable)!)} TO ${q(name('c'))}`,
    () => anyTable && `ALTER TABLE ${S}.${q(anyTable.name)} RENAME COLUMN id TO ${q(name('id'))}`,
    () =>
      table &&
      `ALTER TABLE ${S}.${q(table.name)} ALTER COLUMN ${q(col(table)!)} TYPE ${pick(['text', 'varchar(40)', 'bigint'])} USING NULL`,
    () =>
      table &&
      `ALTER TABLE ${S}.${q(table.name)} ALTER COLUMN ${q(col(table)!)} SET DEFAULT ${pick(['NULL', "'x'", '0', 'now()'])}`,
    () => table && `ALTER TABLE ${S}.${q(table.name)} ALTER COLUMN ${q(col(table)!)} DROP DEFAULT`,
    () => anyTable && `CREATE INDEX ${q(name('ix'))} ON ${S}.${q(anyTable.name)} (${q(col(anyTable)!)})`,
    () => pick(s.indexes) && `DROP INDEX ${S}.${q(pick(s.indexes)!)}`,
    () => pick(s.indexes) && `ALTER INDEX ${S}.${q(pick(s.indexes)!)} RENAME TO ${q(name('ix'))}`,
    () => {
      const from = pick(s.tables);
      const to = pick(s.tables.filter((t) => t.kind === 'r'));
      if (!from || !to) return undefined;
      return `ALTER TABLE ${S}.${q(from.name)} ADD CONSTRAINT ${q(name('fk'))} FOREIGN KEY (${q(col(from)!)}) REFERENCES ${S}.${q(to.name)} (${q(to.columns[0])})`;
    },
    () =>
      table &&
      `ALTER TABLE ${S}.${q(table.name)} ADD CONSTRAINT ${q(name('ck'))} CHECK (${q(col(table)!)} IS NOT NULL)`,
    () => {
      const k = pick(s.constraints);
      return k && `ALTER TABLE ${S}.${q(k.table)} DROP CONSTRAINT ${q(k.name)}`;
    },
    () => {
      const k = pick(s.constraints);
      return k && `ALTER TABLE ${S}.${q(k.table)} RENAME CONSTRAINT ${q(k.name)} TO ${q(name('k'))}`;
    },
    () => {
      const from = pick([...s.tables, ...s.views]);
      if (!from) return undefined;
      const cols = from.columns.filter(() => rnd() < 0.6);
      const list = (cols.length ? cols : from.columns.slice(0, 1)).map((c) => `x.${q(c)}`).join(', ');
      return `CREATE VIEW ${S}.${q(name('v'))} AS SELECT ${list} FROM ${S}.${q(from.name)} x`;
    },
    () => pick(s.views) && `DROP VIEW ${S}.${q(pick(s.views)!.name)} CASCADE`,
    () => pick(s.views) && `ALTER VIEW ${S}.${q(pick(s.views)!.name)} RENAME TO ${q(name('v'))}`,
    () => {
      const v = pick(s.views);
      return v && `ALTER VIEW ${S}.${q(v.name)} RENAME COLUMN ${q(v.columns[0])} TO ${q(name('vc'))}`;
    },
    () => `CREATE TYPE ${S}.${q(name('e'))} AS ENUM ('a', 'b')`,
    () => pick(s.enums) && `ALTER TYPE ${S}.${q(pick(s.enums)!)} ADD VALUE ${q(name('l')).replace(/"/g, "'")}`,
    () => pick(s.enums) && `ALTER TYPE ${S}.${q(pick(s.enums)!)} RENAME VALUE 'a' TO ${`'${name('l')}'`}`,
    () => {
      const t = pick([...s.enums, ...s.domains, ...s.composites]);
      return t && `ALTER TYPE ${S}.${q(t)} RENAME TO ${q(name('ty'))}`;
    },
    () =>
      `CREATE DOMAIN ${S}.${q(name('d'))} AS ${pick(['integer', 'text', 'numeric(8,3)'])} CHECK (VALUE IS NOT NULL)`,
    () => pick(s.domains) && `ALTER DOMAIN ${S}.${q(pick(s.domains)!)} SET DEFAULT ${pick(['1', 'NULL'])}`,
    () => `CREATE TYPE ${S}.${q(name('ct'))} AS (a integer, b ${type()})`,
    () => pick(s.composites) && `ALTER TYPE ${S}.${q(pick(s.composites)!)} ADD ATTRIBUTE ${q(name('at'))} text`,
    () => {
      const t = pick([...s.enums, ...s.domains, ...s.composites]);
      return t && `DROP TYPE ${S}.${q(t)} CASCADE`;
    },
    () => anyTable && `COMMENT ON TABLE ${S}.${q(anyTable.name)} IS ${pick(["'about it'", 'NULL', "'other'"])}`,
    () =>
      anyTable && `COMMENT ON COLUMN ${S}.${q(anyTable.name)}.${q(col(anyTable)!)} IS ${pick(["'a column'", 'NULL'])}`,
    () => pick(s.views) && `COMMENT ON VIEW ${S}.${q(pick(s.views)!.name)} IS 'a view'`,
    () => {
      const t = pick([...s.enums, ...s.domains, ...s.composites]);
      return t && `COMMENT ON TYPE ${S}.${q(t)} IS 'a type'`;
    },
    () => `CREATE SEQUENCE ${S}.${q(name('sq'))} INCREMENT ${1 + Math.floor(rnd() * 5)}`,
    () =>
      pick(s.sequences) && `ALTER SEQUENCE ${S}.${q(pick(s.sequences)!)} MAXVALUE ${1000 + Math.floor(rnd() * 100)}`,
    () => pick(s.sequences) && `ALTER SEQUENCE ${S}.${q(pick(s.sequences)!)} RENAME TO ${q(name('sq'))}`,
    () =>
      `CREATE FUNCTION ${S}.${q(name('f'))}(a integer, b ${type()} DEFAULT NULL) RETURNS integer LANGUAGE sql AS 'SELECT a'`,
    () => pick(s.functions) && `ALTER FUNCTION ${S}.${q(pick(s.functions)!)} RENAME TO ${q(name('f'))}`,
    () =>
      table &&
      `CREATE TRIGGER ${q(name('tg'))} BEFORE UPDATE ON ${S}.${q(table.name)} FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()`,
    () => {
      const t = pick(s.triggers);
      return t && `ALTER TABLE ${S}.${q(t.table)} ${pick(['DISABLE', 'ENABLE'])} TRIGGER ${q(t.name)}`;
    },
    () => {
      const p = name('p');
      return `CREATE TABLE ${S}.${q(p)} (id integer, d date) PARTITION BY RANGE (d);
              CREATE TABLE ${S}.${q(`${p}_a`)} PARTITION OF ${S}.${q(p)} FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`;
    },
    () => {
      const p = pick(s.tables.filter((t) => t.kind === 'p'));
      const y = 2025 + Math.floor(rnd() * 20);
      return (
        p &&
        `CREATE TABLE ${S}.${q(name('pp'))} PARTITION OF ${S}.${q(p.name)} FOR VALUES FROM ('${y}-01-01') TO ('${y + 1}-01-01')`
      );
    },
  ];
  for (;;) {
    const ddl = pick(options)!();
    if (ddl) return ddl;
  }
}

/** Estimates (row counts, pages, pg_stats) are not part of an entry's change signal by design: ANALYZE is no change. */
function comparable(asset: CatalogAsset): CatalogAsset {
  const copy = { ...asset, fields: asset.fields.map((f) => ({ ...f })) };
  delete copy.statistics;
  for (const f of copy.fields) {
    if (!f.properties?.statistics) continue;
    const { statistics: _statistics, ...rest } = f.properties;
    f.properties = Object.keys(rest).length > 0 ? rest : undefined;
    if (f.properties === undefined) delete f.properties;
  }
  return copy;
}

describeWithServers(['postgres'], 'PostgreSQL incremental runs equal full runs under random DDL', () => {
  let admin: Client;
  let connector: Connector;

  beforeAll(async () => {
    admin = new Client({ host, port, user: 'postgres', database: 'test' });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${q(SCHEMA)}`);
    connector = postgresqlConnector.create(
      { host, port, username: 'postgres', database: 'test', timeout: 30 },
      context,
    );
  });

  afterAll(async () => {
    await connector?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS ${q(SCHEMA)} CASCADE`);
    await admin?.end();
  });

  const run = async (overrides: Partial<CollectOptions>) => {
    const assets = new Map<string, CatalogAsset>();
    const unchanged: string[] = [];
    for await (const batch of connector.collect({
      mode: 'full',
      scope: { includeSchemas: [SCHEMA] },
      batchSize: 50,
      signal: new AbortController().signal,
      ...overrides,
    })) {
      for (const a of batch.assets) assets.set(assetKey(a.namespace, a.name), a);
      for (const r of batch.unchanged ?? []) unchanged.push(assetKey(r.namespace, r.name));
    }
    return { assets, unchanged };
  };

  it(`keeps the incremental catalog equal to a full one after each of ${STEPS} random DDL steps (CATALOG_RANDOM_SEED=${SEED})`, async () => {
    console.log(`PostgreSQL random incremental test: CATALOG_RANDOM_SEED=${SEED} CATALOG_RANDOM_STEPS=${STEPS}`);
    const rnd = random(SEED);
    let n = 0;
    const counter = () => ++n;
    let catalog = (await run({})).assets;
    let applied = 0;
    let reread = 0;
    for (let step = 1; step <= STEPS; step++) {
      const ddl = nextDdl(rnd, await readState(admin), counter);
      try {
        await admin.query(ddl);
        applied++;
      } catch {
        // Refused by the server (a dependency, a type that cannot be cast): the catalog must still agree.
      }
      const previousSignals = new Map([...catalog].map(([k, a]) => [k, a.changeSignal ?? '']));
      // Nothing changes between the two runs, so they may read side by side.
      const [incremental, { assets: full }] = await Promise.all([
        run({ mode: 'incremental', previousSignals }),
        run({}),
      ]);
      const next = new Map<string, CatalogAsset>();
      for (const key of incremental.unchanged) next.set(key, catalog.get(key)!);
      for (const [key, asset] of incremental.assets) next.set(key, asset);
      reread += incremental.assets.size;
      const agree = (what: string, actual: unknown, expected: unknown) => {
        try {
          expect(actual).toEqual(expected);
        } catch (err) {
          const replay = `replay with CATALOG_RANDOM_SEED=${SEED}; step ${step}: ${ddl}`;
          throw new Error(`${what} differs from a full run (${replay})\n${(err as Error).message}`);
        }
      };
      agree("the incremental catalog's asset list", [...next.keys()].sort(), [...full.keys()].sort());
      for (const [key, asset] of full) agree(key, comparable(next.get(key)!), comparable(asset));
      catalog = next;
    }
    console.log(`${applied} of ${STEPS} statements applied; ${reread} entries re-read by incremental runs`);
    expect(applied).toBeGreaterThan(STEPS / 2);
  }, 600_000);
});
