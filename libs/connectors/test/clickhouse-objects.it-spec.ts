/**
 * ClickHouse catalog additions against the real server (scripts/services/clickhouse.sh): parts per
 * partition and column sizes compared with system.parts and system.columns, and materialized
 * views re-read when the table they write to changes.
 */
import {
  assetKey,
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
const DB = `cat_obj_ch_${Math.random().toString(36).slice(2, 10)}`;
const CONFIG: ConnectorConfig = { host, port, username: 'default', timeout: 20 };
const context = { guardAddress: createAddressGuard({ deny: [], allow: [] }) };

async function sql(query: string, attempt = 0): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`http://${host}:${port}/?user=default`, { method: 'POST', body: query });
  } catch (err) {
    // A kept-alive socket the server already closed: one fresh attempt.
    if (attempt === 0) return sql(query, 1);
    throw err;
  }
  const body = await res.text();
  if (!res.ok) throw new Error(`${res.status}: ${body}`);
  return body;
}

async function json<T>(query: string): Promise<T[]> {
  return (await sql(`${query} FORMAT JSONEachRow`))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

function options(partial: Partial<CollectOptions> = {}): CollectOptions {
  return {
    mode: 'full',
    scope: { includeSchemas: [DB] },
    batchSize: 10,
    signal: new AbortController().signal,
    ...partial,
  };
}

const byName = (batches: CatalogBatch[]) => new Map(batches.flatMap((b) => b.assets).map((a) => [a.name, a]));

describeWithServers(['clickhouse'], 'ClickHouse connector: partitions, column sizes, materialized view targets', () => {
  let connector: Connector;
  let assets: Map<string, CatalogAsset>;

  beforeAll(async () => {
    await sql(`CREATE DATABASE ${DB}`);
    await sql(
      `CREATE TABLE ${DB}.hits (d Date, id UInt64, url String) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY id`,
    );
    await sql(`CREATE TABLE ${DB}.daily (d Date, c UInt64) ENGINE = SummingMergeTree ORDER BY d`);
    await sql(
      `CREATE MATERIALIZED VIEW ${DB}.to_daily TO ${DB}.daily AS SELECT d, count() AS c FROM ${DB}.hits GROUP BY d`,
    );
    // Two inserts: two parts in the partitions both touch.
    for (const offset of [0, 20])
      await sql(`INSERT INTO ${DB}.hits SELECT toDate('2024-01-10') + (number + ${offset}) % 50, number, concat('https://e.x/', toString(number % 97))
        FROM system.numbers LIMIT 3000`);
    connector = clickhouseConnector.create(CONFIG, context);
    assets = byName(await collectAll(connector, options()));
  }, 60_000);

  afterAll(async () => {
    await connector?.close();
    await sql(`DROP DATABASE IF EXISTS ${DB}`);
  });

  it('gives each partition its active parts, rows and bytes as system.parts counts them', async () => {
    const expected = await json<{ partition: string; parts: string; rows: string; bytes: string }>(
      `SELECT partition, toString(count()) AS parts, toString(sum(rows)) AS rows, toString(sum(bytes_on_disk)) AS bytes
       FROM system.parts WHERE active AND database = '${DB}' AND table = 'hits' GROUP BY partition ORDER BY partition`,
    );
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const hits = assets.get('hits')!;
    expect(hits.properties!.partitions).toEqual(
      expected.map((p) => ({
        partition: p.partition,
        parts: Number(p.parts),
        rows: Number(p.rows),
        bytes: Number(p.bytes),
      })),
    );
    expect(hits.statistics).toEqual({
      rows: expected.reduce((n, p) => n + Number(p.rows), 0),
      bytes: expected.reduce((n, p) => n + Number(p.bytes), 0),
    });
    // Not partitioned: totals only.
    expect(assets.get('daily')!.properties!.partitions).toBeUndefined();
  });

  it('gives each column its compressed and uncompressed bytes from system.columns, marked as estimates', async () => {
    const expected = await json<{ name: string; c: string; u: string }>(
      `SELECT name, toString(data_compressed_bytes) AS c, toString(data_uncompressed_bytes) AS u
       FROM system.columns WHERE database = '${DB}' AND table = 'hits'`,
    );
    const fields = assets.get('hits')!.fields;
    expect(expected).toHaveLength(fields.length);
    for (const column of expected) {
      const stats = fields.find((f) => f.name === column.name)!.properties!.statistics;
      expect(stats).toEqual({
        estimate: true,
        source: 'system.columns',
        compressed_bytes: Number(column.c),
        uncompressed_bytes: Number(column.u),
        compression_ratio: Number(column.c) ? Number((Number(column.u) / Number(column.c)).toFixed(4)) : null,
      });
    }
    expect(Number(expected.find((c) => c.name === 'url')!.u)).toBeGreaterThan(0);
  });

  it('re-reads a materialized view in an incremental run when the table it writes to changes', async () => {
    const first = (await collectAll(connector, options())).flatMap((b) => b.assets);
    const previous = new Map(first.map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));
    // The metadata file's time has a resolution of one second.
    await new Promise((r) => setTimeout(r, 1100));
    await sql(`ALTER TABLE ${DB}.daily ADD COLUMN note String DEFAULT ''`);
    const batches = await collectAll(connector, options({ mode: 'incremental', previousSignals: previous }));
    expect(
      batches
        .flatMap((b) => b.assets)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['daily', 'to_daily']);
    expect(batches.flatMap((b) => b.unchanged ?? []).map((r) => r.name)).toEqual(['hits']);
  });
});
