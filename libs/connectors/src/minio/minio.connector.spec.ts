/**
 * Driver-boundary tests for the bucket settings s3rver does not implement (versioning, lifecycle,
 * object lock, policy, tags) and for signature errors. A small HTTP server here answers the S3
 * REST calls minio-js makes with the XML bodies and error documents the Amazon S3 API reference
 * gives for GetBucketVersioning, GetBucketLifecycleConfiguration, GetObjectLockConfiguration,
 * GetBucketPolicy, GetBucketTagging, ListBuckets and ListObjectsV2 (MinIO answers the same), so the
 * real minio-js client, its XML parsing included, runs unchanged.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { CatalogAsset, CatalogBatch } from '../core/types';
import { minioConnector } from '.';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const csv = 'id,name\n1,a\n2,b\n';

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'PublicRead',
      Effect: 'Allow',
      Principal: { AWS: ['*'] },
      Action: ['s3:GetObject'],
      Resource: ['arn:aws:s3:::governed/public/*'],
    },
  ],
});

const settings: Record<string, Record<string, { status: number; body: string }>> = {
  governed: {
    versioning: {
      status: 200,
      body: `<VersioningConfiguration xmlns="${XMLNS}"><Status>Enabled</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>`,
    },
    lifecycle: {
      status: 200,
      body:
        `<LifecycleConfiguration xmlns="${XMLNS}">` +
        '<Rule><ID>expire-logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule>' +
        '<Rule><ID>archive</ID><Filter><Prefix>archive/</Prefix></Filter><Status>Disabled</Status><Transition><Days>90</Days><StorageClass>GLACIER</StorageClass></Transition></Rule>' +
        '</LifecycleConfiguration>',
    },
    'object-lock': {
      status: 200,
      body: `<ObjectLockConfiguration xmlns="${XMLNS}"><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>30</Days></DefaultRetention></Rule></ObjectLockConfiguration>`,
    },
    policy: { status: 200, body: POLICY },
    tagging: {
      status: 200,
      body: `<Tagging xmlns="${XMLNS}"><TagSet><Tag><Key>env</Key><Value>prod</Value></Tag><Tag><Key>owner</Key><Value>data</Value></Tag></TagSet></Tagging>`,
    },
  },
  plain: {
    // A bucket that never had versioning: an empty configuration, no Status.
    versioning: { status: 200, body: `<VersioningConfiguration xmlns="${XMLNS}"/>` },
    lifecycle: {
      status: 404,
      body: s3Error('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'),
    },
    'object-lock': {
      status: 404,
      body: s3Error('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket'),
    },
    policy: { status: 404, body: s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist') },
    tagging: { status: 404, body: s3Error('NoSuchTagSet', 'The TagSet does not exist') },
  },
};

function s3Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>host</HostId></Error>`;
}

const objects: Record<string, Array<{ key: string; body: string }>> = {
  governed: [
    { key: 'logs/2024/a.log', body: 'x'.repeat(100) },
    { key: 'reports/q1.csv', body: csv },
  ],
  plain: [{ key: 'data.bin', body: 'abc' }],
  'locked-down': [],
};

let mode: 'normal' | 'signature' | 'denied' = 'normal';

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const send = (status: number, body: string, type = 'application/xml', headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };
  if (mode === 'signature')
    return send(
      403,
      s3Error(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      ),
    );
  if (mode === 'denied') return send(403, s3Error('AccessDenied', 'Access Denied'));
  const [, bucket, ...rest] = url.pathname.split('/');
  const key = decodeURIComponent(rest.join('/'));
  if (!bucket) {
    const list = Object.keys(objects)
      .map((name) => `<Bucket><Name>${name}</Name><CreationDate>2024-01-15T08:00:00.000Z</CreationDate></Bucket>`)
      .join('');
    return send(
      200,
      `<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>o</ID><DisplayName>o</DisplayName></Owner><Buckets>${list}</Buckets></ListAllMyBucketsResult>`,
    );
  }
  if (key) {
    const object = objects[bucket]?.find((o) => o.key === key);
    if (!object) return send(404, s3Error('NoSuchKey', 'The specified key does not exist.'));
    const range = /bytes=(\d+)-(\d+)?/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Math.min(Number(range[2]), object.body.length - 1) : object.body.length - 1;
    return send(
      range ? 206 : 200,
      object.body.slice(start, end + 1),
      'text/plain',
      range ? { 'content-range': `bytes ${start}-${end}/${object.body.length}` } : {},
    );
  }
  for (const sub of ['versioning', 'lifecycle', 'object-lock', 'policy', 'tagging']) {
    if (!url.searchParams.has(sub)) continue;
    const answer = settings[bucket]?.[sub] ?? { status: 403, body: s3Error('AccessDenied', 'Access Denied') };
    return send(
      answer.status,
      answer.body,
      sub === 'policy' && answer.status === 200 ? 'application/json' : 'application/xml',
    );
  }
  if (url.searchParams.get('list-type') === '2') {
    const contents = (objects[bucket] ?? [])
      .map(
        (o) =>
          `<Contents><Key>${o.key}</Key><LastModified>2024-02-01T10:00:00.000Z</LastModified><ETag>"e-${o.key}"</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      )
      .join('');
    return send(
      200,
      `<ListBucketResult xmlns="${XMLNS}"><Name>${bucket}</Name><Prefix></Prefix><KeyCount>${objects[bucket]?.length ?? 0}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
    );
  }
  send(400, s3Error('InvalidRequest', `unexpected request ${req.method} ${req.url}`));
}

describe('minio connector: bucket settings and errors at the driver boundary', () => {
  let server: Server;
  let port: number;
  const guard = async (host: string) => [host];
  const connector = () =>
    minioConnector.create(
      {
        endpoint: '127.0.0.1',
        port,
        access_key: 'AKIAEXAMPLE',
        secret_key: 'secret',
        region: 'us-east-1',
        timeout: 5,
        prefix_depth: 1,
      },
      { guardAddress: guard },
    );

  beforeAll(async () => {
    server = createServer(handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  afterEach(() => {
    mode = 'normal';
  });

  async function collect(): Promise<Map<string, CatalogAsset>> {
    const batches: CatalogBatch[] = [];
    for await (const b of connector().collect({
      mode: 'full',
      scope: {},
      batchSize: 10,
      signal: new AbortController().signal,
    }))
      batches.push(b);
    return new Map(batches.flatMap((b) => b.assets).map((a) => [`${a.namespace}/${a.name}`, a]));
  }

  it('records versioning, lifecycle, object lock, policy and tags where configured', async () => {
    const assets = await collect();
    const governed = assets.get('governed/governed')!.properties!;
    expect(governed.creation_date).toBe('2024-01-15T08:00:00.000Z');
    expect(governed.versioning).toEqual({ status: 'Enabled', mfa_delete: 'Disabled' });
    expect(governed.lifecycle).toEqual({
      rules: 2,
      rule_summaries: [
        {
          id: 'expire-logs',
          status: 'Enabled',
          prefix: 'logs/',
          expiration_days: 30,
          transition_days: null,
          transition_storage_class: null,
          noncurrent_expiration_days: null,
        },
        {
          id: 'archive',
          status: 'Disabled',
          prefix: 'archive/',
          expiration_days: null,
          transition_days: 90,
          transition_storage_class: 'GLACIER',
          noncurrent_expiration_days: null,
        },
      ],
    });
    expect(governed.object_lock).toEqual({ enabled: true, mode: 'GOVERNANCE', validity: 30, unit: 'Days' });
    expect(governed.policy).toEqual(JSON.parse(POLICY));
    expect(governed.public_read).toBe(true);
    expect(governed.tags).toEqual({ env: 'prod', owner: 'data' });
    expect(governed.unavailable).toBeUndefined();
    expect(governed).toMatchObject({
      object_count: 2,
      bytes: 100 + csv.length,
      last_modified: '2024-02-01T10:00:00.000Z',
      formats: { log: 1, csv: 1 },
    });

    // The ranged GET of the sample object went through the same client.
    const reports = assets.get('governed/reports/')!;
    expect(reports.fields.map((f) => [f.name, f.dataType])).toEqual([
      ['id', 'integer'],
      ['name', 'string'],
    ]);
  });

  it('reads "not configured" answers as empty settings, not failures', async () => {
    const plain = (await collect()).get('plain/plain')!.properties!;
    expect(plain).toMatchObject({
      versioning: { status: 'Off', mfa_delete: null },
      lifecycle: null,
      object_lock: null,
      policy: null,
      public_read: false,
      tags: {},
    });
    expect(plain.unavailable).toBeUndefined();
  });

  it('records settings the server refuses under unavailable and keeps the bucket', async () => {
    const locked = (await collect()).get('locked-down/locked-down')!.properties!;
    expect(Object.keys(locked.unavailable as object).sort()).toEqual([
      'lifecycle',
      'object_lock',
      'policy',
      'tags',
      'versioning',
    ]);
    expect((locked.unavailable as Record<string, string>).policy).toMatch(/^AccessDenied/);
    expect(locked).toMatchObject({ object_count: 0, versioning: null, public_read: null });
  });

  it('reports SignatureDoesNotMatch (a wrong secret key) as AUTH_FAILED', async () => {
    mode = 'signature';
    const result = await connector().test(new AbortController().signal);
    expect(result).toMatchObject({ success: false, error_code: 'AUTH_FAILED' });
    expect(result.details).toMatch(/secret_key/);
    expect(result.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });
  });

  it('reports AccessDenied on listing buckets as PERMISSION_DENIED', async () => {
    mode = 'denied';
    const result = await connector().test(new AbortController().signal);
    expect(result).toMatchObject({ success: false, error_code: 'PERMISSION_DENIED' });
    expect(result.details).toMatch(/s3:ListAllMyBuckets/);
  });
});
