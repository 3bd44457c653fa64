/**
 * Doris at the driver boundary: no Doris server runs here, so mysql2 is replaced by a stand-in that
 * answers each statement with rows shaped as the Doris reference documents them (information_schema
 * tables, table_options, partitions, SHOW CREATE TABLE, SHOW PARTITIONS). The MySQL-compatible path
 * shared with the mysql connector runs against a real MariaDB in test/doris.it-spec.ts.
 */
import { AddressInfo, createServer } from 'node:net';
import type { PoolOptions } from 'mysql2';
import { CatalogAsset, CatalogBatch, Connector } from '../core/types';
import { MysqlDriver, SqlConnection } from '../mysql/session';
import { dorisConnector } from '.';
import { createDorisConnector } from './doris.connector';
import {
  designFromCreateTable,
  designFromShowPartitions,
  designFromTableOptions,
  normaliseModel,
  parseDataSize,
} from './model';

type Row = Record<string, unknown>;
type Responder = (sql: string, values: unknown[]) => Row[] | Error;

/** A mysql2 stand-in: every statement goes to `respond`; `sent` records them in order. */
function fakeDriver(respond: Responder) {
  const sent: string[] = [];
  let thread = 100;
  const connection = (): SqlConnection & { end(): Promise<void> } => {
    const threadId = ++thread;
    return {
      threadId,
      async query({ sql, values }) {
        sent.push(sql.replace(/\s+/g, ' ').trim());
        const answer = respond(sql.replace(/\s+/g, ' ').trim(), values ?? []);
        if (answer instanceof Error) throw answer;
        return [answer, []];
      },
      release: () => undefined,
      destroy: () => undefined,
      end: async () => undefined,
    };
  };
  const driver: MysqlDriver = {
    createPool: (_options: PoolOptions) => ({ getConnection: async () => connection(), end: async () => undefined }),
    connect: async () => connection(),
  };
  return { driver, sent };
}

const serverError = (errno: number, message: string) =>
  Object.assign(new Error(message), { errno, code: 'ER_UNKNOWN_TABLE', sqlState: '42S02' });

// ---- rows as Doris 2.1 prints them ----------------------------------------------------------

const TABLES: Row[] = [
  { name: 'site_visit', type: 'BASE TABLE', engine: 'Doris', collation: 'utf-8', comment: 'OLAP' },
  {
    name: 'sales_order',
    type: 'BASE TABLE',
    engine: 'Doris',
    collation: 'utf-8',
    comment: 'orders, one row per order id',
  },
  { name: 'events', type: 'BASE TABLE', engine: 'Doris', collation: 'utf-8', comment: '' },
  { name: 'v_city', type: 'VIEW', engine: null, collation: null, comment: '' },
];

const col = (
  table: string,
  name: string,
  ordinal: number,
  type: string,
  nullable: string,
  key = '',
  comment = '',
  def: string | null = null,
): Row => ({
  table_name: table,
  name,
  ordinal,
  default_value: def,
  nullable,
  data_type: type,
  charset: null,
  collation: null,
  column_key: key,
  extra: '',
  comment,
});

const COLUMNS: Row[] = [
  col('events', 'event_day', 1, 'date', 'NO', 'DUP'),
  col('events', 'site_id', 2, 'int', 'NO', 'DUP'),
  col('events', 'payload', 3, 'varchar(255)', 'YES'),
  col('sales_order', 'orderid', 1, 'bigint', 'NO', 'UNI'),
  col('sales_order', 'status', 2, 'tinyint', 'YES'),
  col('sales_order', 'username', 3, 'varchar(32)', 'YES'),
  col('sales_order', 'amount', 4, 'bigint', 'YES', '', '', '0'),
  col('site_visit', 'siteid', 1, 'int', 'YES', 'AGG'),
  col('site_visit', 'city', 2, 'smallint', 'YES', 'AGG'),
  col('site_visit', 'username', 3, 'varchar(32)', 'YES', 'AGG'),
  col('site_visit', 'pv', 4, 'bigint', 'YES', '', 'page views', '0'),
  col('v_city', 'city', 1, 'smallint', 'YES'),
];

const TABLE_OPTIONS: Row[] = [
  {
    TABLE_NAME: 'site_visit',
    TABLE_MODEL: 'AGG_KEYS',
    TABLE_MODEL_KEY: 'siteid,city,username',
    DISTRIBUTE_KEY: 'siteid',
    DISTRIBUTE_TYPE: 'HASH',
    BUCKETS_NUM: 10,
    PARTITION_NUM: 1,
  },
  {
    TABLE_NAME: 'sales_order',
    TABLE_MODEL: 'UNIQUE_KEYS',
    TABLE_MODEL_KEY: 'orderid',
    DISTRIBUTE_KEY: 'orderid',
    DISTRIBUTE_TYPE: 'HASH',
    BUCKETS_NUM: 10,
    PARTITION_NUM: 1,
  },
  {
    TABLE_NAME: 'events',
    TABLE_MODEL: 'DUP_KEYS',
    TABLE_MODEL_KEY: 'event_day,site_id',
    DISTRIBUTE_KEY: 'RANDOM',
    DISTRIBUTE_TYPE: 'RANDOM',
    BUCKETS_NUM: 16,
    PARTITION_NUM: 2,
  },
];

const PARTITIONS: Row[] = [
  {
    TABLE_NAME: 'site_visit',
    PARTITION_NAME: 'site_visit',
    PARTITION_METHOD: 'UNPARTITIONED',
    PARTITION_EXPRESSION: 'NULL',
    PARTITION_DESCRIPTION: 'NULL',
    TABLE_ROWS: 42,
    DATA_LENGTH: 806,
  },
  {
    TABLE_NAME: 'sales_order',
    PARTITION_NAME: 'sales_order',
    PARTITION_METHOD: 'UNPARTITIONED',
    PARTITION_EXPRESSION: 'NULL',
    PARTITION_DESCRIPTION: 'NULL',
    TABLE_ROWS: 7,
    DATA_LENGTH: 512,
  },
  {
    TABLE_NAME: 'events',
    PARTITION_NAME: 'p202401',
    PARTITION_METHOD: 'RANGE',
    PARTITION_EXPRESSION: 'event_day',
    PARTITION_DESCRIPTION: "[('2024-01-01'), ('2024-02-01'))",
    TABLE_ROWS: 100,
    DATA_LENGTH: 4096,
  },
  {
    TABLE_NAME: 'events',
    PARTITION_NAME: 'p202402',
    PARTITION_METHOD: 'RANGE',
    PARTITION_EXPRESSION: 'event_day',
    PARTITION_DESCRIPTION: "[('2024-02-01'), ('2024-03-01'))",
    TABLE_ROWS: 50,
    DATA_LENGTH: 2048,
  },
];

const SITE_VISIT_DDL = `CREATE TABLE \`site_visit\` (
  \`siteid\` int NULL,
  \`city\` smallint NULL,
  \`username\` varchar(32) NULL,
  \`pv\` bigint SUM NULL DEFAULT "0" COMMENT 'page views'
) ENGINE=OLAP
AGGREGATE KEY(\`siteid\`, \`city\`, \`username\`)
COMMENT 'OLAP'
DISTRIBUTED BY HASH(\`siteid\`) BUCKETS 10
PROPERTIES (
"replication_allocation" = "tag.location.default: 1",
"storage_format" = "V2",
"light_schema_change" = "true"
);`;

const EVENTS_DDL = `CREATE TABLE \`events\` (
  \`event_day\` date NOT NULL,
  \`site_id\` int NOT NULL,
  \`payload\` varchar(255) NULL
) ENGINE=OLAP
DUPLICATE KEY(\`event_day\`, \`site_id\`)
COMMENT 'OLAP'
AUTO PARTITION BY RANGE (date_trunc(\`event_day\`, 'month'))
(PARTITION p202401 VALUES [('2024-01-01'), ('2024-02-01')),
PARTITION p202402 VALUES [('2024-02-01'), ('2024-03-01')))
DISTRIBUTED BY RANDOM BUCKETS AUTO
PROPERTIES (
"replication_allocation" = "tag.location.default: 3"
);`;

const SALES_ORDER_DDL = `CREATE TABLE \`sales_order\` (
  \`orderid\` bigint NOT NULL,
  \`status\` tinyint NULL,
  \`username\` varchar(32) NULL,
  \`amount\` bigint NULL DEFAULT "0"
) ENGINE=OLAP
UNIQUE KEY(\`orderid\`)
COMMENT 'orders, one row per order id'
DISTRIBUTED BY HASH(\`orderid\`) BUCKETS 10
PROPERTIES (
"enable_unique_key_merge_on_write" = "true"
);`;

const showPartitionsRow = (name: string, key: string, range: string, buckets: number, size: string): Row => ({
  PartitionId: 28731,
  PartitionName: name,
  VisibleVersion: 1,
  VisibleVersionTime: '2024-01-25 10:50:51',
  State: 'NORMAL',
  PartitionKey: key,
  Range: range,
  DistributionKey: 'siteid',
  Buckets: buckets,
  ReplicationNum: 1,
  StorageMedium: 'HDD',
  CooldownTime: '9999-12-31 23:59:59',
  RemoteStoragePolicy: '',
  LastConsistencyCheckTime: 'NULL',
  DataSize: size,
  IsInMemory: 'false',
  ReplicaAllocation: 'tag.location.default: 1',
  IsMutable: 'true',
  SyncWithBaseTables: 'true',
  UnsyncTables: 'NULL',
});

/** Answers the shared MySQL-protocol statements; `doris21` says whether table_options and partitions exist. */
function dorisServer(doris21: boolean): Responder {
  return (sql, values) => {
    if (sql.startsWith('SELECT VERSION()'))
      return [
        {
          version: '5.7.99',
          comment: `Doris version doris-${doris21 ? '2.1.7-rc03-443e87e203' : '2.0.3-rc06-37d31a5'}`,
        },
      ];
    if (sql.startsWith('SET query_timeout')) return [];
    if (sql.includes('FROM information_schema.SCHEMATA'))
      return [{ name: 'sales', charset: 'utf8', collation: 'utf8_general_ci' }];
    // Whole-database statements (fixtures are in name order, as they ask), or a chunk's names.
    const named = (name: unknown) => !Array.isArray(values[1]) || (values[1] as unknown[]).includes(name);
    const storage = (name: unknown) => ({
      row_format: null,
      table_rows: name === 'events' ? 150 : 42,
      data_length: 806,
      index_length: 0,
      auto_increment: null,
      create_time: '2024-01-25 10:50:51',
      update_time: '2024-01-26 08:00:00',
      create_options: '',
    });
    if (/SELECT .*TABLE_NAME AS name FROM information_schema.TABLES/.test(sql))
      return TABLES.map((t) => ({ name: t.name }));
    if (sql.includes('TABLE_TYPE AS type'))
      return TABLES.filter((t) => named(t.name)).map((t) =>
        sql.includes('ROW_FORMAT') ? { ...t, ...storage(t.name) } : t,
      );
    if (sql.includes('FROM information_schema.COLUMNS')) return COLUMNS.filter((c) => named(c.table_name));
    if (sql.includes('FROM information_schema.VIEWS'))
      return [
        {
          name: 'v_city',
          definition: 'SELECT `city` FROM `sales`.`site_visit`',
          definer: "'analyst'@'%'",
          check_option: 'NONE',
          updatable: 'NO',
          security_type: 'DEFINER',
        },
      ];
    if (sql.includes('ROW_FORMAT AS row_format'))
      return (values[1] as string[]).map((name) => ({ name, ...storage(name) }));
    if (sql.includes('information_schema.table_options'))
      return doris21 ? TABLE_OPTIONS : serverError(1109, "Unknown table 'table_options' in information_schema");
    if (sql.includes('information_schema.partitions')) return doris21 ? PARTITIONS : [];
    if (sql.startsWith('SHOW CREATE TABLE')) {
      const ddl = {
        '`sales`.`site_visit`': SITE_VISIT_DDL,
        '`sales`.`events`': EVENTS_DDL,
        '`sales`.`sales_order`': SALES_ORDER_DDL,
      }[sql.slice('SHOW CREATE TABLE '.length)];
      return [{ Table: 'x', 'Create Table': ddl }];
    }
    if (sql.startsWith('SHOW PARTITIONS FROM')) {
      if (sql.endsWith('`events`'))
        return [
          showPartitionsRow(
            'p202401',
            'event_day',
            '[types: [DATEV2]; keys: [2024-01-01]; ..types: [DATEV2]; keys: [2024-02-01]; )',
            16,
            '4.000 KB',
          ),
          showPartitionsRow(
            'p202402',
            'event_day',
            '[types: [DATEV2]; keys: [2024-02-01]; ..types: [DATEV2]; keys: [2024-03-01]; )',
            16,
            '2.000 KB',
          ),
        ];
      const name = sql.endsWith('`site_visit`') ? 'site_visit' : 'sales_order';
      return [showPartitionsRow(name, '', '', 10, '806.000 B')];
    }
    return new Error(`unexpected statement: ${sql}`);
  };
}

const context = { guardAddress: async () => ['10.0.0.7'] };

async function collect(connector: Connector): Promise<{ batches: CatalogBatch[]; assets: Map<string, CatalogAsset> }> {
  const batches: CatalogBatch[] = [];
  for await (const b of connector.collect({
    mode: 'full',
    scope: {},
    batchSize: 10,
    signal: new AbortController().signal,
  }))
    batches.push(b);
  return { batches, assets: new Map(batches.flatMap((b) => b.assets).map((a) => [a.name, a])) };
}

describe('Doris design parsing (documented output)', () => {
  it('reads the data model, keys, distribution and properties from SHOW CREATE TABLE', () => {
    expect(designFromCreateTable(SITE_VISIT_DDL)).toEqual({
      data_model: 'aggregate',
      key_columns: ['siteid', 'city', 'username'],
      partition_method: 'UNPARTITIONED',
      partition_key: null,
      distribution_type: 'HASH',
      distribution_columns: ['siteid'],
      buckets: 10,
      table_properties: {
        replication_allocation: 'tag.location.default: 1',
        storage_format: 'V2',
        light_schema_change: 'true',
      },
    });
    expect(designFromCreateTable(EVENTS_DDL)).toMatchObject({
      data_model: 'duplicate',
      key_columns: ['event_day', 'site_id'],
      partition_method: 'RANGE',
      partition_key: "date_trunc(`event_day`, 'month')",
      distribution_type: 'RANDOM',
      distribution_columns: [],
      buckets: 'AUTO',
    });
    expect(designFromCreateTable(SALES_ORDER_DDL)).toMatchObject({ data_model: 'unique', key_columns: ['orderid'] });
  });

  it('reads table_options rows, SHOW PARTITIONS rows and printed sizes', () => {
    expect(designFromTableOptions(TABLE_OPTIONS[2])).toEqual({
      data_model: 'duplicate',
      key_columns: ['event_day', 'site_id'],
      distribution_type: 'RANDOM',
      distribution_columns: [],
      buckets: 16,
      partition_count: 2,
    });
    expect(designFromShowPartitions([showPartitionsRow('t_agg', '', '', 1, '806.000 B')])).toEqual({
      partition_key: null,
      partition_count: 1,
      partitions: [{ name: 't_agg', range: null, buckets: 1, bytes: 806 }],
    });
    expect(parseDataSize('2.738 KB')).toBe(2804);
    expect(parseDataSize('1.5 GB')).toBe(1610612736);
    expect(['DUP_KEYS', 'UNI', 'AGGREGATE', 'PRIMARY_KEYS', 'x'].map(normaliseModel)).toEqual([
      'duplicate',
      'unique',
      'aggregate',
      'primary',
      null,
    ]);
  });
});

describe('Doris connector at the driver boundary', () => {
  it('on Doris 2.1 reads model, buckets and partitions from information_schema in one statement each per group of tables', async () => {
    const { driver, sent } = fakeDriver(dorisServer(true));
    const connector = createDorisConnector({ host: 'doris-fe', username: 'analyst', password: 'pw' }, context, {
      driver,
    });
    const { batches, assets } = await collect(connector);
    expect(batches[0].namespaces).toEqual([
      {
        name: 'sales',
        kind: 'database',
        properties: { default_character_set: 'utf8', default_collation: 'utf8_general_ci' },
      },
    ]);
    expect([...assets.keys()].sort()).toEqual(['events', 'sales_order', 'site_visit', 'v_city']);

    const visit = assets.get('site_visit')!;
    expect(visit).toMatchObject({ kind: 'table', comment: null, statistics: { rows: 42, bytes: 806 } });
    expect(visit.properties).toMatchObject({
      engine: 'Doris',
      data_model: 'aggregate',
      key_columns: ['siteid', 'city', 'username'],
      distribution_type: 'HASH',
      distribution_columns: ['siteid'],
      buckets: 10,
      partition_method: 'UNPARTITIONED',
      partition_key: null,
      partition_count: 1,
      partitions: [{ name: 'site_visit', range: null, rows: 42, bytes: 806 }],
      create_time: '2024-01-25 10:50:51',
    });
    expect(visit.fields.map((f) => [f.name, f.dataType, f.nullable, f.default, f.comment])).toEqual([
      ['siteid', 'int', true, null, null],
      ['city', 'smallint', true, null, null],
      ['username', 'varchar(32)', true, null, null],
      ['pv', 'bigint', true, '0', 'page views'],
    ]);
    expect(visit.keys).toEqual([]);
    expect(visit.indexes).toEqual([]);

    expect(assets.get('sales_order')!.keys).toEqual([{ name: 'UNIQUE KEY', type: 'unique', columns: ['orderid'] }]);
    expect(assets.get('sales_order')!.comment).toBe('orders, one row per order id');
    expect(assets.get('events')!.properties).toMatchObject({
      data_model: 'duplicate',
      distribution_type: 'RANDOM',
      buckets: 16,
      partition_method: 'RANGE',
      partition_key: 'event_day',
      partition_count: 2,
      partitions: [
        { name: 'p202401', range: "[('2024-01-01'), ('2024-02-01'))", rows: 100, bytes: 4096 },
        { name: 'p202402', range: "[('2024-02-01'), ('2024-03-01'))", rows: 50, bytes: 2048 },
      ],
    });
    expect(assets.get('v_city')).toMatchObject({
      kind: 'view',
      owner: "'analyst'@'%'",
      properties: { definition: 'SELECT `city` FROM `sales`.`site_visit`' },
    });

    expect(sent.filter((s) => s.startsWith('SHOW'))).toEqual([]);
    expect(sent.filter((s) => s.includes('table_options'))).toHaveLength(1);
    // Doris has no MySQL-style indexes or foreign keys to ask for.
    expect(sent.some((s) => /STATISTICS|KEY_COLUMN_USAGE|INNODB_SYS/.test(s))).toBe(false);
    expect(sent).toContain('SET query_timeout = ?');
    // Tables with storage, columns, views: one statement each for the database, free of the per-statement timeout.
    expect(sent.filter((s) => s.includes('SET_VAR(query_timeout = 86400)'))).toHaveLength(3);
    await connector.close();
  });

  it('on older Doris falls back to SHOW CREATE TABLE and SHOW PARTITIONS for OLAP tables only', async () => {
    const { driver, sent } = fakeDriver(dorisServer(false));
    const connector = createDorisConnector({ host: 'doris-fe', username: 'analyst' }, context, { driver });
    const { assets } = await collect(connector);
    expect(assets.get('site_visit')!.properties).toMatchObject({
      data_model: 'aggregate',
      key_columns: ['siteid', 'city', 'username'],
      distribution_columns: ['siteid'],
      buckets: 10,
      partition_method: 'UNPARTITIONED',
      partition_count: 1,
      partitions: [{ name: 'site_visit', range: null, buckets: 10, bytes: 806 }],
      table_properties: {
        replication_allocation: 'tag.location.default: 1',
        storage_format: 'V2',
        light_schema_change: 'true',
      },
    });
    expect(assets.get('events')!.properties).toMatchObject({
      data_model: 'duplicate',
      partition_method: 'RANGE',
      partition_key: "date_trunc(`event_day`, 'month')",
      buckets: 'AUTO',
      partition_count: 2,
    });
    expect((assets.get('events')!.properties!.partitions as unknown[])[1]).toEqual({
      name: 'p202402',
      range: '[types: [DATEV2]; keys: [2024-02-01]; ..types: [DATEV2]; keys: [2024-03-01]; )',
      buckets: 16,
      bytes: 2048,
    });
    expect(assets.get('sales_order')!.keys).toEqual([{ name: 'UNIQUE KEY', type: 'unique', columns: ['orderid'] }]);
    const shows = sent.filter((s) => s.startsWith('SHOW')).sort();
    expect(shows).toEqual([
      'SHOW CREATE TABLE `sales`.`events`',
      'SHOW CREATE TABLE `sales`.`sales_order`',
      'SHOW CREATE TABLE `sales`.`site_visit`',
      'SHOW PARTITIONS FROM `sales`.`events`',
      'SHOW PARTITIONS FROM `sales`.`sales_order`',
      'SHOW PARTITIONS FROM `sales`.`site_visit`',
    ]);
    await connector.close();
  });

  it('tests the connection step by step and names Doris and its version', async () => {
    // A plain TCP listener stands in for the FE port so the shared resolve and TCP steps pass.
    const listener = createServer((socket) => socket.destroy());
    const port = await new Promise<number>((resolve) =>
      listener.listen(0, '127.0.0.1', () => resolve((listener.address() as AddressInfo).port)),
    );
    try {
      const respond = dorisServer(true);
      const { driver, sent } = fakeDriver((sql, values) =>
        sql.includes('AS n_schemas') ? [{ n_schemas: 3, n_tables: 41 }] : respond(sql, values),
      );
      const connector = createDorisConnector(
        { host: '127.0.0.1', port, username: 'analyst' },
        { guardAddress: async () => ['127.0.0.1'] },
        { driver },
      );
      const result = await connector.test(new AbortController().signal);
      expect(result).toMatchObject({ success: true, server_info: 'Doris 2.1.7', version: '2.1.7' });
      expect(result.steps.map((s) => [s.name, s.ok, s.message])).toEqual([
        ['resolve', true, '127.0.0.1'],
        ['tcp', true, `127.0.0.1:${port}`],
        ['authenticate', true, 'Doris 2.1.7'],
        ['catalog', true, '3 databases, 41 tables visible'],
      ]);
      expect(sent.find((s) => s.includes('AS n_schemas'))).toContain('TABLE_SCHEMA NOT IN (?)');
      await connector.close();
    } finally {
      listener.close();
    }
    expect(dorisConnector.configSpec.find((f) => f.name === 'port')!.default).toBe(9030);
    expect(dorisConnector.capabilities.taskTypes).toEqual([
      'full_collection',
      'incremental_collection',
      'schema_only',
      'data_profile',
    ]);
  });

  it('profiles with one aggregate statement over a LIMIT sample, quoting identifiers', async () => {
    const { driver, sent } = fakeDriver((sql) => {
      if (sql.startsWith('SELECT VERSION()'))
        return [{ version: '5.7.99', comment: 'Doris version doris-2.1.7-rc03-443e87e203' }];
      if (sql.startsWith('SET')) return [];
      if (sql.includes('TABLE_ROWS AS estimate')) return [{ estimate: '5000' }];
      if (sql.includes('GROUP BY value'))
        return [
          { col: 'c0', value: '42', n: '30' },
          { col: 'c0', value: '7', n: '21' },
        ];
      if (sql.startsWith('SELECT COUNT(*) AS n'))
        return [
          {
            n: '1000',
            c0_nn: '990',
            c0_d: '12',
            c0_min: '1',
            c0_max: '99',
            c0_mean: '50.5000',
            c0_sd: '28.6',
            c1_nn: '1000',
            c1_d: '1000',
          },
        ];
      return new Error(`unexpected statement: ${sql}`);
    });
    const connector = createDorisConnector({ host: 'doris-fe' }, context, { driver });
    const profile = await connector.profile(
      {
        namespace: 'sales',
        name: 'site`visit',
        fields: [
          { name: 'pv', dataType: 'bigint' },
          { name: 'api_token', dataType: 'varchar(64)' },
        ],
      },
      { sampleRows: 1000, topValues: true, topN: 5, signal: new AbortController().signal },
    );
    expect(profile).toMatchObject({ row_count: 5000, sampled: true, sample_rows: 1000 });
    expect(profile.columns[0]).toMatchObject({
      name: 'pv',
      null_count: 10,
      distinct_count: 12,
      min: 1,
      max: 99,
      mean: 50.5,
      stddev: 28.6,
    });
    expect(profile.columns[1]).toMatchObject({ name: 'api_token', null_count: 0, distinct_count: 1000 });
    expect(profile.columns[0].top_values).toEqual([
      { value: '42', count: 30 },
      { value: '7', count: 21 },
    ]);
    expect(profile.columns[1].min).toBeUndefined();
    expect(profile.columns[1].top_values).toBeUndefined();
    const aggregate = sent.find((s) => s.startsWith('SELECT COUNT(*) AS n'))!;
    expect(aggregate).toContain('FROM (SELECT * FROM `sales`.`site``visit` LIMIT ?) s');
    // Top values were asked for, but the only value-bearing column is pv's; api_token looks secret.
    const tops = sent.filter((s) => s.includes('GROUP BY value'));
    expect(tops).toHaveLength(1);
    expect(tops[0]).not.toContain('api_token');
    await connector.close();
  });
});
