/**
 * Doris speaks the MySQL protocol; its MySQL-compatible path (the reader it shares with the mysql
 * connector) runs here against the real MariaDB. Doris's own additions — data model, buckets,
 * partitions — are tested at the driver boundary in src/doris/doris.connector.spec.ts.
 */
import { createServer } from 'node:net';
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
import { dorisConnector } from '@app/connectors/doris';
import { describeWithServers, SERVER_ENDPOINTS } from '../../../test/support/servers';
import { collectAll } from './support/collect-all';

const { host, port } = SERVER_ENDPOINTS.mariadb;
const DB = `cat_it_doris_${Math.random().toString(36).slice(2, 10)}`;
const CONFIG: ConnectorConfig = { host, port, username: 'root', timeout: 10 };
const context = { guardAddress: createAddressGuard({ deny: [], allow: [] }) };

async function admin<T>(work: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const conn = await mysql.createConnection({ host, port, user: 'root', dateStrings: true });
  try {
    return await work(conn);
  } finally {
    await conn.end();
  }
}

function options(overrides: Partial<CollectOptions> = {}): CollectOptions {
  return {
    mode: 'full',
    scope: { includeSchemas: [DB] },
    batchSize: 10,
    signal: new AbortController().signal,
    ...overrides,
  };
}

const assetsOf = (batches: CatalogBatch[]) => new Map(batches.flatMap((b) => b.assets).map((a) => [a.name, a]));

describeWithServers(['mariadb'], 'Doris connector, MySQL-compatible path, against a real MariaDB server', () => {
  let connector: Connector;
  let assets: Map<string, CatalogAsset>;
  let batches: CatalogBatch[];

  beforeAll(async () => {
    await admin(async (c) => {
      await c.query(`CREATE DATABASE ${DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
      await c.query(`CREATE TABLE ${DB}.site_visit (
        siteid INT NOT NULL COMMENT 'site', city SMALLINT NULL, username VARCHAR(32) NULL, pv BIGINT NOT NULL DEFAULT 0 COMMENT 'page views',
        PRIMARY KEY (siteid), KEY site_visit_city_ix (city, username)) ENGINE=InnoDB COMMENT='visits per site'`);
      await c.query(`CREATE TABLE ${DB}.events (event_day DATE NOT NULL, siteid INT NOT NULL, payload VARCHAR(255),
        CONSTRAINT events_site_fk FOREIGN KEY (siteid) REFERENCES ${DB}.site_visit (siteid)) ENGINE=InnoDB`);
      await c.query(`CREATE VIEW ${DB}.v_city AS SELECT city, SUM(pv) AS pv FROM ${DB}.site_visit GROUP BY city`);
      await c.query(
        `INSERT INTO ${DB}.site_visit SELECT seq, seq % 5, CONCAT('u', seq % 9), seq * 10 FROM ${DB}.seq_1_to_40`,
      );
    });
    connector = dorisConnector.create(CONFIG, context);
    batches = await collectAll(connector, options());
    assets = assetsOf(batches);
  });

  afterAll(async () => {
    await connector?.close();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${DB}`));
  });

  it('collects databases, tables and views through the shared reader', () => {
    expect(batches[0].namespaces).toEqual([
      {
        name: DB,
        kind: 'database',
        properties: { default_character_set: 'utf8mb4', default_collation: 'utf8mb4_general_ci' },
      },
    ]);
    expect([...assets.keys()].sort()).toEqual(['events', 'site_visit', 'v_city']);
  });

  it('reads columns, keys and indexes field by field', () => {
    const t = assets.get('site_visit')!;
    expect(t).toMatchObject({
      kind: 'table',
      comment: 'visits per site',
      properties: { engine: 'InnoDB', collation: 'utf8mb4_general_ci' },
    });
    expect(
      t.fields.map((f) => [f.ordinal, f.name, f.dataType, f.nullable, f.default, f.comment, f.primaryKey]),
    ).toEqual([
      [1, 'siteid', 'int(11)', false, null, 'site', true],
      [2, 'city', 'smallint(6)', true, null, null, false],
      [3, 'username', 'varchar(32)', true, null, null, false],
      [4, 'pv', 'bigint(20)', false, '0', 'page views', false],
    ]);
    expect(t.keys).toEqual([{ name: 'PRIMARY', type: 'primary', columns: ['siteid'] }]);
    expect(t.indexes!.map((i) => [i.name, i.columns, i.unique])).toEqual([
      ['PRIMARY', ['siteid'], true],
      ['site_visit_city_ix', ['city', 'username'], false],
    ]);
    expect(assets.get('events')!.keys).toContainEqual(
      expect.objectContaining({
        name: 'events_site_fk',
        type: 'foreign',
        columns: ['siteid'],
        references: { namespace: DB, table: 'site_visit', columns: ['siteid'] },
      }),
    );
    expect(assets.get('v_city')).toMatchObject({ kind: 'view', properties: { table_type: 'VIEW' } });
  });

  it('adds no Doris design facts when the server is not Doris', () => {
    for (const asset of assets.values()) {
      expect(asset.properties!.data_model).toBeUndefined();
      expect(asset.properties!.partitions).toBeUndefined();
    }
  });

  it('reads statistics, and re-reads only a changed table in incremental runs', async () => {
    expect(assets.get('site_visit')!.statistics!.rows).toEqual(expect.any(Number));
    const previous = new Map([...assets.values()].map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));
    await admin((c) => c.query(`ALTER TABLE ${DB}.events MODIFY payload VARCHAR(255) COMMENT 'raw event'`));
    const rerun = await collectAll(connector, options({ mode: 'incremental', previousSignals: previous }));
    expect(rerun.flatMap((b) => b.assets).map((a) => a.name)).toEqual(['events']);
    expect(
      rerun
        .flatMap((b) => b.unchanged ?? [])
        .map((r) => r.name)
        .sort(),
    ).toEqual(['site_visit', 'v_city']);
    expect(rerun.flatMap((b) => b.assets)[0].fields.find((f) => f.name === 'payload')!.comment).toBe('raw event');
  });

  it('profiles a table with metrics equal to ones computed independently', async () => {
    const profile = await connector.profile(
      {
        namespace: DB,
        name: 'site_visit',
        fields: [
          { name: 'pv', dataType: 'bigint(20)' },
          { name: 'username', dataType: 'varchar(32)' },
        ],
      },
      { sampleRows: 1000, topValues: true, topN: 1, signal: new AbortController().signal },
    );
    const [[e]] = (await admin((c) =>
      c.query(
        `SELECT COUNT(*) AS n, MIN(pv) AS minpv, MAX(pv) AS maxpv, AVG(pv) AS meanpv, COUNT(DISTINCT username) AS du FROM ${DB}.site_visit`,
      ),
    )) as unknown as [Array<Record<string, unknown>>];
    const [[top]] = (await admin((c) =>
      c.query(
        `SELECT username AS value, COUNT(*) AS count FROM ${DB}.site_visit GROUP BY username ORDER BY COUNT(*) DESC, username LIMIT 1`,
      ),
    )) as unknown as [Array<Record<string, unknown>>];
    expect(profile).toMatchObject({ row_count: Number(e.n), sampled: false });
    expect(profile.columns[0]).toMatchObject({ name: 'pv', min: Number(e.minpv), max: Number(e.maxpv), null_count: 0 });
    expect(profile.columns[0].mean).toBeCloseTo(Number(e.meanpv), 4);
    expect(profile.columns[1]).toMatchObject({
      name: 'username',
      distinct_count: Number(e.du),
      top_values: [{ value: top.value, count: Number(top.count) }],
    });
  });

  describe('test connection', () => {
    const run = (config: ConnectorConfig) => {
      const c = dorisConnector.create(config, context);
      return c.test(new AbortController().signal).finally(() => c.close());
    };

    it('names the server it reached', async () => {
      const result = await run(CONFIG);
      expect(result.success).toBe(true);
      expect(result.server_info).toMatch(/^MariaDB \d+\.\d+\.\d+$/);
      expect(result.steps.map((s) => s.name)).toEqual(['resolve', 'tcp', 'authenticate', 'catalog']);
    });

    it('fails at authenticate with a hint on a wrong password', async () => {
      const result = await run({ ...CONFIG, password: 'definitely-wrong' });
      expect(result).toMatchObject({ success: false, error_code: 'AUTH_FAILED' });
      expect(result.details).toMatch(/wrong user name or password/);
      expect(result.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });
    });

    it('fails at tcp on a closed port and at resolve on an unknown host', async () => {
      const free = await new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const p = (server.address() as { port: number }).port;
          server.close(() => resolve(p));
        });
      });
      expect((await run({ ...CONFIG, port: free })).steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', false],
      ]);
      expect((await run({ ...CONFIG, host: 'no-such-host.invalid' })).steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', false],
      ]);
    });
  });
});
