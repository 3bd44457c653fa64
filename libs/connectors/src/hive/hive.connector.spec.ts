/**
 * Hive connector — DRIVER-BOUNDARY tests. No HiveServer2 runs here, so the executor (the one seam
 * to hive-driver) is replaced by a fake answering as HiveServer2 documents its results: GetSchemas
 * rows (TABLE_SCHEM, TABLE_CATALOG), GetTables rows (TABLE_CAT, TABLE_SCHEM, TABLE_NAME,
 * TABLE_TYPE, REMARKS) with JDBC-style patterns, and `DESCRIBE FORMATTED` as its three-column
 * result set (col_name, data_type, comment; space-padded cells, nulls where beeline prints NULL).
 * Errors are the driver's own classes (AuthenticationError for SASL, StatusError carrying the
 * server's TStatus). The real driver is also run against local sockets that refuse, hang up or
 * stay silent, to check how those failures surface.
 */
import { createServer, Server, Socket } from 'node:net';
import AuthenticationError from 'hive-driver/dist/errors/AuthenticationError';
import StatusError from 'hive-driver/dist/errors/StatusError';
import { createAddressGuard } from '../core/address-policy';
import { validateConfig } from '../core/config-spec';
import { ConnectorErrorCode } from '../core/errors';
import { assetKey } from '../core/scope';
import { CatalogAsset, CatalogBatch, CollectOptions, ConnectContext } from '../core/types';
import { Row } from '../sql-shared/row-values';
import { hiveIdent } from './collect';
import { HIVE_CONFIG_SPEC, readHiveSettings } from './config';
import { parseDescribeFormatted } from './describe-formatted';
import { classifyHiveError } from './errors';
import { HiveExecutor } from './executor';
import { HiveConnector } from './hive.connector';
import { hiveConnector } from '.';

/** DESCRIBE FORMATTED rows from [col_name, data_type, comment] triples, padded as Hive pads them. */
const pad = (s: string | null) => (s === null ? null : s.padEnd(20, ' '));
const describeRows = (rows: Array<[string, string | null, string | null]>): Row[] =>
  rows.map(([c, d, m]) => ({ col_name: pad(c), data_type: pad(d), comment: pad(m) }));

const ORDERS = describeRows([
  ['# col_name', 'data_type', 'comment'],
  ['id', 'bigint', 'order id'],
  ['amount', 'decimal(10,2)', ''],
  ['tags', 'array<string>', ''],
  ['buyer', 'struct<name:string,age:int>', 'who bought'],
  ['', null, null],
  ['# Partition Information', null, null],
  ['# col_name', 'data_type', 'comment'],
  ['dt', 'string', 'day of the order'],
  ['', null, null],
  ['# Detailed Table Information', null, null],
  ['Database:', 'sales', null],
  ['OwnerType:', 'USER', null],
  ['Owner:', 'etl', null],
  ['CreateTime:', 'Mon Jun 03 10:00:00 UTC 2024', null],
  ['LastAccessTime:', 'UNKNOWN', null],
  ['Retention:', '0', null],
  ['Location:', 'hdfs://nn:8020/warehouse/tablespace/managed/hive/sales.db/orders', null],
  ['Table Type:', 'MANAGED_TABLE', null],
  ['Table Parameters:', null, null],
  ['', 'COLUMN_STATS_ACCURATE', '{"BASIC_STATS":"true"}'],
  ['', 'bucketing_version', '2'],
  ['', 'comment', 'All orders'],
  ['', 'numFiles', '3'],
  ['', 'numPartitions', '2'],
  ['', 'numRows', '1200'],
  ['', 'orc.compress', 'SNAPPY'],
  ['', 'rawDataSize', '98765'],
  ['', 'totalSize', '45678'],
  ['', 'transactional', 'true'],
  ['', 'transient_lastDdlTime', '1717408800'],
  ['', null, null],
  ['# Storage Information', null, null],
  ['SerDe Library:', 'org.apache.hadoop.hive.ql.io.orc.OrcSerde', null],
  ['InputFormat:', 'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat', null],
  ['OutputFormat:', 'org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat', null],
  ['Compressed:', 'No', null],
  ['Num Buckets:', '4', null],
  ['Bucket Columns:', '[id]', null],
  ['Sort Columns:', '[Order(col:id, order:1)]', null],
  ['Storage Desc Params:', null, null],
  ['', 'serialization.format', '1'],
]);

const RAW_EVENTS = describeRows([
  ['# col_name', 'data_type', 'comment'],
  ['ts', 'timestamp', ''],
  ['payload', 'string', 'raw JSON'],
  ['', null, null],
  ['# Detailed Table Information', null, null],
  ['Database:', 'sales', null],
  ['Owner:', 'ingest', null],
  ['Location:', 's3a://lake/raw/events', null],
  ['Table Type:', 'EXTERNAL_TABLE', null],
  ['Table Parameters:', null, null],
  ['', 'EXTERNAL', 'TRUE'],
  ['', 'numFiles', '0'],
  ['', 'totalSize', '0'],
  ['', 'transient_lastDdlTime', '1717000000'],
  ['', null, null],
  ['# Storage Information', null, null],
  ['SerDe Library:', 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', null],
  ['InputFormat:', 'org.apache.hadoop.mapred.TextInputFormat', null],
  ['OutputFormat:', 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat', null],
  ['Compressed:', 'No', null],
  ['Num Buckets:', '-1', null],
  ['Bucket Columns:', '[]', null],
  ['Sort Columns:', '[]', null],
  ['Storage Desc Params:', null, null],
  ['', 'field.delim', ','],
  ['', 'serialization.format', ','],
]);

const BIG_ORDERS = describeRows([
  ['# col_name', 'data_type', 'comment'],
  ['id', 'bigint', ''],
  ['amount', 'decimal(10,2)', ''],
  ['', null, null],
  ['# Detailed Table Information', null, null],
  ['Database:', 'sales', null],
  ['Owner:', 'analyst', null],
  ['Table Type:', 'VIRTUAL_VIEW', null],
  ['Table Parameters:', null, null],
  ['', 'transient_lastDdlTime', '1717100000'],
  ['', null, null],
  ['# Storage Information', null, null],
  ['SerDe Library:', 'null', null],
  ['InputFormat:', 'org.apache.hadoop.mapred.TextInputFormat', null],
  ['OutputFormat:', 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat', null],
  ['', null, null],
  ['# View Information', null, null],
  ['Original Query:', 'select id, amount from orders where amount > 100', null],
  [
    'Expanded Query:',
    'select `orders`.`id`, `orders`.`amount` from `sales`.`orders` where `orders`.`amount` > 100',
    null,
  ],
]);

const SIMPLE = (db: string, col: string) =>
  describeRows([
    ['# col_name', 'data_type', 'comment'],
    [col, 'int', ''],
    ['', null, null],
    ['# Detailed Table Information', null, null],
    ['Database:', db, null],
    ['Table Type:', 'MANAGED_TABLE', null],
    ['Table Parameters:', null, null],
    ['', 'transient_lastDdlTime', '1700000000'],
  ]);

/** JDBC pattern matching as HiveServer2's MetadataOperation converts it (`%`, `_`, `\` escapes). */
function jdbcPattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') re += (pattern[++i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (ch === '%') re += '.*';
    else if (ch === '_') re += '.';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

interface FakeTable {
  db: string;
  name: string;
  type: 'TABLE' | 'VIEW';
  describe: Row[];
}

class FakeHive implements HiveExecutor {
  readonly calls: string[] = [];
  closed = false;
  failWith?: unknown;
  answer?: (sql: string) => Row[] | undefined;
  readonly tablesList: FakeTable[] = [
    { db: 'sales', name: 'big_orders', type: 'VIEW', describe: BIG_ORDERS },
    { db: 'sales', name: 'orders', type: 'TABLE', describe: ORDERS },
    { db: 'sales', name: 'raw_events', type: 'TABLE', describe: RAW_EVENTS },
    { db: 'sales', name: 'tmp_load', type: 'TABLE', describe: SIMPLE('sales', 'x') },
    { db: 'staging', name: 'landing', type: 'TABLE', describe: SIMPLE('staging', 'y') },
    { db: 'sales_archive', name: 'orders_2020', type: 'TABLE', describe: SIMPLE('sales_archive', 'z') },
  ];

  async schemas(pattern: string): Promise<Row[]> {
    this.calls.push(`GetSchemas(${pattern})`);
    if (this.failWith) throw this.failWith;
    return ['default', 'sales', 'sales_archive', 'staging']
      .filter((d) => jdbcPattern(pattern).test(d))
      .map((d) => ({ TABLE_SCHEM: d, TABLE_CATALOG: '' }));
  }

  async tables(schemaPattern: string, tablePattern: string): Promise<Row[]> {
    this.calls.push(`GetTables(${schemaPattern}, ${tablePattern})`);
    return this.tablesList
      .filter((t) => jdbcPattern(schemaPattern).test(t.db) && jdbcPattern(tablePattern).test(t.name))
      .map((t) => ({ TABLE_CAT: '', TABLE_SCHEM: t.db, TABLE_NAME: t.name, TABLE_TYPE: t.type, REMARKS: '' }));
  }

  async statement(sql: string): Promise<Row[]> {
    this.calls.push(sql);
    if (this.failWith) throw this.failWith;
    const custom = this.answer?.(sql);
    if (custom) return custom;
    // SHOW PARTITIONS answers one `partition` column per partition.
    if (sql === 'SHOW PARTITIONS `sales`.`orders`')
      return [{ partition: 'dt=2024-06-01' }, { partition: 'dt=2024-06-02' }];
    const m = /^DESCRIBE FORMATTED `([^`]+)`\.`([^`]+)`$/.exec(sql);
    const table = m && this.tablesList.find((t) => t.db === m[1] && t.name === m[2]);
    if (!table)
      throw new StatusError({
        statusCode: 3,
        sqlState: '42S02',
        errorCode: 10001,
        errorMessage: `Error while compiling statement: FAILED: SemanticException [Error 10001]: Table not found ${sql}`,
      });
    return table.describe;
  }

  async serverInfo(): Promise<{ name: string; version: string }> {
    if (this.failWith) throw this.failWith;
    return { name: 'Apache Hive', version: '3.1.3' };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

const context: ConnectContext = { guardAddress: createAddressGuard({ deny: [], allow: [] }) };
const baseConfig = {
  host: '127.0.0.1',
  port: 10000,
  username: 'catalog',
  password: 's3cret',
  auth: 'LDAP',
  timeout: 5,
};

function connectorWith(fake: FakeHive, config: Record<string, unknown> = baseConfig) {
  const opened: string[] = [];
  const connector = new HiveConnector(readHiveSettings(config), context, async (_s, address) => {
    opened.push(address);
    return fake;
  });
  return { connector, opened };
}

function options(partial: Partial<CollectOptions> = {}): CollectOptions {
  return { mode: 'full', scope: {}, batchSize: 2, signal: new AbortController().signal, ...partial };
}

async function collectAll(connector: HiveConnector, opts: CollectOptions): Promise<CatalogBatch[]> {
  const out: CatalogBatch[] = [];
  for await (const b of connector.collect(opts)) out.push(b);
  return out;
}
const assetsOf = (b: CatalogBatch[]) => b.flatMap((x) => x.assets);
const byName = (assets: CatalogAsset[]) => new Map(assets.map((a) => [a.name, a]));

describe('Hive connector (driver boundary)', () => {
  describe('configuration and parsing', () => {
    it('has auth and transport settings', () => {
      const spec = new Map(HIVE_CONFIG_SPEC.map((f) => [f.name, f]));
      expect(spec.get('port')!.default).toBe(10000);
      expect(spec.get('auth')).toMatchObject({
        default: 'NONE',
        enum: ['NONE', 'NOSASL', 'PLAIN', 'LDAP', 'CUSTOM', 'KERBEROS'],
      });
      expect(spec.get('transport')).toMatchObject({ default: 'binary', enum: ['binary', 'http'] });
      expect(validateConfig(HIVE_CONFIG_SPEC, { host: 'h', auth: 'SPNEGO' })).toEqual([
        { field: 'auth', message: 'must be one of NONE, NOSASL, PLAIN, LDAP, CUSTOM, KERBEROS' },
      ]);
      expect(hiveConnector.capabilities).toMatchObject({ incremental: 'native' });
      expect(hiveConnector.capabilities.changeSignal).toMatch(/transient_lastDdlTime/);
    });

    it('quotes identifiers with backquotes', () => {
      expect(hiveIdent('orders')).toBe('`orders`');
      expect(hiveIdent('we`ird')).toBe('`we``ird`');
    });

    it('reads DESCRIBE FORMATTED sections', () => {
      const d = parseDescribeFormatted(ORDERS);
      expect(d.columns.map((c) => c.name)).toEqual(['id', 'amount', 'tags', 'buyer']);
      expect(d.partitionColumns).toEqual([{ name: 'dt', type: 'string', comment: 'day of the order' }]);
      expect(d.detail.get('Table Type')).toBe('MANAGED_TABLE');
      expect(d.tableParameters.get('transient_lastDdlTime')).toBe('1717408800');
      expect(d.storage.get('Num Buckets')).toBe('4');
      expect(d.storageParameters.get('serialization.format')).toBe('1');
      expect(parseDescribeFormatted(BIG_ORDERS).view.get('Original Query')).toBe(
        'select id, amount from orders where amount > 100',
      );
    });
  });

  describe('full collection', () => {
    let fake: FakeHive;
    let batches: CatalogBatch[];
    let assets: Map<string, CatalogAsset>;

    beforeAll(async () => {
      fake = new FakeHive();
      const { connector } = connectorWith(fake);
      batches = await collectAll(
        connector,
        options({ scope: { includeSchemas: ['sales'], excludeTables: ['tmp_*'] } }),
      );
      assets = byName(assetsOf(batches));
      await connector.close();
    });

    it('lists databases and tables with one metadata call each, narrowed by the scope', () => {
      expect(fake.calls.slice(0, 2)).toEqual(['GetSchemas(sales)', 'GetTables(sales, %)']);
      expect(batches[0]).toEqual({ namespaces: [{ name: 'sales', kind: 'database' }], assets: [] });
      expect(fake.closed).toBe(true);
    });

    it('describes each table in scope once (HiveServer2 has no set-based catalog for storage and parameters)', () => {
      expect(fake.calls.slice(2)).toEqual([
        'DESCRIBE FORMATTED `sales`.`big_orders`',
        'DESCRIBE FORMATTED `sales`.`orders`',
        // Partition values of the partitioned table.
        'SHOW PARTITIONS `sales`.`orders`',
        'DESCRIBE FORMATTED `sales`.`raw_events`',
      ]);
      for (const b of batches) expect(b.assets.length).toBeLessThanOrEqual(2);
    });

    it('reads a managed partitioned table: columns, partition columns, storage, buckets, parameters, statistics', () => {
      expect(assets.get('orders')).toEqual({
        namespace: 'sales',
        name: 'orders',
        kind: 'partitioned_table',
        comment: 'All orders',
        owner: 'etl',
        properties: {
          table_type: 'MANAGED_TABLE',
          location: 'hdfs://nn:8020/warehouse/tablespace/managed/hive/sales.db/orders',
          input_format: 'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat',
          output_format: 'org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat',
          serde: 'org.apache.hadoop.hive.ql.io.orc.OrcSerde',
          partition_columns: ['dt'],
          num_buckets: 4,
          bucket_columns: '[id]',
          sort_columns: '[Order(col:id, order:1)]',
          serde_parameters: { 'serialization.format': '1' },
          parameters: { bucketing_version: '2', 'orc.compress': 'SNAPPY', transactional: 'true' },
          partition_count: 2,
          partitions: [{ dt: '2024-06-01' }, { dt: '2024-06-02' }],
        },
        fields: [
          {
            name: 'id',
            ordinal: 1,
            dataType: 'bigint',
            nullable: true,
            default: null,
            comment: 'order id',
            primaryKey: false,
          },
          {
            name: 'amount',
            ordinal: 2,
            dataType: 'decimal(10,2)',
            nullable: true,
            default: null,
            comment: null,
            primaryKey: false,
          },
          {
            name: 'tags',
            ordinal: 3,
            dataType: 'array<string>',
            nullable: true,
            default: null,
            comment: null,
            primaryKey: false,
          },
          {
            name: 'buyer',
            ordinal: 4,
            dataType: 'struct<name:string,age:int>',
            nullable: true,
            default: null,
            comment: 'who bought',
            primaryKey: false,
          },
          {
            name: 'dt',
            ordinal: 5,
            dataType: 'string',
            nullable: true,
            default: null,
            comment: 'day of the order',
            primaryKey: false,
            properties: { partition_key: true },
          },
        ],
        changeSignal: expect.stringMatching(/^1717408800\|partitions:2:[0-9a-f]{32}$/),
        statistics: { rows: 1200, bytes: 45678 },
      });
    });

    it('reads an external text table with SerDe parameters, and a view with its text', () => {
      expect(assets.get('raw_events')).toMatchObject({
        kind: 'external_table',
        owner: 'ingest',
        comment: null,
        properties: {
          table_type: 'EXTERNAL_TABLE',
          location: 's3a://lake/raw/events',
          serde: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
          serde_parameters: { 'field.delim': ',', 'serialization.format': ',' },
          parameters: { EXTERNAL: 'TRUE' },
        },
        statistics: { rows: null, bytes: 0 },
        fields: [
          { name: 'ts', dataType: 'timestamp' },
          { name: 'payload', dataType: 'string', comment: 'raw JSON' },
        ],
      });
      expect(assets.get('raw_events')!.properties).not.toHaveProperty('num_buckets');
      const view = assets.get('big_orders')!;
      expect(view).toMatchObject({ kind: 'view', owner: 'analyst', fields: [{ name: 'id' }, { name: 'amount' }] });
      expect(view.statistics).toBeUndefined();
    });
  });

  describe('scope and modes', () => {
    it('passes one include glob as the metadata pattern and checks every name exactly', async () => {
      const fake = new FakeHive();
      const batches = await collectAll(
        connectorWith(fake).connector,
        options({ scope: { includeSchemas: ['sales_*'], includeTables: ['orders*'] } }),
      );
      expect(fake.calls.slice(0, 2)).toEqual(['GetSchemas(sales\\_%)', 'GetTables(sales\\_%, orders%)']);
      expect(assetsOf(batches).map((a) => `${a.namespace}.${a.name}`)).toEqual(['sales_archive.orders_2020']);
    });

    it('with several include globs asks for everything and filters exactly', async () => {
      const fake = new FakeHive();
      const batches = await collectAll(
        connectorWith(fake).connector,
        options({ scope: { includeSchemas: ['sales', 'staging'], excludeTables: ['tmp_*', 'raw_*'] } }),
      );
      expect(fake.calls[0]).toBe('GetSchemas(%)');
      expect(batches[0].namespaces!.map((n) => n.name)).toEqual(['sales', 'staging']);
      expect(assetsOf(batches).map((a) => a.name)).toEqual(['big_orders', 'orders', 'landing']);
    });

    it('collects only the configured database', async () => {
      const fake = new FakeHive();
      const batches = await collectAll(
        connectorWith(fake, { ...baseConfig, database: 'sales_archive' }).connector,
        options(),
      );
      expect(fake.calls[0]).toBe('GetSchemas(sales\\_archive)');
      expect(assetsOf(batches).map((a) => a.name)).toEqual(['orders_2020']);
    });

    it('schema_only leaves statistics out', async () => {
      const assets = assetsOf(
        await collectAll(
          connectorWith(new FakeHive()).connector,
          options({ mode: 'schema_only', scope: { includeSchemas: ['sales'] } }),
        ),
      );
      expect(assets.length).toBe(4);
      for (const a of assets) expect(a.statistics).toBeUndefined();
    });

    it('incremental: tables whose transient_lastDdlTime is unchanged are reported, not re-sent', async () => {
      const fake = new FakeHive();
      const { connector } = connectorWith(fake);
      const scope = { includeSchemas: ['sales'] };
      const full = assetsOf(await collectAll(connector, options({ scope })));
      const previous = new Map(full.map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));
      // ALTER TABLE raw_events ADD COLUMNS (source string): the metastore moves transient_lastDdlTime.
      const raw = fake.tablesList.find((t) => t.name === 'raw_events')!;
      raw.describe = raw.describe.map((r) =>
        String(r.data_type).trim() === 'transient_lastDdlTime' ? { ...r, comment: '1717999999' } : r,
      );
      raw.describe.splice(3, 0, ...describeRows([['source', 'string', '']]));
      const run = await collectAll(connector, options({ mode: 'incremental', scope, previousSignals: previous }));
      const reread = assetsOf(run);
      expect(reread.map((a) => a.name)).toEqual(['raw_events']);
      expect(reread[0].fields.map((f) => f.name)).toEqual(['ts', 'payload', 'source']);
      expect(reread[0].changeSignal).toBe('1717999999');
      expect(run.flatMap((b) => b.unchanged ?? []).map((r) => r.name)).toEqual(['big_orders', 'orders', 'tmp_load']);
    });

    it('stops with CANCELLED when the signal fires', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(
        collectAll(connectorWith(new FakeHive()).connector, options({ signal: controller.signal })),
      ).rejects.toMatchObject({
        code: 'CANCELLED',
      });
    });
  });

  describe('profile', () => {
    const target = {
      namespace: 'sales',
      name: 'orders',
      fields: [
        { name: 'amount', dataType: 'decimal(10,2)' },
        { name: 'tags', dataType: 'array<string>' },
        { name: 'dt', dataType: 'string' },
      ],
    };

    it('aggregates over a LIMIT sample and counts the table only when the sample is full', async () => {
      const fake = new FakeHive();
      fake.answer = (sql) => {
        if (sql.startsWith('SELECT COUNT(*) AS sample_rows')) {
          return [
            {
              sample_rows: 1000,
              c0_nonnull: 990,
              c0_distinct: 500,
              c0_min: 1.5,
              c0_max: 999.5,
              c0_mean: 250.25,
              c0_stddev: 80.5,
              c1_nonnull: 1000,
              c2_nonnull: 1000,
              c2_distinct: 2,
              c2_min: '2024-06-01',
              c2_max: '2024-06-02',
              c2_min_length: 10,
              c2_max_length: 10,
              c2_avg_length: 10,
            },
          ];
        }
        if (sql.startsWith('SELECT COUNT(*) AS total_rows')) return [{ total_rows: 1200 }];
        return [
          { col_index: 2, v: '2024-06-01', n: 600 },
          { col_index: 2, v: '2024-06-02', n: 400 },
        ];
      };
      const profile = await connectorWith(fake).connector.profile(target, {
        sampleRows: 1000,
        topValues: true,
        topN: 1,
        signal: new AbortController().signal,
      });
      expect(fake.calls[0]).toBe(
        'SELECT COUNT(*) AS sample_rows, COUNT(`amount`) AS c0_nonnull, COUNT(DISTINCT `amount`) AS c0_distinct, MIN(`amount`) AS c0_min, MAX(`amount`) AS c0_max, AVG(`amount`) AS c0_mean, STDDEV_SAMP(`amount`) AS c0_stddev, ' +
          'COUNT(`tags`) AS c1_nonnull, COUNT(`dt`) AS c2_nonnull, COUNT(DISTINCT `dt`) AS c2_distinct, MIN(`dt`) AS c2_min, MAX(`dt`) AS c2_max, MIN(LENGTH(`dt`)) AS c2_min_length, MAX(LENGTH(`dt`)) AS c2_max_length, AVG(LENGTH(`dt`)) AS c2_avg_length ' +
          'FROM (SELECT `amount`, `tags`, `dt` FROM `sales`.`orders` LIMIT 1000) s',
      );
      expect(fake.calls[1]).toBe('SELECT COUNT(*) AS total_rows FROM `sales`.`orders`');
      expect(fake.calls[2]).toContain('ROW_NUMBER() OVER (PARTITION BY col_index ORDER BY n DESC, v)');
      expect(fake.calls[2]).not.toContain('CAST(`tags` AS STRING)');
      expect(profile).toMatchObject({ row_count: 1200, sampled: true, sample_rows: 1000 });
      expect(profile.columns[0]).toEqual({
        name: 'amount',
        null_count: 10,
        null_ratio: 0.01,
        distinct_count: 500,
        distinct_ratio: 500 / 990,
        min: 1.5,
        max: 999.5,
        mean: 250.25,
        stddev: 80.5,
        top_values: [],
      });
      expect(profile.columns[1]).toEqual({
        name: 'tags',
        null_count: 0,
        null_ratio: 0,
        distinct_count: 0,
        distinct_ratio: 0,
      });
      expect(profile.columns[2].top_values).toEqual([{ value: '2024-06-01', count: 600 }]);
    });

    it('skips the table count when the sample holds the whole table', async () => {
      const fake = new FakeHive();
      fake.answer = () => [{ sample_rows: 12, c0_nonnull: 12 }];
      const profile = await connectorWith(fake).connector.profile(
        { namespace: 'sales', name: 'orders', fields: [{ name: 'tags', dataType: 'array<string>' }] },
        { sampleRows: 1000, topValues: false, topN: 0, signal: new AbortController().signal },
      );
      expect(fake.calls).toHaveLength(1);
      expect(profile).toMatchObject({ row_count: 12, sampled: false, sample_rows: 12 });
    });
  });

  describe('errors', () => {
    it.each([
      [
        'SASL PLAIN refused (AuthenticationError)',
        new AuthenticationError('Authentication error: Error validating the login'),
        ConnectorErrorCode.AuthFailed,
      ],
      [
        'HTTP transport 401',
        Object.assign(new Error('Received a response with a bad HTTP status code: 401'), { statusCode: 401 }),
        ConnectorErrorCode.AuthFailed,
      ],
      [
        'Ranger / SQL-standard authorization (StatusError)',
        new StatusError({
          statusCode: 3,
          sqlState: '42000',
          errorCode: 40000,
          errorMessage:
            'Error while compiling statement: FAILED: HiveAccessControlException Permission denied: user [catalog] does not have [SELECT] privilege on [sales/orders]',
        }),
        ConnectorErrorCode.PermissionDenied,
      ],
      [
        'unknown database',
        new StatusError({
          statusCode: 3,
          sqlState: '42000',
          errorCode: 10072,
          errorMessage:
            'Error while compiling statement: FAILED: SemanticException [Error 10072]: Database does not exist: nope',
        }),
        ConnectorErrorCode.InvalidConfig,
      ],
      [
        'refused',
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:10000'), { code: 'ECONNREFUSED' }),
        ConnectorErrorCode.Unreachable,
      ],
      ['session lost', new Error('HiveClient: connection is lost'), ConnectorErrorCode.Protocol],
      [
        'table not found',
        new StatusError({
          statusCode: 3,
          sqlState: '42S02',
          errorCode: 10001,
          errorMessage: 'FAILED: SemanticException [Error 10001]: Table not found x',
        }),
        ConnectorErrorCode.Protocol,
      ],
    ])('%s', (_label, err, code) => {
      expect(classifyHiveError(err).code).toBe(code);
    });

    it('refuses Kerberos with UNSUPPORTED before connecting', async () => {
      const c = new HiveConnector(
        readHiveSettings({ host: '127.0.0.1', port: 1, auth: 'KERBEROS', timeout: 2 }),
        context,
      );
      await expect(collectAll(c, options())).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    });
  });

  describe('connection test', () => {
    const sockets = new Set<Socket>();
    const listen = async (onConnection: (s: Socket) => void): Promise<{ server: Server; port: number }> => {
      const server = createServer((s) => {
        sockets.add(s);
        onConnection(s);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { server, port: (server.address() as { port: number }).port };
    };
    afterAll(() => {
      for (const s of sockets) s.destroy();
    });

    it('succeeds with every step and reports the server version', async () => {
      const { server, port } = await listen((s) => s.destroy());
      const fake = new FakeHive();
      fake.answer = (sql) =>
        sql === 'SHOW TABLES IN `sales`' ? [{ tab_name: 'orders' }, { tab_name: 'raw_events' }] : undefined;
      const { connector, opened } = connectorWith(fake, { ...baseConfig, port, database: 'sales' });
      const result = await connector.test(new AbortController().signal);
      server.close();
      expect(result).toMatchObject({
        success: true,
        version: '3.1.3',
        server_info: 'Apache Hive 3.1.3 (HiveServer2, binary transport, LDAP)',
      });
      expect(result.steps.map((s) => [s.name, s.ok, s.message])).toEqual([
        ['resolve', true, '127.0.0.1'],
        ['tcp', true, `127.0.0.1:${port}`],
        ['authenticate', true, 'Apache Hive 3.1.3 (HiveServer2, binary transport, LDAP)'],
        ['catalog', true, '2 table(s) in sales'],
      ]);
      expect(opened).toEqual(['127.0.0.1']);
      expect(fake.closed).toBe(true);
    });

    it('a wrong password stops at authenticate with AUTH_FAILED', async () => {
      const { server, port } = await listen((s) => s.destroy());
      const fake = new FakeHive();
      fake.failWith = new AuthenticationError('Authentication error: Error validating the login');
      const result = await connectorWith(fake, { ...baseConfig, port }).connector.test(new AbortController().signal);
      server.close();
      expect(result).toMatchObject({ success: false, error_code: 'AUTH_FAILED' });
      expect(result.details).toMatch(/hive.server2.authentication/);
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['authenticate', false],
      ]);
    });

    it('the real driver: a refused port stops at tcp; NOSASL against a server that hangs up is PROTOCOL', async () => {
      const refused = await listen(() => undefined);
      refused.server.close();
      const r1 = await hiveConnector
        .create({ host: '127.0.0.1', port: refused.port, auth: 'NOSASL', timeout: 2 }, context)
        .test(new AbortController().signal);
      expect(r1).toMatchObject({ success: false, error_code: 'UNREACHABLE' });
      expect(r1.steps.map((s) => s.name)).toEqual(['resolve', 'tcp']);

      const hangUp = await listen((s) => s.on('data', () => s.end()));
      const r2 = await hiveConnector
        .create({ host: '127.0.0.1', port: hangUp.port, auth: 'NOSASL', timeout: 2 }, context)
        .test(new AbortController().signal);
      hangUp.server.close();
      expect(r2).toMatchObject({ success: false, error_code: 'PROTOCOL' });
      expect(r2.details).toMatch(/NOSASL vs SASL/);
      expect(r2.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });
    });

    it('the real driver: a server that never answers the SASL handshake times out with advice on auth and transport', async () => {
      const silent = await listen(() => undefined);
      const result = await hiveConnector
        .create({ host: '127.0.0.1', port: silent.port, auth: 'NONE', timeout: 1 }, context)
        .test(new AbortController().signal);
      silent.server.close();
      expect(result).toMatchObject({ success: false, error_code: 'TIMEOUT' });
      expect(result.details).toMatch(/hive.server2.authentication and hive.server2.transport.mode/);
      expect(result.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });
    });
  });
});
