/**
 * MinIO connector against s3rver, an S3-compatible server started here on a free port and
 * spoken to path-style. s3rver answers listing, objects and ranged reads, and refuses
 * versioning, lifecycle, object lock, policy and tagging: those MinIO APIs are covered at the
 * driver boundary in src/minio/minio.connector.spec.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { streams, Type } from 'avsc';
import { Client } from 'minio';
import S3rver from 's3rver';
import { createAddressGuard } from '@app/connectors/core/address-policy';
import { assetKey } from '@app/connectors/core/scope';
import { CatalogAsset, CatalogBatch, CatalogNamespace, CollectOptions, Connector } from '@app/connectors/core/types';
import { minioConnector } from '@app/connectors/minio';
import { describeWithServers } from '../../../test/support/servers';
import { startSilentServer } from './support/silent-server';

const guard = createAddressGuard({ deny: [], allow: [] });
const id = randomBytes(3).toString('hex');
const DATA = `it-${id}-data`;
const EMPTY = `it-${id}-empty`;

const q1 = 'id,amount,region,day\n1,10.5,north,2024-01-02\n2,20,south,2024-02-03\n3,7.25,,2024-03-04\n';
const q2 = 'id,amount,region,day\n4,1,east,2024-04-05\n';
const events1 =
  [
    JSON.stringify({ id: 1, type: 'login', user: { id: 'u1', country: 'NL' }, at: '2024-03-01T10:00:00Z' }),
    JSON.stringify({ id: 2, type: 'logout', user: { id: 'u2' }, at: '2024-03-01T11:00:00Z', extra: null }),
  ].join('\n') + '\n';
const events2 =
  JSON.stringify({ id: 3, type: 'login', user: { id: 'u3', country: 'DE' }, at: '2024-03-02T09:00:00Z' }) + '\n';
const bigCsv = 'n,label\n' + Array.from({ length: 500 }, (_, i) => `${i},row-${i}`).join('\n') + '\n';

const options = (over: Partial<CollectOptions> = {}): CollectOptions => ({
  mode: 'full',
  scope: { includeSchemas: [`it-${id}-*`] },
  batchSize: 3,
  signal: new AbortController().signal,
  ...over,
});

async function collectAll(c: Connector, o: CollectOptions) {
  const batches: CatalogBatch[] = [];
  for await (const b of c.collect(o)) batches.push(b);
  const namespaces: CatalogNamespace[] = batches.flatMap((b) => b.namespaces ?? []);
  const assets = new Map<string, CatalogAsset>(
    batches.flatMap((b) => b.assets).map((a) => [`${a.namespace}/${a.name}`, a]),
  );
  return { batches, namespaces, assets, unchanged: batches.flatMap((b) => b.unchanged ?? []) };
}

describeWithServers([], 'minio connector against s3rver (S3-compatible, path-style)', () => {
  let server: S3rver;
  let directory: string;
  let port: number;
  let s3: Client;
  const connector = (extra: Record<string, unknown> = {}) =>
    minioConnector.create(
      {
        endpoint: '127.0.0.1',
        port,
        access_key: 'S3RVER',
        secret_key: 'S3RVER',
        region: 'us-east-1',
        timeout: 10,
        ...extra,
      },
      { guardAddress: guard },
    );

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'it-s3rver-'));
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
    await s3.makeBucket(DATA);
    await s3.makeBucket(EMPTY);
    const put = (key: string, body: string | Buffer) => s3.putObject(DATA, key, body);
    await put('readme.txt', 'hello');
    await put('sales/2023/q4.csv.gz', gzipSync(q1));
    await put('sales/2024/q1.csv', q1);
    await put('sales/2024/q2.csv', q2);
    await put('events/2024-03-01.jsonl', events1);
    await put('events/2024-03-02.jsonl', events2);
    await put('raw/part-0001.parquet', Buffer.concat([Buffer.from('PAR1'), randomBytes(64), Buffer.from('PAR1')]));
    await put('big/rows.csv', bigCsv);
  });

  afterAll(async () => {
    await server?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('collects buckets and prefixes with counts, bytes, formats and inferred columns', async () => {
    const { namespaces, assets, batches } = await collectAll(connector(), options());
    expect(namespaces.map((n) => [n.name, n.kind])).toEqual([
      [DATA, 'bucket'],
      [EMPTY, 'bucket'],
    ]);
    expect(batches.every((b) => b.assets.length <= 3)).toBe(true);
    const names = [...assets.keys()]
      .filter((k) => k.startsWith(`${DATA}/`))
      .map((k) => k.slice(DATA.length + 1))
      .sort();
    expect(names).toEqual([DATA, 'big/', 'events/', 'raw/', 'sales/', 'sales/2023/', 'sales/2024/'].sort());

    const bytes = (s: string | Buffer) => Buffer.byteLength(s);
    const bucket = assets.get(`${DATA}/${DATA}`)!;
    expect(bucket.kind).toBe('bucket');
    expect(bucket.properties).toMatchObject({
      object_count: 8,
      formats: { txt: 1, 'csv.gz': 1, csv: 3, jsonl: 2, parquet: 1 },
      prefix_depth: 2,
      listing_truncated: false,
    });
    expect(bucket.statistics!.rows).toBe(8);
    expect(bucket.statistics!.bytes).toBe(bucket.properties!.bytes);
    expect(bucket.properties!.creation_date).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(Date.parse(bucket.properties!.last_modified as string)).toBeGreaterThan(Date.now() - 10 * 60_000);
    // s3rver implements none of these (it answers ?versioning with a listing); the connector says so instead of guessing.
    expect(Object.keys(bucket.properties!.unavailable as object).sort()).toEqual([
      'lifecycle',
      'object_lock',
      'policy',
      'tags',
      'versioning',
    ]);
    expect((bucket.properties!.unavailable as Record<string, string>).lifecycle).toMatch(/NotImplemented/);
    expect((bucket.properties!.unavailable as Record<string, string>).versioning).toMatch(
      /not a VersioningConfiguration/,
    );
    expect(bucket.properties).toMatchObject({
      versioning: null,
      lifecycle: null,
      object_lock: null,
      policy: null,
      public_read: null,
      tags: {},
    });
    expect(assets.get(`${EMPTY}/${EMPTY}`)!.properties).toMatchObject({ object_count: 0, bytes: 0, formats: {} });

    const y2024 = assets.get(`${DATA}/sales/2024/`)!;
    expect(y2024.kind).toBe('prefix');
    expect(y2024.properties).toMatchObject({
      depth: 2,
      object_count: 2,
      bytes: bytes(q1) + bytes(q2),
      formats: { csv: 2 },
    });
    expect(y2024.properties!.schema_sample).toMatchObject({
      object: 'sales/2024/q1.csv',
      format: 'csv',
      complete: true,
      rows: 3,
      bytes_read: bytes(q1),
    });
    expect(y2024.fields.map((f) => [f.name, f.dataType, f.nullable])).toEqual([
      ['id', 'integer', false],
      ['amount', 'number', false],
      ['region', 'string', true],
      ['day', 'date', false],
    ]);
    const sales = assets.get(`${DATA}/sales/`)!;
    expect(sales.properties).toMatchObject({ depth: 1, object_count: 3, formats: { 'csv.gz': 1, csv: 2 } });
    // The gzip object is not read; the first plain CSV stands for the prefix.
    expect((sales.properties!.schema_sample as { object: string }).object).toBe('sales/2024/q1.csv');
    expect(assets.get(`${DATA}/sales/2023/`)!.properties!.schema_sample).toMatchObject({ skipped: expect.any(String) });

    const events = assets.get(`${DATA}/events/`)!;
    expect(events.properties).toMatchObject({ object_count: 2, formats: { jsonl: 2 } });
    const ev = Object.fromEntries(events.fields.map((f) => [f.name, f]));
    expect(Object.keys(ev)).toEqual(['id', 'type', 'user', 'user.id', 'user.country', 'at', 'extra']);
    expect(ev['user.country']).toMatchObject({ path: 'user.country', dataType: 'string', nullable: true });
    expect(ev.user).toMatchObject({ dataType: 'object', nullable: false });
    expect(ev.id).toMatchObject({ dataType: 'integer', nullable: false });

    const raw = assets.get(`${DATA}/raw/`)!;
    expect(raw.fields).toEqual([]);
    // Not a real Parquet file: the footer read fails for this prefix only.
    expect(raw.properties!.schema_sample).toMatchObject({
      format: 'parquet',
      error: expect.stringMatching(/Parquet|footer/i),
    });
  });

  it('reads the writer schema of Avro container files from their header only', async () => {
    const bucket = `av-${id}-lake`;
    const type = Type.forSchema({
      type: 'record',
      name: 'Click',
      namespace: 'com.acme',
      fields: [
        { name: 'url', type: 'string', doc: 'Page' },
        { name: 'at', type: 'long' },
        {
          name: 'geo',
          type: ['null', { type: 'record', name: 'Geo', fields: [{ name: 'country', type: 'string' }] }],
          default: null,
        },
      ],
    } as never);
    const chunks: Buffer[] = [];
    const encoder = new streams.BlockEncoder(type, { codec: 'null' });
    encoder.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise((resolve) => encoder.on('end', resolve));
    for (let i = 0; i < 500; i++)
      encoder.write({ url: `/p/${i}`, at: 1_700_000_000_000 + i, geo: i % 2 ? null : { country: 'NL' } });
    encoder.end();
    await ended;
    const file = Buffer.concat(chunks);
    await s3.makeBucket(bucket);
    try {
      await s3.putObject(bucket, 'clicks/part-0.avro', file);
      const { assets } = await collectAll(
        connector({ sample_bytes: 4096 }),
        options({ scope: { includeSchemas: [bucket] } }),
      );
      const clicks = assets.get(`${bucket}/clicks/`)!;
      expect(clicks.fields.map((f) => [f.name, f.dataType, f.nullable, f.default ?? null, f.comment ?? null])).toEqual([
        ['url', 'string', false, null, 'Page'],
        ['at', 'long', false, null, null],
        ['geo', 'record<com.acme.Geo>', true, 'null', null],
        ['geo.country', 'string', true, null, null],
      ]);
      // Only the first bytes were read, not the whole file.
      const sample = clicks.properties!.schema_sample as { format: string; bytes_read: number; rows: number | null };
      expect(file.length).toBeGreaterThan(4096);
      expect(sample).toMatchObject({ format: 'avro', bytes_read: 4096, rows: null });
    } finally {
      await s3.removeObject(bucket, 'clicks/part-0.avro');
      await s3.removeBucket(bucket);
    }
  });

  it('reads at most sample_bytes of a sample object', async () => {
    const { assets } = await collectAll(
      connector({ sample_bytes: 1024 }),
      options({ scope: { includeSchemas: [DATA], includeTables: ['big/'] } }),
    );
    const big = assets.get(`${DATA}/big/`)!;
    const sample = big.properties!.schema_sample as { bytes_read: number; complete: boolean; rows: number };
    expect(sample.bytes_read).toBe(1024);
    expect(sample.complete).toBe(false);
    expect(sample.rows).toBeGreaterThan(50);
    expect(sample.rows).toBeLessThan(500);
    expect(big.fields.map((f) => [f.name, f.dataType])).toEqual([
      ['n', 'integer'],
      ['label', 'string'],
    ]);
  });

  it('honours prefix_depth, sample_schema and scope globs', async () => {
    const flat = await collectAll(connector({ prefix_depth: 0 }), options());
    expect([...flat.assets.values()].map((a) => a.kind)).toEqual(['bucket', 'bucket']);

    const noSample = await collectAll(
      connector({ sample_schema: false, prefix_depth: 1 }),
      options({ scope: { includeSchemas: [DATA] } }),
    );
    const sales = noSample.assets.get(`${DATA}/sales/`)!;
    expect(sales.fields).toEqual([]);
    expect(sales.properties!.schema_sample).toBeNull();
    expect(noSample.assets.has(`${DATA}/sales/2024/`)).toBe(false);

    const scoped = await collectAll(
      connector(),
      options({ scope: { includeSchemas: [DATA], excludeTables: ['sales/*', DATA] } }),
    );
    expect([...scoped.assets.values()].map((a) => a.name).sort()).toEqual(['big/', 'events/', 'raw/']);
  });

  it('re-reads only prefixes whose listing changed in incremental runs', async () => {
    const first = await collectAll(connector(), options({ scope: { includeSchemas: [DATA] } }));
    const previous = new Map([...first.assets.values()].map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));
    await s3.putObject(DATA, 'events/2024-03-03.jsonl', events2);
    try {
      const second = await collectAll(
        connector(),
        options({ mode: 'incremental', previousSignals: previous, scope: { includeSchemas: [DATA] } }),
      );
      expect([...second.assets.values()].map((a) => a.name).sort()).toEqual(['events/', DATA]);
      expect(second.assets.get(`${DATA}/events/`)!.properties!.object_count).toBe(3);
      expect(second.unchanged.map((u) => u.name).sort()).toEqual([
        'big/',
        'raw/',
        'sales/',
        'sales/2023/',
        'sales/2024/',
      ]);
    } finally {
      await s3.removeObject(DATA, 'events/2024-03-03.jsonl');
    }
  });

  it('refuses to profile, saying why', async () => {
    await expect(
      connector().profile(
        { namespace: DATA, name: 'sales/', fields: [] },
        { sampleRows: 10, topValues: false, topN: 5, signal: new AbortController().signal },
      ),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('tests the connection step by step', async () => {
    const result = await connector().test(new AbortController().signal);
    expect(result.success).toBe(true);
    expect(result.steps.map((s) => s.name)).toEqual(['resolve', 'tcp', 'authenticate', 'catalog']);
    expect(result.server_info).toMatch(/bucket\(s\)/);
  });

  // s3rver does not verify SigV4 signatures, so a wrong secret (SignatureDoesNotMatch) is covered at the driver boundary.
  it('reports an unknown access key as AUTH_FAILED', async () => {
    const unknownKey = await connector({ access_key: 'NOBODY' }).test(new AbortController().signal);
    expect(unknownKey).toMatchObject({ success: false, error_code: 'AUTH_FAILED' });
    expect(unknownKey.message).toMatch(/InvalidAccessKeyId|does not know this access key/);
    expect(unknownKey.details).toMatch(/access_key/);
    expect(unknownKey.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });
  });

  it('gives up on an endpoint that never answers after the configured timeout', async () => {
    const silent = await startSilentServer();
    try {
      const c = connector({ port: silent.port, timeout: 1 });
      const result = await c.test(new AbortController().signal);
      expect(result).toMatchObject({ success: false, error_code: 'TIMEOUT' });
      expect(result.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });
      await expect(collectAll(c, options())).rejects.toMatchObject({ code: 'TIMEOUT' });
    } finally {
      await silent.close();
    }
  });

  it('stops when the run is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(collectAll(connector(), options({ signal: controller.signal }))).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('reports a closed port at the tcp step', async () => {
    const result = await connector({ port: 1 }).test(new AbortController().signal);
    expect(result).toMatchObject({ success: false, error_code: 'UNREACHABLE' });
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
      ['resolve', true],
      ['tcp', false],
    ]);
  });
});
