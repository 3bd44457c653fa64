/**
 * Lake files and table formats in object storage, against s3rver: Parquet files written by
 * hyparquet-writer (schema from the footer, read with ranged GETs), and Iceberg, Delta Lake and
 * Hive-style layouts written as their specifications describe. The cases share one bucket and build on
 * each other's objects (the incremental case compares against everything written before it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { Client } from 'minio';
import S3rver from 's3rver';
import { createAddressGuard } from '@app/connectors/core/address-policy';
import { assetKey } from '@app/connectors/core/scope';
import { CatalogAsset, CatalogBatch, CollectOptions, Connector } from '@app/connectors/core/types';
import { minioConnector } from '@app/connectors/minio';
import { describeWithServers } from '../../../test/support/servers';

const guard = createAddressGuard({ deny: [], allow: [] });
const BUCKET = `lk-${randomBytes(3).toString('hex')}-lake`;

async function collectAll(c: Connector, o: CollectOptions): Promise<Map<string, CatalogAsset>> {
  const assets = new Map<string, CatalogAsset>();
  for await (const b of c.collect(o)) for (const a of b.assets) assets.set(a.name, a);
  return assets;
}

function ordersParquet(rows: number, rowGroupSize: number): Buffer {
  const ids = Array.from({ length: rows }, (_, i) => BigInt(i));
  return Buffer.from(
    parquetWriteBuffer({
      columnData: [
        { name: 'order_id', data: ids, type: 'INT64', nullable: false },
        { name: 'customer', data: ids.map((i) => `c-${i % 97n}`), type: 'STRING' },
        { name: 'amount', data: ids.map((i) => Number(i) / 4), type: 'DOUBLE' },
        { name: 'paid', data: ids.map((i) => i % 3n === 0n), type: 'BOOLEAN' },
      ],
      rowGroupSize,
    }),
  );
}

// Iceberg table metadata, format version 2, as https://iceberg.apache.org/spec/#table-metadata-fields lays it out.
function icebergMetadata(version: number, snapshots: number): string {
  const schema = (id: number, extra: boolean) => ({
    type: 'struct',
    'schema-id': id,
    fields: [
      { id: 1, name: 'event_id', required: true, type: 'long' },
      { id: 2, name: 'ts', required: true, type: 'timestamptz', doc: 'When it happened' },
      {
        id: 3,
        name: 'device',
        required: false,
        type: { type: 'struct', fields: [{ id: 5, name: 'os', required: false, type: 'string' }] },
      },
      {
        id: 4,
        name: 'tags',
        required: false,
        type: { type: 'list', 'element-id': 6, element: 'string', 'element-required': false },
      },
      ...(extra ? [{ id: 7, name: 'amount', required: false, type: 'decimal(10, 2)' }] : []),
    ],
  });
  return JSON.stringify({
    'format-version': 2,
    'table-uuid': '9c12d441-03fe-4693-9a96-a0705ddf69c1',
    location: `s3://${BUCKET}/warehouse/db/events`,
    'last-sequence-number': snapshots,
    'last-updated-ms': 1_700_000_000_000 + version,
    'last-column-id': 7,
    'current-schema-id': version - 1,
    schemas: Array.from({ length: version }, (_, i) => schema(i, i > 0)),
    'default-spec-id': 0,
    'partition-specs': [
      { 'spec-id': 0, fields: [{ 'source-id': 2, 'field-id': 1000, name: 'ts_day', transform: 'day' }] },
    ],
    'last-partition-id': 1000,
    'default-sort-order-id': 0,
    'sort-orders': [{ 'order-id': 0, fields: [] }],
    properties: { 'write.format.default': 'parquet' },
    'current-snapshot-id': snapshots ? snapshots : -1,
    snapshots: Array.from({ length: snapshots }, (_, i) => ({
      'snapshot-id': i + 1,
      'sequence-number': i + 1,
      'timestamp-ms': 1_700_000_000_000 + i,
      'manifest-list': `s3://${BUCKET}/warehouse/db/events/metadata/snap-${i + 1}.avro`,
      summary: { operation: 'append', 'total-records': String((i + 1) * 100) },
      'schema-id': version - 1,
    })),
    'snapshot-log': [],
    'metadata-log': [],
  });
}

// Delta Lake commits, newline-delimited actions as https://github.com/delta-io/delta/blob/master/PROTOCOL.md lays them out.
const deltaSchema = JSON.stringify({
  type: 'struct',
  fields: [
    { name: 'id', type: 'long', nullable: false, metadata: {} },
    { name: 'name', type: 'string', nullable: true, metadata: { comment: 'Customer name' } },
    {
      name: 'address',
      type: { type: 'struct', fields: [{ name: 'city', type: 'string', nullable: true, metadata: {} }] },
      nullable: true,
      metadata: {},
    },
    { name: 'region', type: 'string', nullable: true, metadata: {} },
  ],
});
const deltaCommit0 = [
  { commitInfo: { timestamp: 1_700_000_000_000, operation: 'CREATE TABLE' } },
  { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
  {
    metaData: {
      id: 'f7d8b7a2-3c43-4c2a-9d53-7e0d8a8b5c11',
      name: 'customers',
      description: 'All customers',
      format: { provider: 'parquet', options: {} },
      schemaString: deltaSchema,
      partitionColumns: ['region'],
      configuration: {},
      createdTime: 1_700_000_000_000,
    },
  },
  {
    add: {
      path: 'region=eu/part-00000.parquet',
      partitionValues: { region: 'eu' },
      size: 100,
      modificationTime: 1_700_000_000_000,
      dataChange: true,
    },
  },
]
  .map((a) => JSON.stringify(a))
  .join('\n');
const deltaCommit1 = [
  { commitInfo: { timestamp: 1_700_000_001_000, operation: 'WRITE' } },
  {
    add: {
      path: 'region=us/part-00001.parquet',
      partitionValues: { region: 'us' },
      size: 100,
      modificationTime: 1_700_000_001_000,
      dataChange: true,
    },
  },
]
  .map((a) => JSON.stringify(a))
  .join('\n');

describeWithServers([], 'minio connector: lake files and table formats against s3rver', () => {
  let server: S3rver;
  let directory: string;
  let port: number;
  let s3: Client;
  const keys: string[] = [];
  const put = async (key: string, body: string | Buffer) => {
    await s3.putObject(BUCKET, key, body);
    keys.push(key);
  };
  const connector = (extra: Record<string, unknown> = {}) =>
    minioConnector.create(
      { endpoint: '127.0.0.1', port, access_key: 'S3RVER', secret_key: 'S3RVER', region: 'us-east-1', ...extra },
      { guardAddress: guard },
    );
  const options = (): CollectOptions => ({
    mode: 'full',
    scope: { includeSchemas: [BUCKET] },
    batchSize: 50,
    signal: new AbortController().signal,
  });

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'it-s3rver-lake-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, vhostBuckets: false });
    ({ port } = await server.run());
    s3 = new Client({
      endPoint: '127.0.0.1',
      port,
      useSSL: false,
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      pathStyle: true,
      region: 'us-east-1',
    });
    await s3.makeBucket(BUCKET);
  });

  afterAll(async () => {
    if (s3) {
      for (const key of keys) await s3.removeObject(BUCKET, key);
      await s3.removeBucket(BUCKET).catch(() => undefined);
    }
    await server?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('reads Parquet schemas, row counts and row groups from the footer with ranged GETs', async () => {
    const file = ordersParquet(20_000, 5_000);
    await put('orders/part-0.parquet', file);
    const assets = await collectAll(connector({ sample_bytes: 2048 }), options());
    const orders = assets.get('orders/')!;
    expect(orders.fields.map((f) => [f.name, f.dataType, f.nullable])).toEqual([
      ['order_id', 'INT64', false],
      ['customer', 'STRING', true],
      ['amount', 'DOUBLE', true],
      ['paid', 'BOOLEAN', true],
    ]);
    const sample = orders.properties!.schema_sample as {
      format: string;
      bytes_read: number;
      complete: boolean;
      parquet: { rows: number; row_groups: number; footer_bytes: number };
    };
    expect(sample).toMatchObject({ format: 'parquet', complete: false, parquet: { rows: 20_000, row_groups: 4 } });
    // Only the tail: at most sample_bytes, plus the footer again when it is longer.
    expect(sample.bytes_read).toBeLessThanOrEqual(2048 + sample.parquet.footer_bytes);
    expect(sample.bytes_read).toBeLessThan(file.length);
  });

  it('skips a Parquet footer larger than max_footer_bytes, saying why', async () => {
    const assets = await collectAll(connector({ sample_bytes: 1024, max_footer_bytes: 1024 }), options());
    const sample = assets.get('orders/')!.properties!.schema_sample as { error?: string };
    expect(sample.error).toMatch(/exceeds max_footer_bytes/);
    expect(assets.get('orders/')!.fields).toEqual([]);
  });
  it('collects an Iceberg table from its current metadata file, chosen by version-hint.text', async () => {
    await put('warehouse/db/events/metadata/v1.metadata.json', icebergMetadata(1, 0));
    await put('warehouse/db/events/metadata/v2.metadata.json', icebergMetadata(2, 3));
    // A newer file written by a failed commit: the hint still points at v2.
    await put('warehouse/db/events/metadata/v3.metadata.json', '{"broken":');
    await put('warehouse/db/events/metadata/version-hint.text', '2');
    await put('warehouse/db/events/data/ts_day=2024-01-01/00000-0-data.parquet', ordersParquet(10, 10));
    const assets = await collectAll(connector(), options());
    const events = assets.get('warehouse/db/events')!;
    expect(events.kind).toBe('iceberg_table');
    expect(events.fields.map((f) => [f.name, f.dataType, f.nullable, f.comment ?? null])).toEqual([
      ['event_id', 'long', false, null],
      ['ts', 'timestamptz', false, 'When it happened'],
      ['device', 'struct', true, null],
      ['device.os', 'string', true, null],
      ['tags', 'list<string>', true, null],
      ['amount', 'decimal(10, 2)', true, null],
    ]);
    expect(events.properties).toMatchObject({
      metadata_file: 'warehouse/db/events/metadata/v2.metadata.json',
      metadata_version: 2,
      version_hint: 2,
      format_version: 2,
      partition_spec: [{ name: 'ts_day', source: 'ts', transform: 'day' }],
      snapshot_count: 3,
      current_snapshot_id: 3,
      last_updated: new Date(1_700_000_000_002).toISOString(),
    });
    expect(events.statistics).toEqual({ rows: 300 });
    // The table's partition folders are part of the table, not a dataset of their own.
    expect(assets.has('warehouse/db/events/data')).toBe(false);
  });

  it('takes the highest metadata version when an Iceberg table has no version hint', async () => {
    await put('tables/visits/metadata/00001-6f1d7c58-1f5e-4b39-9b0a-2a2f7c9d1e01.metadata.json', icebergMetadata(1, 1));
    await put(
      'tables/visits/metadata/00002-0e5c8b52-6a4f-4c8d-8a1e-3b7f6c2d9e02.gz.metadata.json',
      gzipSync(icebergMetadata(2, 2)),
    );
    const visits = (await collectAll(connector(), options())).get('tables/visits')!;
    expect(visits.kind).toBe('iceberg_table');
    expect(visits.properties).toMatchObject({ metadata_version: 2, version_hint: null, snapshot_count: 2 });
    expect(visits.fields.map((f) => f.name)).toContain('amount');
  });

  it('collects a Delta Lake table from its transaction log', async () => {
    await put('delta/customers/_delta_log/00000000000000000000.json', deltaCommit0);
    await put('delta/customers/_delta_log/00000000000000000001.json', deltaCommit1);
    await put('delta/customers/region=eu/part-00000.parquet', ordersParquet(5, 5));
    await put('delta/customers/region=us/part-00001.parquet', ordersParquet(5, 5));
    const assets = await collectAll(connector(), options());
    const customers = assets.get('delta/customers')!;
    expect(customers.kind).toBe('delta_table');
    expect(customers.fields.map((f) => [f.name, f.dataType, f.nullable, f.comment ?? null])).toEqual([
      ['id', 'long', false, null],
      ['name', 'string', true, 'Customer name'],
      ['address', 'struct', true, null],
      ['address.city', 'string', true, null],
      ['region', 'string', true, null],
    ]);
    expect(customers.fields.find((f) => f.name === 'region')!.properties).toEqual({ partition: true });
    expect(customers.properties).toMatchObject({
      version: 1,
      commit_files: 2,
      partition_columns: ['region'],
      metadata_version: 0,
      table_name: 'customers',
      data_format: 'parquet',
    });
    expect(customers.comment).toBe('All customers');
    expect([...assets.values()].some((a) => a.kind === 'dataset' && a.name.startsWith('delta/'))).toBe(false);
  });

  it('collects Hive-style partition folders as one dataset with partition columns and count', async () => {
    const days = ['2024-01-01', '2024-01-02'];
    const hours = ['00', '13'];
    for (const day of days)
      for (const hour of hours) await put(`logs/clicks/dt=${day}/hour=${hour}/part-0.parquet`, ordersParquet(4, 4));
    const assets = await collectAll(connector(), options());
    const clicks = assets.get('logs/clicks')!;
    expect(clicks.kind).toBe('dataset');
    expect(clicks.properties).toMatchObject({
      format: 'hive',
      partition_columns: ['dt', 'hour'],
      partition_count: 4,
      object_count: 4,
      formats: { parquet: 4 },
    });
    expect(clicks.fields.map((f) => [f.name, f.dataType, f.properties?.partition ?? false])).toEqual([
      ['order_id', 'INT64', false],
      ['customer', 'STRING', false],
      ['amount', 'DOUBLE', false],
      ['paid', 'BOOLEAN', false],
      ['dt', 'date', true],
      ['hour', 'integer', true],
    ]);
  });

  it('re-reads a table only when its objects changed in an incremental run', async () => {
    const first = await collectAll(connector(), options());
    const previous = new Map([...first.values()].map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));
    await put('delta/customers/_delta_log/00000000000000000002.json', deltaCommit1);
    const batches: CatalogBatch[] = [];
    for await (const b of connector().collect({ ...options(), mode: 'incremental', previousSignals: previous }))
      batches.push(b);
    const collected = batches.flatMap((b) => b.assets).filter((a) => a.kind !== 'bucket' && a.kind !== 'prefix');
    expect(collected.map((a) => [a.name, a.properties!.version])).toEqual([['delta/customers', 2]]);
    const unchanged = batches.flatMap((b) => b.unchanged ?? []).map((u) => u.name);
    expect(unchanged).toEqual(expect.arrayContaining(['logs/clicks', 'tables/visits', 'warehouse/db/events']));
  });
});
