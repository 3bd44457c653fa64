/**
 * ClickHouse connector against a real server: Debian's clickhouse-server (18.16 on bookworm),
 * started by `scripts/services/clickhouse.sh start` on 127.0.0.1:18123. The suite creates its own
 * database, checks the collected catalog field by field against it, then incremental runs,
 * profiles (against independent SQL) and the diagnostic steps of failing connections.
 */
import { createServer } from 'node:net';
import {
  assetKey,
  AssetRef,
  CatalogAsset,
  CatalogBatch,
  CollectOptions,
  Connector,
  ConnectorConfig,
  createAddressGuard,
} from '@app/connectors';
import { clickhouseConnector } from '@app/connectors/clickhouse';
import { describeWithServers, SERVER_ENDPOINTS } from '../../../test/support/servers';
import { collectAll } from './support/collect-all';

const { host, port } = SERVER_ENDPOINTS.clickhouse;
const DB = `cat_it_ch_${Math.random().toString(36).slice(2, 10)}`;
/** A second database whose name needs escaping everywhere it is written into SQL. */
const ODD_DB = `${DB}_o'dd\\db`;
const CONFIG: ConnectorConfig = { host, port, username: 'default', timeout: 20 };
const context = { guardAddress: createAddressGuard({ deny: [], allow: [] }) };

/** Runs SQL over the HTTP interface directly, independent of the connector. */
async function sql(query: string, user = 'default', password = ''): Promise<string> {
  const res = await fetch(
    `http://${host}:${port}/?user=${encodeURIComponent(user)}&password=${encodeURIComponent(password)}`,
    {
      method: 'POST',
      body: query,
    },
  );
  const body = await res.text();
  if (!res.ok) throw new Error(`${res.status}: ${body}`);
  return body;
}

async function json<T>(query: string): Promise<T[]> {
  const text = await sql(`${query} FORMAT JSONEachRow`);
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

const ident = (s: string) => `\`${s.replace(/[\\`]/g, (c) => `\\${c}`)}\``;
const literal = (s: string) => `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;

function options(partial: Partial<CollectOptions> = {}): CollectOptions {
  return {
    mode: 'full',
    scope: { includeSchemas: [DB] },
    batchSize: 2,
    signal: new AbortController().signal,
    ...partial,
  };
}

const assetsOf = (batches: CatalogBatch[]) => batches.flatMap((b) => b.assets);
const unchangedOf = (batches: CatalogBatch[]) => batches.flatMap((b) => b.unchanged ?? []);
const byName = (assets: CatalogAsset[]) => new Map(assets.map((a) => [a.name, a]));
/** Fields without their column sizes (read in full and incremental runs, not schema-only ones). */
const withoutSizes = (fields: CatalogAsset['fields']) =>
  fields.map((f) => {
    const { statistics: _sizes, ...rest } = f.properties ?? {};
    return { ...f, properties: Object.keys(rest).length > 0 ? rest : undefined };
  });

describeWithServers(['clickhouse'], 'ClickHouse connector (real server)', () => {
  let connector: Connector;
  let version = '';
  let major = 0;

  beforeAll(async () => {
    version = (await sql('SELECT version()')).trim();
    major = Number(version.split('.')[0]);
    await sql(`CREATE DATABASE ${ident(DB)}`);
    await sql(`CREATE DATABASE ${ident(ODD_DB)}`);
    await sql(`CREATE TABLE ${ident(DB)}.events (
      d Date,
      id UInt64 COMMENT 'the id',
      s String DEFAULT 'x' COMMENT 'it''s a "string"',
      m UInt64 MATERIALIZED id * 2,
      al String ALIAS concat(s, '!'),
      n Nullable(Int32),
      price Decimal(10, 2),
      f Float64,
      tags Array(String),
      password_hash String
    ) ENGINE = MergeTree PARTITION BY toYYYYMM(d) PRIMARY KEY id ORDER BY (id, s) SAMPLE BY id`);
    await sql(`CREATE TABLE ${ident(DB)}.legacy (d Date, k UInt32, v String) ENGINE = MergeTree(d, (k, d), 8192)`);
    await sql(`CREATE TABLE ${ident(DB)}.log_table (x String) ENGINE = Log`);
    await sql(`CREATE TABLE ${ident(DB)}.temp_skip (x String) ENGINE = Memory`);
    await sql(`CREATE VIEW ${ident(DB)}.recent AS SELECT id, s FROM ${ident(DB)}.events WHERE d >= '2024-01-15'`);
    await sql(
      `CREATE MATERIALIZED VIEW ${ident(DB)}.per_day ENGINE = SummingMergeTree ORDER BY d AS SELECT d, count() AS c FROM ${ident(DB)}.events GROUP BY d`,
    );
    await sql(
      `CREATE TABLE ${ident(ODD_DB)}.${ident("we'ird`name\\")} (${ident('col\'"`x')} String COMMENT 'a\\\\b') ENGINE = Memory`,
    );
    await sql(`CREATE TABLE ${ident(ODD_DB)}.other (x UInt8) ENGINE = Memory`);
    // 1000 rows: n is NULL on every 10th row, s cycles through 7 values, f through 100.
    await sql(`INSERT INTO ${ident(DB)}.events (d, id, s, n, price, f, tags, password_hash)
      SELECT toDate('2024-01-01') + number % 45, number, concat('v', toString(number % 7)),
             if(number % 10 = 0, NULL, toInt32(number % 50) - 10), toDecimal64(number / 8, 2), (number % 100) / 4,
             [toString(number % 3)], concat('h', toString(number))
      FROM system.numbers LIMIT 1000`);
    await sql(`INSERT INTO ${ident(DB)}.log_table VALUES ('a'), ('b')`);
    connector = clickhouseConnector.create(CONFIG, context);
  }, 60_000);

  afterAll(async () => {
    await connector?.close();
    await sql(`DROP DATABASE IF EXISTS ${ident(DB)}`);
    await sql(`DROP DATABASE IF EXISTS ${ident(ODD_DB)}`);
  });

  describe('full collection', () => {
    let batches: CatalogBatch[];
    let assets: Map<string, CatalogAsset>;

    beforeAll(async () => {
      batches = await collectAll(connector, options({ scope: { includeSchemas: [DB], excludeTables: ['temp_*'] } }));
      assets = byName(assetsOf(batches));
    });

    it('streams batches of at most batchSize assets, namespaces first', () => {
      expect(batches[0].namespaces).toEqual([{ name: DB, kind: 'database', properties: { engine: 'Ordinary' } }]);
      for (const b of batches) expect(b.assets.length).toBeLessThanOrEqual(2);
      expect([...assets.keys()].sort()).toEqual(['events', 'legacy', 'log_table', 'per_day', 'recent']);
    });

    it('reads the MergeTree table with engine, keys, columns, defaults and comments', async () => {
      const events = assets.get('events')!;
      const parts = await json<{ rows: string; bytes: string }>(
        `SELECT toString(sum(rows)) AS rows, toString(sum(bytes_on_disk)) AS bytes FROM system.parts WHERE active AND database = ${literal(DB)} AND table = 'events'`,
      );
      expect(events).toMatchObject({
        namespace: DB,
        name: 'events',
        kind: 'table',
        comment: null,
        properties: {
          engine: 'MergeTree',
          partition_key: 'toYYYYMM(d)',
          sorting_key: 'id, s',
          primary_key: 'id',
          sampling_key: 'id',
        },
        statistics: { rows: 1000, bytes: Number(parts[0].bytes) },
        indexes: [{ name: 'PRIMARY KEY', columns: ['id'], unique: false, method: 'sparse' }],
      });
      expect(events.properties!.engine_full).toMatch(
        /^MergeTree PARTITION BY toYYYYMM\(d\) PRIMARY KEY id ORDER BY \(id, s\) SAMPLE BY id/,
      );
      expect(events.properties).not.toHaveProperty('ttl_expression');
      expect(events.changeSignal).toMatch(/^\d+:\d+$/);
      // ClickHouse keeps ordinary columns first, then MATERIALIZED and ALIAS ones, in its own order.
      expect(withoutSizes(events.fields)).toEqual([
        {
          name: 'd',
          ordinal: 1,
          dataType: 'Date',
          nullable: false,
          default: null,
          comment: null,
          primaryKey: false,
          properties: { in_partition_key: true },
        },
        {
          name: 'id',
          ordinal: 2,
          dataType: 'UInt64',
          nullable: false,
          default: null,
          comment: 'the id',
          primaryKey: true,
          properties: { in_sorting_key: true, in_sampling_key: true },
        },
        {
          name: 's',
          ordinal: 3,
          dataType: 'String',
          nullable: false,
          default: "'x'",
          comment: 'it\'s a "string"',
          primaryKey: false,
          properties: { default_kind: 'DEFAULT', in_sorting_key: true },
        },
        {
          name: 'n',
          ordinal: 4,
          dataType: 'Nullable(Int32)',
          nullable: true,
          default: null,
          comment: null,
          primaryKey: false,
          properties: undefined,
        },
        {
          name: 'price',
          ordinal: 5,
          dataType: 'Decimal(10, 2)',
          nullable: false,
          default: null,
          comment: null,
          primaryKey: false,
          properties: undefined,
        },
        {
          name: 'f',
          ordinal: 6,
          dataType: 'Float64',
          nullable: false,
          default: null,
          comment: null,
          primaryKey: false,
          properties: undefined,
        },
        {
          name: 'tags',
          ordinal: 7,
          dataType: 'Array(String)',
          nullable: false,
          default: null,
          comment: null,
          primaryKey: false,
          properties: undefined,
        },
        {
          name: 'password_hash',
          ordinal: 8,
          dataType: 'String',
          nullable: false,
          default: null,
          comment: null,
          primaryKey: false,
          properties: undefined,
        },
        {
          name: 'm',
          ordinal: 9,
          dataType: 'UInt64',
          nullable: false,
          default: 'id * 2',
          comment: null,
          primaryKey: false,
          properties: { default_kind: 'MATERIALIZED' },
        },
        {
          name: 'al',
          ordinal: 10,
          dataType: 'String',
          nullable: false,
          default: "concat(s, '!')",
          comment: null,
          primaryKey: false,
          properties: { default_kind: 'ALIAS' },
        },
      ]);
      // The order matches the server's own DESCRIBE.
      const described = await json<{ name: string }>(`DESCRIBE TABLE ${ident(DB)}.events`);
      expect(events.fields.map((f) => f.name)).toEqual(described.map((r) => r.name));
    });

    it('reads legacy-syntax MergeTree, Log, view and materialized view', () => {
      expect(assets.get('legacy')).toMatchObject({
        kind: 'table',
        properties: {
          engine: 'MergeTree',
          engine_full: 'MergeTree(d, (k, d), 8192)',
          partition_key: 'toYYYYMM(d)',
          sorting_key: 'k, d',
          primary_key: 'k, d',
        },
        statistics: { rows: 0, bytes: 0 },
        indexes: [{ name: 'PRIMARY KEY', columns: ['k', 'd'], unique: false, method: 'sparse' }],
      });
      expect(assets.get('legacy')!.fields.map((f) => [f.name, f.primaryKey])).toEqual([
        ['d', true],
        ['k', true],
        ['v', false],
      ]);
      const log = assets.get('log_table')!;
      expect(log).toMatchObject({
        kind: 'table',
        properties: { engine: 'Log', engine_full: 'Log' },
        fields: [{ name: 'x', dataType: 'String' }],
      });
      expect(log.indexes).toBeUndefined();
      const view = assets.get('recent')!;
      expect(view).toMatchObject({
        kind: 'view',
        properties: { engine: 'View' },
        fields: [
          { name: 'id', dataType: 'UInt64', ordinal: 1 },
          { name: 's', dataType: 'String', ordinal: 2 },
        ],
      });
      expect(view.properties!.definition).toMatch(/^CREATE VIEW .*recent.* AS SELECT id, s FROM /);
      expect(view.statistics).toBeUndefined();
      const mv = assets.get('per_day')!;
      expect(mv).toMatchObject({
        kind: 'materialized_view',
        properties: { engine: 'MaterializedView' },
        fields: [{ name: 'd' }, { name: 'c', dataType: 'UInt64' }],
      });
      // Rows of a materialized view are those of its hidden .inner table.
      expect(mv.statistics!.rows).toBe(45);
    });

    it('binds scope and names safely: quotes and backslashes in database, table and glob', async () => {
      const odd = await collectAll(
        connector,
        options({ scope: { includeSchemas: [`${DB}_o'dd\\*`], includeTables: ["we'ird`*"] } }),
      );
      expect(odd[0].namespaces).toEqual([{ name: ODD_DB, kind: 'database', properties: { engine: 'Ordinary' } }]);
      expect(assetsOf(odd).map((a) => [a.namespace, a.name, a.fields.map((f) => [f.name, f.comment])])).toEqual([
        [ODD_DB, "we'ird`name\\", [['col\'"`x', 'a\\b']]],
      ]);
      // Injection attempts in globs are only ever patterns: they match nothing and break nothing.
      for (const glob of ["' OR 1=1 --", "x') OR ('1'='1", '\\', "\\'; DROP DATABASE x; --"]) {
        const none = await collectAll(connector, options({ scope: { includeSchemas: [glob] } }));
        expect(none.flatMap((b) => b.namespaces ?? [])).toEqual([]);
        expect(assetsOf(none)).toEqual([]);
      }
      expect((await sql(`EXISTS TABLE ${ident(ODD_DB)}.other`)).trim()).toBe('1');
    });

    it('schema_only reads the same structure without statistics', async () => {
      const schemaOnly = byName(
        assetsOf(
          await collectAll(
            connector,
            options({ mode: 'schema_only', scope: { includeSchemas: [DB], excludeTables: ['temp_*'] } }),
          ),
        ),
      );
      expect([...schemaOnly.keys()].sort()).toEqual([...assets.keys()].sort());
      for (const [name, asset] of schemaOnly) {
        expect(asset.statistics).toBeUndefined();
        expect(asset.fields).toEqual(withoutSizes(assets.get(name)!.fields));
      }
    });

    it('collects only the configured database when one is set', async () => {
      const scoped = clickhouseConnector.create({ ...CONFIG, database: DB }, context);
      try {
        const b = await collectAll(scoped, { ...options(), scope: {} });
        expect(b[0].namespaces!.map((n) => n.name)).toEqual([DB]);
        expect(
          assetsOf(b)
            .map((a) => a.name)
            .sort(),
        ).toEqual(['events', 'legacy', 'log_table', 'per_day', 'recent', 'temp_skip']);
      } finally {
        await scoped.close();
      }
    });

    it('reads codecs and TTL where the server supports them', async () => {
      // Column codecs came in 19.1 and table TTL in 19.6: on older servers the DDL itself is refused.
      let supported = true;
      try {
        await sql(
          `CREATE TABLE ${ident(DB)}.ttl_codec (d Date, x String CODEC(ZSTD(1))) ENGINE = MergeTree ORDER BY d TTL d + INTERVAL 1 MONTH`,
        );
      } catch (err) {
        supported = false;
        expect(String(err)).toMatch(/Syntax error/);
        expect(major).toBeLessThan(20);
      }
      if (supported) {
        const [t] = assetsOf(
          await collectAll(connector, options({ scope: { includeSchemas: [DB], includeTables: ['ttl_codec'] } })),
        );
        expect(t.properties!.ttl_expression).toBe('d + toIntervalMonth(1)');
        expect(t.fields[1].properties).toMatchObject({ codec: 'CODEC(ZSTD(1))' });
        await sql(`DROP TABLE ${ident(DB)}.ttl_codec`);
      }
    });
  });

  describe('incremental collection', () => {
    it('skips unchanged tables and re-reads exactly the altered one', async () => {
      const scope = { includeSchemas: [DB] };
      const full = assetsOf(await collectAll(connector, options({ scope })));
      const previous = new Map(full.map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));

      const quiet = await collectAll(connector, options({ mode: 'incremental', scope, previousSignals: previous }));
      expect(assetsOf(quiet)).toEqual([]);
      expect(
        unchangedOf(quiet)
          .map((r: AssetRef) => r.name)
          .sort(),
      ).toEqual(full.map((a) => a.name).sort());

      await sql(`ALTER TABLE ${ident(DB)}.legacy ADD COLUMN extra Nullable(String)`);
      await sql(`ALTER TABLE ${ident(DB)}.legacy COMMENT COLUMN v 'value column'`);
      const changed = await collectAll(connector, options({ mode: 'incremental', scope, previousSignals: previous }));
      const reread = assetsOf(changed);
      expect(reread.map((a) => a.name)).toEqual(['legacy']);
      expect(reread[0].fields.map((f) => [f.name, f.dataType, f.comment])).toEqual([
        ['d', 'Date', null],
        ['k', 'UInt32', null],
        ['v', 'String', 'value column'],
        ['extra', 'Nullable(String)', null],
      ]);
      expect(reread[0].statistics).toEqual({ rows: 0, bytes: 0 });
      expect(
        unchangedOf(changed)
          .map((r) => r.name)
          .sort(),
      ).toEqual(
        full
          .map((a) => a.name)
          .filter((n) => n !== 'legacy')
          .sort(),
      );

      // A full run agrees with what the incremental run re-read.
      const again = byName(assetsOf(await collectAll(connector, options({ scope }))));
      expect(again.get('legacy')).toEqual(reread[0]);
    });

    it('treats tables unknown to the previous run as changed', async () => {
      const previous = new Map([[assetKey(DB, 'events'), 'not-the-signal']]);
      const run = await collectAll(
        connector,
        options({
          mode: 'incremental',
          scope: { includeSchemas: [DB], includeTables: ['events', 'log_table'] },
          previousSignals: previous,
        }),
      );
      expect(
        assetsOf(run)
          .map((a) => a.name)
          .sort(),
      ).toEqual(['events', 'log_table']);
      expect(unchangedOf(run)).toEqual([]);
    });
  });

  describe('profile', () => {
    const fields = [
      { name: 'id', dataType: 'UInt64' },
      { name: 's', dataType: 'String' },
      { name: 'n', dataType: 'Nullable(Int32)' },
      { name: 'price', dataType: 'Decimal(10, 2)' },
      { name: 'f', dataType: 'Float64' },
      { name: 'd', dataType: 'Date' },
      { name: 'tags', dataType: 'Array(String)' },
      { name: 'password_hash', dataType: 'String' },
      { name: 'al', dataType: 'String' },
    ];

    it('matches independent aggregate SQL on the whole table', async () => {
      const profile = await connector.profile(
        { namespace: DB, name: 'events', fields },
        { sampleRows: 10_000, topValues: true, topN: 3, signal: new AbortController().signal },
      );
      const [e] = await json<
        Record<string, number | string>
      >(`SELECT count() AS rows, countIf(isNull(n)) AS n_nulls, uniqExact(n) AS n_distinct,
          min(n) AS n_min, max(n) AS n_max, avg(n) AS n_avg, stddevSamp(toFloat64(n)) AS n_sd,
          uniqExact(s) AS s_distinct, min(lengthUTF8(s)) AS s_minlen, max(lengthUTF8(s)) AS s_maxlen, avg(lengthUTF8(s)) AS s_avglen, min(s) AS s_min, max(s) AS s_max,
          toString(min(d)) AS d_min, toString(max(d)) AS d_max, avg(toFloat64(price)) AS price_avg, toString(max(price)) AS price_max,
          uniqExact(password_hash) AS pw_distinct, min(lengthUTF8(al)) AS al_minlen
        FROM ${ident(DB)}.events`);
      expect(profile).toMatchObject({ row_count: Number(e.rows), sampled: false, sample_rows: Number(e.rows) });
      const col = new Map(profile.columns.map((c) => [c.name, c]));
      expect(col.get('id')).toMatchObject({
        null_count: 0,
        null_ratio: 0,
        distinct_count: 1000,
        distinct_ratio: 1,
        min: 0,
        max: 999,
      });
      expect(col.get('n')).toMatchObject({
        null_count: Number(e.n_nulls),
        null_ratio: Number(e.n_nulls) / 1000,
        distinct_count: Number(e.n_distinct),
        distinct_ratio: Number(e.n_distinct) / (1000 - Number(e.n_nulls)),
        min: Number(e.n_min),
        max: Number(e.n_max),
      });
      expect(col.get('n')!.mean).toBeCloseTo(Number(e.n_avg), 9);
      expect(col.get('n')!.stddev).toBeCloseTo(Number(e.n_sd), 9);
      expect(col.get('s')).toMatchObject({
        distinct_count: Number(e.s_distinct),
        min: e.s_min,
        max: e.s_max,
        min_length: Number(e.s_minlen),
        max_length: Number(e.s_maxlen),
      });
      expect(col.get('s')!.avg_length).toBeCloseTo(Number(e.s_avglen), 9);
      expect(col.get('d')).toMatchObject({ min: e.d_min, max: e.d_max });
      expect(col.get('price')!.mean).toBeCloseTo(Number(e.price_avg), 6);
      expect(col.get('price')!.max).toBe(Number(e.price_max));
      expect(col.get('al')!.min_length).toBe(Number(e.al_minlen));
      expect(col.get('tags')).toMatchObject({ null_count: 0, distinct_count: 3 });
      // Secret-looking columns: counts and lengths only, never values.
      const pw = col.get('password_hash')!;
      expect(pw.distinct_count).toBe(Number(e.pw_distinct));
      expect(pw).not.toHaveProperty('min');
      expect(pw).not.toHaveProperty('top_values');
      // Top values, checked against GROUP BY.
      const top = await json<{ s: string; c: string }>(
        `SELECT s, toString(count()) AS c FROM ${ident(DB)}.events GROUP BY s ORDER BY count() DESC, s LIMIT 3`,
      );
      expect(col.get('s')!.top_values).toEqual(top.map((t) => ({ value: t.s, count: Number(t.c) })));
      const nTop = col.get('n')!.top_values!;
      expect(nTop).toHaveLength(3);
      expect(nTop[0]).toEqual({ value: null, count: Number(e.n_nulls) });
    });

    it('profiles a bounded sample of a larger table and says so', async () => {
      const profile = await connector.profile(
        { namespace: DB, name: 'events', fields: [{ name: 'id', dataType: 'UInt64' }] },
        { sampleRows: 100, topValues: false, topN: 0, signal: new AbortController().signal },
      );
      expect(profile).toMatchObject({ row_count: 1000, sampled: true, sample_rows: 100 });
      expect(profile.columns[0]).toMatchObject({ name: 'id', null_count: 0, distinct_count: 100 });
    });

    it('survives a column named like the profile aliases', async () => {
      await sql(
        `CREATE TABLE ${ident(DB)}.aliases (total_rows UInt8, sample_rows UInt8, c0_nonnull UInt8, _p0 UInt8, v String, n UInt8) ENGINE = Memory`,
      );
      await sql(`INSERT INTO ${ident(DB)}.aliases VALUES (1, 2, 3, 4, 'a', 5), (1, 2, 3, 4, 'a', 6)`);
      const names = ['total_rows', 'sample_rows', 'c0_nonnull', '_p0', 'v', 'n'];
      const profile = await connector.profile(
        {
          namespace: DB,
          name: 'aliases',
          fields: names.map((name) => ({ name, dataType: name === 'v' ? 'String' : 'UInt8' })),
        },
        { sampleRows: 100, topValues: true, topN: 5, signal: new AbortController().signal },
      );
      expect(profile.row_count).toBe(2);
      expect(profile.columns.map((c) => [c.name, c.min, c.distinct_count])).toEqual([
        ['total_rows', 1, 1],
        ['sample_rows', 2, 1],
        ['c0_nonnull', 3, 1],
        ['_p0', 4, 1],
        ['v', 'a', 1],
        ['n', 5, 2],
      ]);
      expect(profile.columns[5].top_values).toEqual([
        { value: '5', count: 1 },
        { value: '6', count: 1 },
      ]);
    });
  });

  describe('connection test', () => {
    it('succeeds with every step and reports the server version', async () => {
      const result = await connector.test(new AbortController().signal);
      expect(result).toMatchObject({ success: true, version });
      expect(result.server_info).toContain(`ClickHouse ${version}`);
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['authenticate', true],
        ['catalog', true],
      ]);
    });

    it('a wrong password fails at authenticate with AUTH_FAILED', async () => {
      const bad = clickhouseConnector.create({ ...CONFIG, username: 'metadata_pw', password: 'wrong' }, context);
      const result = await bad.test(new AbortController().signal);
      await bad.close();
      expect(result).toMatchObject({ success: false, error_code: 'AUTH_FAILED' });
      expect(result.message).toMatch(/Wrong password|Authentication failed/i);
      expect(result.details).toMatch(/user name and password/);
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['authenticate', false],
      ]);
      // The right password passes.
      const good = clickhouseConnector.create(
        { ...CONFIG, username: 'metadata_pw', password: process.env.CLICKHOUSE_TEST_PASSWORD ?? 'metadata-pw' },
        context,
      );
      expect((await good.test(new AbortController().signal)).success).toBe(true);
      await good.close();
    });

    it('a closed port fails at tcp with UNREACHABLE', async () => {
      const closedPort = await new Promise<number>((resolve) => {
        const server = createServer();
        server.listen(0, '127.0.0.1', () => {
          const p = (server.address() as { port: number }).port;
          server.close(() => resolve(p));
        });
      });
      const closed = clickhouseConnector.create({ ...CONFIG, port: closedPort }, context);
      const result = await closed.test(new AbortController().signal);
      expect(result).toMatchObject({ success: false, error_code: 'UNREACHABLE' });
      expect(result.details).toMatch(/port/);
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', false],
      ]);
    });

    it('an unknown host fails at resolve', async () => {
      const unknown = clickhouseConnector.create({ ...CONFIG, host: 'no-such-host.invalid' }, context);
      const result = await unknown.test(new AbortController().signal);
      expect(result).toMatchObject({ success: false, error_code: 'UNREACHABLE' });
      expect(result.details).toMatch(/host name/i);
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([['resolve', false]]);
    });

    it('a database the account may not use fails at catalog with PERMISSION_DENIED', async () => {
      const limited = clickhouseConnector.create({ ...CONFIG, username: 'metadata_limited', database: DB }, context);
      const result = await limited.test(new AbortController().signal);
      await limited.close();
      expect(result).toMatchObject({ success: false, error_code: 'PERMISSION_DENIED' });
      expect(result.details).toMatch(/allow/);
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['authenticate', true],
        ['catalog', false],
      ]);
    });

    it('a database that does not exist fails at catalog with INVALID_CONFIG', async () => {
      const missing = clickhouseConnector.create({ ...CONFIG, database: `${DB}_missing` }, context);
      const result = await missing.test(new AbortController().signal);
      await missing.close();
      expect(result).toMatchObject({ success: false, error_code: 'INVALID_CONFIG' });
      expect(result.steps.at(-1)).toMatchObject({ name: 'catalog', ok: false });
    });

    it('profiling a table the account may not read is PERMISSION_DENIED', async () => {
      const limited = clickhouseConnector.create({ ...CONFIG, username: 'metadata_limited' }, context);
      await expect(
        limited.profile(
          { namespace: DB, name: 'events', fields: [{ name: 'id', dataType: 'UInt64' }] },
          { sampleRows: 10, topValues: false, topN: 0, signal: new AbortController().signal },
        ),
      ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
      await limited.close();
    });

    it('a cancelled collection stops with CANCELLED', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(collectAll(connector, options({ signal: controller.signal }))).rejects.toMatchObject({
        code: 'CANCELLED',
      });
    });
  });
});
