import { createServer } from 'node:net';
import { Client } from 'pg';
import {
  assetKey,
  CatalogAsset,
  CatalogBatch,
  CollectOptions,
  Connector,
  ConnectorConfig,
  createAddressGuard,
} from '@app/connectors';
import { postgresqlConnector } from '@app/connectors/postgresql';
import { createPostgresConnector } from '@app/connectors/postgresql/postgresql.connector';
import { readPgSettings } from '@app/connectors/postgresql/config';
import { PgSession } from '@app/connectors/postgresql/session';
import { describeWithServers, SERVER_ENDPOINTS } from '../../../test/support/servers';
import { waitFor } from '../../../test/support/wait';
import { collectAll } from './support/collect-all';

const { host, port } = SERVER_ENDPOINTS.postgres;
const SCHEMA = `cat_it_${Math.random().toString(36).slice(2, 10)}`;
const CONFIG: ConnectorConfig = { host, port, username: 'postgres', database: 'test', timeout: 10 };
const context = { guardAddress: createAddressGuard({ deny: [], allow: [] }) };

const FIXTURE = `
CREATE SCHEMA ${SCHEMA};
COMMENT ON SCHEMA ${SCHEMA} IS 'integration schema';
CREATE TABLE ${SCHEMA}.customers (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(120) NOT NULL UNIQUE,
  name text,
  balance numeric(12,2) DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  country char(2) COLLATE "C" DEFAULT 'US',
  name_upper text GENERATED ALWAYS AS (upper(name)) STORED,
  password_hash text
);
COMMENT ON TABLE ${SCHEMA}.customers IS 'People who buy';
COMMENT ON COLUMN ${SCHEMA}.customers.email IS 'Login e-mail';
CREATE INDEX customers_lower_email ON ${SCHEMA}.customers (lower(email));
CREATE INDEX customers_rich ON ${SCHEMA}.customers (created_at) WHERE balance > 1000;
CREATE TABLE ${SCHEMA}.orders (
  id bigserial PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES ${SCHEMA}.customers(id) ON DELETE CASCADE,
  amount numeric(10,2) NOT NULL CHECK (amount >= 0),
  note varchar(200),
  tags text[],
  CONSTRAINT orders_customer_note UNIQUE (customer_id, note)
) WITH (fillfactor=70);
CREATE INDEX orders_tags_gin ON ${SCHEMA}.orders USING gin (tags);
CREATE INDEX orders_amount_incl ON ${SCHEMA}.orders (amount) INCLUDE (note);
CREATE VIEW ${SCHEMA}.big_orders AS SELECT id, amount FROM ${SCHEMA}.orders WHERE amount > 100;
COMMENT ON VIEW ${SCHEMA}.big_orders IS 'Orders over 100';
CREATE MATERIALIZED VIEW ${SCHEMA}.order_totals AS SELECT customer_id, sum(amount) AS total FROM ${SCHEMA}.orders GROUP BY customer_id;
CREATE TABLE ${SCHEMA}.events (id bigint NOT NULL, happened date NOT NULL, payload jsonb) PARTITION BY RANGE (happened);
CREATE TABLE ${SCHEMA}.events_2024 PARTITION OF ${SCHEMA}.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE UNLOGGED TABLE ${SCHEMA}.scratch (k text);
CREATE TABLE ${SCHEMA}.temp_skip (x int);
CREATE TABLE ${SCHEMA}."Mixed Case" ("Weird ""Col""" int);
CREATE VIEW ${SCHEMA}.slow_view AS SELECT 1 AS one FROM pg_sleep(20);
CREATE SERVER ${SCHEMA}_files FOREIGN DATA WRAPPER file_fdw;
CREATE FOREIGN TABLE ${SCHEMA}.ext_rows (line text NOT NULL) SERVER ${SCHEMA}_files OPTIONS (filename '/dev/null', format 'text');
COMMENT ON FOREIGN TABLE ${SCHEMA}.ext_rows IS 'rows from a file';
INSERT INTO ${SCHEMA}.customers (email, name, balance, country, password_hash)
SELECT 'user' || g || '@example.com', CASE WHEN g % 7 = 0 THEN NULL ELSE 'name' || (g % 13) END,
       (g * 37 % 2000)::numeric / 3, CASE WHEN g % 3 = 0 THEN 'DE' WHEN g % 3 = 1 THEN 'US' ELSE 'FR' END, md5(g::text)
FROM generate_series(1, 60) g;
INSERT INTO ${SCHEMA}.orders (customer_id, amount, note) SELECT 1 + g % 60, g, 'n' || g FROM generate_series(1, 5000) g;
ANALYZE ${SCHEMA}.orders;
`;

async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ host, port, user: 'postgres', database: 'test' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function options(overrides: Partial<CollectOptions> = {}): CollectOptions {
  return {
    mode: 'full',
    scope: { includeSchemas: [SCHEMA] },
    batchSize: 4,
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** The schemas, views' lineage, every relation in two shards (each one cursor), sequences, routines, triggers, types. */
const STATEMENTS_PER_RUN = 8;
/** Relations and sequences of the fixture. */
const ASSETS = 13;

const assetsOf = (batches: CatalogBatch[]) => new Map(batches.flatMap((b) => b.assets).map((a) => [a.name, a]));
const field = (asset: CatalogAsset, name: string) => asset.fields.find((f) => f.name === name)!;

describeWithServers(['postgres'], 'PostgreSQL connector against a real server', () => {
  let connector: Connector;

  // file_fdw (shipped with the server) gives a foreign table; it is removed again only if this suite added it.
  let addedFileFdw = false;

  beforeAll(async () => {
    await admin(async (c) => {
      addedFileFdw = (await c.query(`SELECT 1 FROM pg_extension WHERE extname = 'file_fdw'`)).rowCount === 0;
      await c.query('CREATE EXTENSION IF NOT EXISTS file_fdw');
      await c.query(FIXTURE);
    });
    connector = postgresqlConnector.create(CONFIG, context);
  });

  afterAll(async () => {
    await connector?.close();
    await admin(async (c) => {
      await c.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
      await c.query(`DROP SERVER IF EXISTS ${SCHEMA}_files CASCADE`);
      if (addedFileFdw) await c.query('DROP EXTENSION IF EXISTS file_fdw');
    });
  });

  describe('collect', () => {
    let batches: CatalogBatch[];
    let assets: Map<string, CatalogAsset>;

    beforeAll(async () => {
      batches = await collectAll(connector, options());
      assets = assetsOf(batches);
    });

    it('yields the schema with its owner and comment, then assets in batches of the asked size', () => {
      expect(batches[0].namespaces).toEqual([
        { name: SCHEMA, kind: 'schema', properties: { owner: 'postgres', comment: 'integration schema' } },
      ]);
      expect(batches.every((b) => b.assets.length <= 4)).toBe(true);
      expect([...assets.keys()].sort()).toEqual(
        [
          'Mixed Case',
          'big_orders',
          'customers',
          'customers_id_seq',
          'events',
          'events_2024',
          'ext_rows',
          'order_totals',
          'orders',
          'orders_id_seq',
          'scratch',
          'slow_view',
          'temp_skip',
        ].sort(),
      );
    });

    it('reads every column of customers with type, nullability, default, comment, ordinal, identity and generation', () => {
      const t = assets.get('customers')!;
      expect(t).toMatchObject({ namespace: SCHEMA, kind: 'table', comment: 'People who buy', owner: 'postgres' });
      expect(t.fields.map((f) => [f.ordinal, f.name, f.dataType, f.nullable])).toEqual([
        [1, 'id', 'integer', false],
        [2, 'email', 'character varying(120)', false],
        [3, 'name', 'text', true],
        [4, 'balance', 'numeric(12,2)', true],
        [5, 'created_at', 'timestamp with time zone', false],
        [6, 'country', 'character(2)', true],
        [7, 'name_upper', 'text', true],
        [8, 'password_hash', 'text', true],
      ]);
      expect(field(t, 'id')).toMatchObject({ primaryKey: true, default: null, properties: { identity: 'ALWAYS' } });
      expect(field(t, 'email')).toMatchObject({ primaryKey: false, comment: 'Login e-mail', default: null });
      expect(field(t, 'balance').default).toBe('0');
      expect(field(t, 'created_at').default).toBe('now()');
      expect(field(t, 'country')).toMatchObject({ default: "'US'::bpchar", properties: { collation: 'C' } });
      expect(field(t, 'name_upper')).toMatchObject({
        default: null,
        properties: { generated: 'STORED', generation_expression: 'upper(name)' },
      });
      expect(field(t, 'name').comment).toBeNull();
    });

    it('reads primary, unique, foreign and check keys with their columns and references', () => {
      const orders = assets.get('orders')!;
      const byName = new Map(orders.keys!.map((k) => [k.name, k]));
      expect(byName.get('orders_pkey')).toMatchObject({ type: 'primary', columns: ['id'] });
      expect(byName.get('orders_customer_note')).toMatchObject({ type: 'unique', columns: ['customer_id', 'note'] });
      expect(byName.get('orders_customer_id_fkey')).toMatchObject({
        type: 'foreign',
        columns: ['customer_id'],
        references: { namespace: SCHEMA, table: 'customers', columns: ['id'] },
      });
      expect(byName.get('orders_customer_id_fkey')!.definition).toContain('ON DELETE CASCADE');
      expect(byName.get('orders_amount_check')).toMatchObject({ type: 'check', columns: ['amount'] });
      expect(orders.keys).toHaveLength(4);
      expect(field(orders, 'id')).toMatchObject({
        primaryKey: true,
        default: `nextval('${SCHEMA}.orders_id_seq'::regclass)`,
      });
      expect(field(orders, 'tags').dataType).toBe('text[]');
      expect(assets.get('customers')!.keys!.map((k) => [k.type, k.columns])).toEqual(
        expect.arrayContaining([
          ['primary', ['id']],
          ['unique', ['email']],
        ]),
      );
    });

    it('reads indexes with columns or expressions, uniqueness, method, predicate and included columns', () => {
      const customers = new Map(assets.get('customers')!.indexes!.map((i) => [i.name, i]));
      expect(customers.get('customers_pkey')).toMatchObject({
        columns: ['id'],
        unique: true,
        method: 'btree',
        predicate: null,
      });
      expect(customers.get('customers_email_key')).toMatchObject({ columns: ['email'], unique: true });
      expect(customers.get('customers_lower_email')).toMatchObject({
        columns: ['lower(email::text)'],
        unique: false,
        method: 'btree',
      });
      expect(customers.get('customers_rich')).toMatchObject({
        columns: ['created_at'],
        predicate: 'balance > 1000::numeric',
      });
      const orders = new Map(assets.get('orders')!.indexes!.map((i) => [i.name, i]));
      expect(orders.get('orders_tags_gin')).toMatchObject({ columns: ['tags'], method: 'gin', unique: false });
      expect(orders.get('orders_amount_incl')).toMatchObject({ columns: ['amount'], include: ['note'] });
      expect(orders.get('orders_customer_note')).toMatchObject({ columns: ['customer_id', 'note'], unique: true });
    });

    it('reads kinds and properties: views, materialized views, partitions, persistence, options', () => {
      expect(assets.get('big_orders')).toMatchObject({
        kind: 'view',
        comment: 'Orders over 100',
        keys: [],
        indexes: [],
      });
      expect(assets.get('big_orders')!.properties!.definition).toContain('WHERE orders.amount > 100');
      expect(assets.get('big_orders')!.fields.map((f) => [f.name, f.dataType])).toEqual([
        ['id', 'bigint'],
        ['amount', 'numeric(10,2)'],
      ]);
      expect(assets.get('order_totals')).toMatchObject({ kind: 'materialized_view' });
      expect(assets.get('events')).toMatchObject({
        kind: 'partitioned_table',
        properties: { partition_key: 'RANGE (happened)', relkind: 'p' },
      });
      expect(assets.get('events_2024')).toMatchObject({
        kind: 'table',
        properties: {
          partition_of: { namespace: SCHEMA, name: 'events' },
          partition_bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        },
      });
      expect(assets.get('scratch')!.properties).toMatchObject({ persistence: 'unlogged' });
      expect(assets.get('orders')!.properties).toMatchObject({
        persistence: 'permanent',
        options: { fillfactor: '70' },
        tablespace: null,
      });
      expect(assets.get('Mixed Case')!.fields[0].name).toBe('Weird "Col"');
      expect(assets.get('ext_rows')).toMatchObject({
        kind: 'foreign_table',
        comment: 'rows from a file',
        properties: { foreign_server: `${SCHEMA}_files` },
      });
      expect(assets.get('ext_rows')!.fields).toEqual([
        {
          name: 'line',
          ordinal: 1,
          dataType: 'text',
          nullable: false,
          default: null,
          comment: null,
          primaryKey: false,
        },
      ]);
    });

    it('reads estimated statistics from the server and a change signal on every asset', async () => {
      // Independently: pages of the table, its TOAST table and its indexes, as pg_class records them.
      const [real] = await admin(
        async (c) =>
          (
            await c.query(`SELECT c.reltuples::float8 AS rows,
              (SELECT sum(r.relpages) FROM pg_class r WHERE r.oid = c.oid OR r.oid = c.reltoastrelid
                 OR r.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = c.oid))::float8 * current_setting('block_size')::float8 AS bytes
            FROM pg_class c WHERE c.oid = '${SCHEMA}.orders'::regclass`)
          ).rows,
      );
      expect(assets.get('orders')!.statistics).toEqual({ rows: real.rows, bytes: real.bytes });
      expect(real.rows).toBe(5000);
      expect(real.bytes).toBeGreaterThan(0);
      expect(
        [...assets.values()].every((a) => typeof a.changeSignal === 'string' && a.changeSignal.length === 32),
      ).toBe(true);
    });

    it('skips statistics in schema_only mode', async () => {
      const only = assetsOf(await collectAll(connector, options({ mode: 'schema_only' })));
      expect(only.get('orders')!.statistics).toBeUndefined();
      // Without the planner's column statistics, which full runs add to each field.
      const withoutStatistics = assets.get('orders')!.fields.map(({ properties, ...f }) => {
        const { statistics, ...rest } = properties ?? {};
        expect(statistics).toMatchObject({ estimate: true, source: 'pg_stats' });
        return Object.keys(rest).length > 0 ? { ...f, properties: rest } : f;
      });
      expect(only.get('orders')!.fields).toEqual(withoutStatistics);
    });

    it('reads the whole schema in eight statements, whatever the fetch size, and loses nothing', async () => {
      const sent: string[] = [];
      const small = createPostgresConnector(CONFIG, context, { fetchSize: 3, onQuery: (sql) => sent.push(sql) });
      try {
        const fetched = assetsOf(await collectAll(small, options()));
        expect([...fetched.keys()].sort()).toEqual([...assets.keys()].sort());
        for (const name of fetched.keys()) expect(fetched.get(name)).toEqual(assets.get(name));
        expect(sent).toHaveLength(STATEMENTS_PER_RUN);
      } finally {
        await small.close();
      }
    });

    it('shares one connection between the shards when the source allows one, with the same result', async () => {
      const sent: string[] = [];
      const narrow = createPostgresConnector({ ...CONFIG, max_conns: 1 }, context, {
        fetchSize: 2,
        onQuery: (sql) => sent.push(sql),
      });
      try {
        const fetched = assetsOf(await collectAll(narrow, options()));
        expect([...fetched.keys()].sort()).toEqual([...assets.keys()].sort());
        for (const name of assets.keys()) expect(fetched.get(name)).toEqual(assets.get(name));
        expect(sent).toHaveLength(STATEMENTS_PER_RUN);
      } finally {
        await narrow.close();
      }
    });

    it('sends as many statements for one table as for the whole schema', async () => {
      const count = async (scope: CollectOptions['scope'], mode: CollectOptions['mode'] = 'full') => {
        const sent: string[] = [];
        const observed = createPostgresConnector(CONFIG, context, { onQuery: (sql) => sent.push(sql) });
        try {
          await collectAll(observed, options({ scope, mode }));
          return sent.length;
        } finally {
          await observed.close();
        }
      };
      expect(await count({ includeSchemas: [SCHEMA], includeTables: ['orders'] })).toBe(
        await count({ includeSchemas: [SCHEMA] }),
      );
    });

    it('stops the stream and cancels the statement on the server when the signal fires', async () => {
      // A role of its own, so the check below sees this connector's sessions and no other suite's.
      const role = `${SCHEMA}_reader`;
      await admin((c) => c.query(`CREATE ROLE ${role} LOGIN`));
      const controller = new AbortController();
      const slow = createPostgresConnector({ ...CONFIG, username: role }, context, { fetchSize: 1 });
      try {
        const seen: CatalogBatch[] = [];
        const run = (async () => {
          for await (const batch of slow.collect(options({ signal: controller.signal, batchSize: 1 }))) {
            seen.push(batch);
            if (seen.length === 2) controller.abort();
          }
        })();
        await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
        expect(seen).toHaveLength(2);
        // No statement of the run is left running on the server (the cancel request itself may take a moment).
        const running = () =>
          admin(
            async (c) =>
              (
                await c.query(
                  `SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1 AND state = 'active'`,
                  [role],
                )
              ).rows[0].n as number,
          );
        await waitFor('the cursors to stop', async () => (await running()) === 0, 5000);
      } finally {
        await slow.close();
        await admin((c) => c.query(`DROP ROLE IF EXISTS ${role}`));
      }
    });

    it('never reuses a connection whose statement saw an abort: a late cancel cannot reach the next statement', async () => {
      // One connection, so a reused one would carry the next statement. The abort fires while a
      // quick statement is in flight; it finishes before the cancel request (sent from a second
      // connection) reaches the server, which would then cancel whatever that backend runs next.
      const session = new PgSession(readPgSettings({ ...CONFIG, max_conns: 1 }), context);
      try {
        const lane = await session.reserve(new AbortController().signal);
        const [{ pid }] = await lane.query<{ pid: number }>(
          'SELECT pg_backend_pid() AS pid',
          [],
          new AbortController().signal,
        );
        const controller = new AbortController();
        const quick = lane.query('SELECT 1', [], controller.signal);
        controller.abort();
        await quick.catch(() => undefined);
        const broken = lane.broken;
        lane.release();
        expect(broken).toBe(true);
        const [next] = await session.query<{ pid: number; slept: string }>(
          'SELECT pg_backend_pid() AS pid, pg_sleep(0.5)::text AS slept',
          [],
          new AbortController().signal,
        );
        expect(next.pid).not.toBe(pid);
      } finally {
        await session.close();
      }
    });
  });

  describe('scope', () => {
    it('applies include and exclude table globs in the query', async () => {
      const excluded = assetsOf(
        await collectAll(
          connector,
          options({ scope: { includeSchemas: [SCHEMA], excludeTables: ['temp_*', 'events*'] } }),
        ),
      );
      expect(excluded.has('temp_skip')).toBe(false);
      expect(excluded.has('events')).toBe(false);
      expect(excluded.has('customers')).toBe(true);
      const included = assetsOf(
        await collectAll(
          connector,
          options({ scope: { includeSchemas: [SCHEMA], includeTables: ['cust*', 'big_?rders'] } }),
        ),
      );
      expect([...included.keys()].sort()).toEqual(['big_orders', 'customers', 'customers_id_seq']);
    });

    it('treats LIKE wildcards in globs literally and leaves out schemas not included', async () => {
      const literal = await collectAll(
        connector,
        options({ scope: { includeSchemas: [SCHEMA], includeTables: ['temp%'] } }),
      );
      expect(literal.flatMap((b) => b.assets)).toHaveLength(0);
      const other = await collectAll(
        connector,
        options({ scope: { includeSchemas: [SCHEMA], excludeSchemas: [`${SCHEMA.slice(0, 8)}*`] } }),
      );
      expect(other[0].namespaces).toEqual([]);
      expect(other.flatMap((b) => b.assets)).toHaveLength(0);
    });
  });

  describe('incremental', () => {
    async function signalsNow(): Promise<Map<string, string>> {
      const all = (await collectAll(connector, options())).flatMap((b) => b.assets);
      return new Map(all.map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));
    }

    async function rerun(previous: Map<string, string>) {
      const batches = await collectAll(connector, options({ mode: 'incremental', previousSignals: previous }));
      return {
        read: batches
          .flatMap((b) => b.assets)
          .map((a) => a.name)
          .sort(),
        unchanged: batches
          .flatMap((b) => b.unchanged ?? [])
          .map((r) => r.name)
          .sort(),
        batches,
      };
    }

    it('re-reads nothing when nothing changed, even after ANALYZE', async () => {
      const previous = await signalsNow();
      await admin((c) => c.query(`ANALYZE ${SCHEMA}.customers`));
      const { read, unchanged } = await rerun(previous);
      expect(read).toEqual([]);
      expect(unchanged).toHaveLength(ASSETS);
    });

    it.each([
      ['a column added', 'orders', `ALTER TABLE ${SCHEMA}.orders ADD COLUMN shipped boolean`],
      ['a column comment changed', 'customers', `COMMENT ON COLUMN ${SCHEMA}.customers.name IS 'Full name'`],
      ['a column comment removed', 'customers', `COMMENT ON COLUMN ${SCHEMA}.customers.email IS NULL`],
      ['a column type altered', 'scratch', `ALTER TABLE ${SCHEMA}.scratch ALTER COLUMN k TYPE varchar(10)`],
      [
        'a column dropped',
        'temp_skip',
        `ALTER TABLE ${SCHEMA}.temp_skip ADD COLUMN y int; ALTER TABLE ${SCHEMA}.temp_skip DROP COLUMN y`,
      ],
      ['an index created', 'events_2024', `CREATE INDEX ev24_id ON ${SCHEMA}.events_2024 (id)`],
      ['a default changed', 'orders', `ALTER TABLE ${SCHEMA}.orders ALTER COLUMN note SET DEFAULT 'none'`],
      ['a constraint added', 'scratch', `ALTER TABLE ${SCHEMA}.scratch ADD CONSTRAINT scratch_k_check CHECK (k <> '')`],
      ['a table comment changed', 'Mixed Case', `COMMENT ON TABLE ${SCHEMA}."Mixed Case" IS 'odd'`],
      [
        'a view redefined',
        'big_orders',
        `CREATE OR REPLACE VIEW ${SCHEMA}.big_orders AS SELECT id, amount FROM ${SCHEMA}.orders WHERE amount > 200`,
      ],
    ])('re-reads only the table with %s', async (_what, table, ddl) => {
      const previous = await signalsNow();
      await admin((c) => c.query(ddl));
      const { read, unchanged, batches } = await rerun(previous);
      expect(read).toEqual([table]);
      expect(unchanged).toHaveLength(ASSETS - 1);
      expect(unchanged).not.toContain(table);
      const changed = batches.flatMap((b) => b.assets)[0];
      expect(changed.changeSignal).not.toBe(previous.get(assetKey(SCHEMA, table)));
    });

    it('reads tables that are new since the previous run', async () => {
      const previous = await signalsNow();
      await admin((c) => c.query(`CREATE TABLE ${SCHEMA}.brand_new (id int PRIMARY KEY)`));
      const { read, unchanged } = await rerun(previous);
      expect(read).toEqual(['brand_new']);
      expect(unchanged).toHaveLength(ASSETS);
      const after = await rerun(await signalsNow());
      expect(after.read).toEqual([]);
      await admin((c) => c.query(`DROP TABLE ${SCHEMA}.brand_new`));
    });
  });

  describe('profile', () => {
    const customersTarget = () => ({
      namespace: SCHEMA,
      name: 'customers',
      fields: [
        { name: 'id', dataType: 'integer' },
        { name: 'name', dataType: 'text' },
        { name: 'balance', dataType: 'numeric(12,2)' },
        { name: 'country', dataType: 'character(2)' },
        { name: 'created_at', dataType: 'timestamp with time zone' },
        { name: 'password_hash', dataType: 'text' },
      ],
    });

    it('computes per-column metrics equal to ones computed independently', async () => {
      const profile = await connector.profile(customersTarget(), {
        sampleRows: 10_000,
        topValues: true,
        topN: 2,
        signal: new AbortController().signal,
      });
      const [expected] = await admin(
        async (c) =>
          (
            await c.query(`SELECT count(*)::int AS rows, count(name)::int AS names, count(DISTINCT name)::int AS distinct_names,
              min(balance)::float8 AS min_b, max(balance)::float8 AS max_b, avg(balance)::float8 AS mean_b, stddev_samp(balance)::float8 AS sd_b,
              min(length(name))::int AS minlen, max(length(name))::int AS maxlen, avg(length(name))::float8 AS avglen,
              min(name) AS min_name, max(name) AS max_name, count(DISTINCT password_hash)::int AS distinct_pw
            FROM ${SCHEMA}.customers`)
          ).rows,
      );
      const tops = await admin(
        async (c) =>
          (
            await c.query(
              `SELECT country AS value, count(*)::int AS count FROM ${SCHEMA}.customers GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 2`,
            )
          ).rows,
      );
      expect(profile).toMatchObject({ row_count: expected.rows, sampled: false });
      const col = new Map(profile.columns.map((c) => [c.name, c]));
      expect(col.get('name')).toMatchObject({
        null_count: expected.rows - expected.names,
        null_ratio: (expected.rows - expected.names) / expected.rows,
        distinct_count: expected.distinct_names,
        distinct_ratio: expected.distinct_names / expected.names,
        min: expected.min_name,
        max: expected.max_name,
        min_length: expected.minlen,
        max_length: expected.maxlen,
      });
      expect(col.get('name')!.avg_length).toBeCloseTo(expected.avglen, 9);
      expect(col.get('balance')).toMatchObject({ null_count: 0, min: expected.min_b, max: expected.max_b });
      expect(col.get('balance')!.mean).toBeCloseTo(expected.mean_b, 9);
      expect(col.get('balance')!.stddev).toBeCloseTo(expected.sd_b, 9);
      expect(col.get('id')).toMatchObject({
        distinct_count: expected.rows,
        distinct_ratio: 1,
        min: 1,
        max: expected.rows,
      });
      expect(col.get('country')!.top_values).toEqual(tops);
      expect(typeof col.get('created_at')!.min).toBe('string');
      const secret = col.get('password_hash')!;
      expect(secret.distinct_count).toBe(expected.distinct_pw);
      expect(secret.top_values).toBeUndefined();
      expect(secret.min).toBeUndefined();
      expect(secret.max).toBeUndefined();
    });

    it('samples a table larger than sampleRows and says so', async () => {
      const profile = await connector.profile(
        { namespace: SCHEMA, name: 'orders', fields: [{ name: 'amount', dataType: 'numeric(10,2)' }] },
        { sampleRows: 1000, topValues: false, topN: 0, signal: new AbortController().signal },
      );
      expect(profile.sampled).toBe(true);
      expect(profile.row_count).toBe(5000);
      expect(profile.sample_rows).toBeGreaterThan(0);
      expect(profile.sample_rows).toBeLessThanOrEqual(1000);
      expect(profile.columns[0].null_count).toBe(0);
      expect(profile.columns[0].distinct_count).toBe(profile.sample_rows);
    });

    it('cancels the statement on the server when the signal fires', async () => {
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 300);
      await expect(
        connector.profile(
          { namespace: SCHEMA, name: 'slow_view', fields: [{ name: 'one', dataType: 'integer' }] },
          { sampleRows: 10, topValues: false, topN: 0, signal: controller.signal },
        ),
      ).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(Date.now() - started).toBeLessThan(5000);
      await new Promise((r) => setTimeout(r, 300));
      const running = await admin(
        async (c) =>
          (
            await c.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%slow_view%' AND state = 'active' AND pid <> pg_backend_pid()`,
            )
          ).rows[0].n,
      );
      expect(running).toBe(0);
    });

    it('stops a statement at the source timeout', async () => {
      const quick = postgresqlConnector.create({ ...CONFIG, timeout: 1 }, context);
      try {
        await expect(
          quick.profile(
            { namespace: SCHEMA, name: 'slow_view', fields: [{ name: 'one', dataType: 'integer' }] },
            { sampleRows: 10, topValues: false, topN: 0, signal: new AbortController().signal },
          ),
        ).rejects.toMatchObject({ code: 'TIMEOUT' });
      } finally {
        await quick.close();
      }
    });
  });

  describe('test connection', () => {
    const run = (config: ConnectorConfig) => {
      const c = postgresqlConnector.create(config, context);
      return c.test(new AbortController().signal).finally(() => c.close());
    };

    it('reports every step, the server version and what the account sees', async () => {
      const [{ server_version }] = await admin(async (c) => (await c.query('SHOW server_version')).rows);
      const result = await run(CONFIG);
      const version = /^[\d.]+/.exec(server_version)![0];
      expect(result).toMatchObject({
        success: true,
        message: 'Connection successful',
        server_info: `PostgreSQL ${version}`,
        version,
      });
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['authenticate', true],
        ['catalog', true],
      ]);
      expect(result.steps[3].message).toMatch(/^\d+ schemas, \d+ tables visible in database test$/);
      expect(result.latency).toBeGreaterThanOrEqual(0);
    });

    // The test server trusts every local login whatever its password, so the refused login here is
    // an account the server does not know: the same authentication failure a wrong password gives.
    it('fails at authenticate with a hint when the server refuses the login', async () => {
      const result = await run({ ...CONFIG, username: 'cat_it_nobody', password: 'wrong' });
      expect(result).toMatchObject({ success: false, error_code: 'AUTH_FAILED' });
      expect(result.details).toMatch(/wrong user name or password/);
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['authenticate', false],
      ]);
    });

    it('fails at tcp when nothing listens on the port', async () => {
      const free = await new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const p = (server.address() as { port: number }).port;
          server.close(() => resolve(p));
        });
      });
      const result = await run({ ...CONFIG, port: free });
      expect(result).toMatchObject({ success: false, error_code: 'UNREACHABLE' });
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', false],
      ]);
      expect(result.details).toMatch(/Nothing listens on that port/);
    });

    it('fails at resolve when the host is unknown', async () => {
      const result = await run({ ...CONFIG, host: 'no-such-host.invalid' });
      expect(result).toMatchObject({ success: false, error_code: 'UNREACHABLE' });
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([['resolve', false]]);
      expect(result.details).toMatch(/host name/i);
    });

    it('fails at authenticate with a TLS error when TLS is required but not offered', async () => {
      const result = await run({ ...CONFIG, sslmode: 'require' });
      const offered = await admin(async (c) => (await c.query('SHOW ssl')).rows[0].ssl === 'on');
      if (offered) {
        expect(result.success).toBe(true);
      } else {
        expect(result).toMatchObject({ success: false, error_code: 'TLS' });
        expect(result.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });
      }
    });
  });
});
