/**
 * Driver-boundary tests: no MongoDB server runs on this machine, and no installable package
 * offers a MongoDB wire-protocol server that does not download mongod binaries. The connector
 * talks to MongoDB only through `MongoCatalogClient`; here a fake deployment answers its calls
 * with documents shaped as the MongoDB manual documents each command's output:
 *   listDatabases   https://www.mongodb.com/docs/manual/reference/command/listDatabases/#output
 *   dbStats         https://www.mongodb.com/docs/manual/reference/command/dbStats/#output
 *   listCollections https://www.mongodb.com/docs/manual/reference/command/listCollections/#output
 *   listIndexes     https://www.mongodb.com/docs/manual/reference/command/listIndexes/#output
 *   $collStats      https://www.mongodb.com/docs/manual/reference/operator/aggregation/collStats/#storagestats-document
 *                   (time series collections report no count: SERVER-68353)
 *   hello/buildInfo https://www.mongodb.com/docs/manual/reference/command/hello/#output,
 *                   https://www.mongodb.com/docs/manual/reference/command/buildInfo/#output
 *   error codes     https://www.mongodb.com/docs/manual/reference/error-codes/ (13 Unauthorized, 18 AuthenticationFailed)
 * Sampled documents carry the BSON classes the driver returns with promoteValues: false.
 * The last block uses the real driver against loopback sockets (closed port, non-TLS peer);
 * libs/connectors/test/mongodb-wire.it-spec.ts drives the real driver through a wire-protocol peer.
 */
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { Document, Double, Int32, Long, MongoServerError, ObjectId, UUID } from 'mongodb';
import { createAddressGuard } from '../core/address-policy';
import { assetKey } from '../core/scope';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { validateConfig } from '../core/config-spec';
import { CatalogAsset, CatalogBatch, CollectOptions, ConnectContext } from '../core/types';
import { MongoCatalogClient } from './catalog-client';
import { mongodbConnector } from '.';
import { MongoConnector } from './mongodb.connector';
import { MONGODB_CONFIG_SPEC } from './config';

type Call = { method: string; target: string };

interface FakeCollection {
  info: Document;
  indexes?: Document[];
  stats?: Document[];
  docs?: Document[];
}

const PEOPLE_UUID = '2c1b5d0e-9a4f-4b7e-8d8c-0f3d6f0a1b2c';

const peopleDocs: Document[] = [
  {
    _id: new ObjectId('65a000000000000000000001'),
    name: 'Ada',
    email: 'ada@example.org',
    age: new Int32(36),
    address: { city: 'London' },
    tags: ['admin'],
  },
  {
    _id: new ObjectId('65a000000000000000000002'),
    name: 'Grace',
    email: 'grace@example.org',
    age: new Int32(41),
    address: { city: 'Arlington', zip: '22201' },
    tags: [],
  },
  {
    _id: new ObjectId('65a000000000000000000003'),
    name: null,
    email: 'anon@example.org',
    age: new Double(29.5),
    tags: ['dev', 'ops'],
  },
  {
    _id: new ObjectId('65a000000000000000000004'),
    name: 'Linus',
    email: 'linus@example.org',
    age: Long.fromNumber(54),
    address: { city: 'Portland' },
  },
];

/** A deployment: database → collection → what the server would answer. */
function deployment(): Record<string, Record<string, FakeCollection>> {
  const idIndex = { v: 2, key: { _id: 1 }, name: '_id_' };
  return {
    admin: {
      'system.version': {
        info: { name: 'system.version', type: 'collection', options: {}, info: { readOnly: false }, idIndex },
      },
    },
    config: {},
    local: {
      startup_log: {
        info: {
          name: 'startup_log',
          type: 'collection',
          options: { capped: true, size: 10485760 },
          info: { readOnly: false },
          idIndex,
        },
      },
    },
    app: {
      people: {
        info: {
          name: 'people',
          type: 'collection',
          options: {
            validator: {
              $jsonSchema: {
                bsonType: 'object',
                description: 'Registered people',
                required: ['email'],
                properties: {
                  email: { bsonType: 'string', description: 'Login e-mail' },
                  phone: { bsonType: 'string', description: 'Contact number' },
                },
              },
            },
            validationLevel: 'strict',
            validationAction: 'error',
          },
          info: { readOnly: false, uuid: new UUID(PEOPLE_UUID) },
          idIndex,
        },
        indexes: [
          idIndex,
          { v: 2, key: { email: 1 }, name: 'email_1', unique: true },
          { v: 2, key: { age: -1, name: 1 }, name: 'age_-1_name_1', partialFilterExpression: { age: { $gt: 17 } } },
          { v: 2, key: { created: 1 }, name: 'created_1', expireAfterSeconds: 3600, sparse: true },
          {
            v: 2,
            key: { _fts: 'text', _ftsx: 1 },
            name: 'name_text',
            weights: { name: 1 },
            default_language: 'english',
            language_override: 'language',
            textIndexVersion: 3,
          },
        ],
        stats: [
          {
            ns: 'app.people',
            host: 'db1.example:27017',
            localTime: new Date('2024-05-01T00:00:00Z'),
            storageStats: {
              size: 2400,
              count: 4,
              avgObjSize: 600,
              numOrphanDocs: 0,
              storageSize: 36864,
              freeStorageSize: 0,
              capped: false,
              nindexes: 5,
              indexBuilds: [],
              totalIndexSize: 102400,
              totalSize: 139264,
              indexSizes: { _id_: 20480 },
              scaleFactor: 1,
            },
          },
        ],
        docs: peopleDocs,
      },
      log: {
        info: {
          name: 'log',
          type: 'collection',
          options: { capped: true, size: 1048576, max: 1000 },
          info: { readOnly: false, uuid: new UUID() },
          idIndex,
        },
        indexes: [idIndex],
        stats: [
          {
            ns: 'app.log',
            host: 'db1.example:27017',
            localTime: new Date(),
            storageStats: {
              size: 100,
              count: 2,
              avgObjSize: 50,
              storageSize: 4096,
              capped: true,
              max: 1000,
              maxSize: 1048576,
              nindexes: 1,
              totalIndexSize: 4096,
              totalSize: 8192,
              scaleFactor: 1,
            },
          },
        ],
        docs: [
          { _id: new Int32(1), msg: 'start' },
          { _id: new Int32(2), msg: 'stop', level: 'warn' },
        ],
      },
      adults: {
        info: {
          name: 'adults',
          type: 'view',
          options: { viewOn: 'people', pipeline: [{ $match: { age: { $gte: 18 } } }, { $project: { email: 0 } }] },
          info: { readOnly: true },
        },
        docs: peopleDocs.map(({ email: _email, ...rest }) => rest),
      },
      weather: {
        info: {
          name: 'weather',
          type: 'timeseries',
          options: {
            timeseries: { timeField: 'ts', metaField: 'sensor', granularity: 'hours', bucketMaxSpanSeconds: 2592000 },
            expireAfterSeconds: 86400,
          },
          info: { readOnly: false },
        },
        indexes: [{ v: 2, key: { sensor: 1, ts: 1 }, name: 'sensor_1_ts_1' }],
        stats: [
          {
            ns: 'app.weather',
            host: 'db1.example:27017',
            localTime: new Date(),
            storageStats: {
              size: 658,
              timeseries: {
                bucketsNs: 'app.system.buckets.weather',
                bucketCount: 3,
                avgBucketSize: 658,
                numMeasurementsCommitted: 12,
              },
              numOrphanDocs: 0,
              storageSize: 20480,
              freeStorageSize: 0,
              capped: false,
              nindexes: 1,
              totalIndexSize: 4096,
              totalSize: 24576,
              scaleFactor: 1,
            },
          },
        ],
        docs: [
          {
            _id: new ObjectId(),
            ts: new Date('2024-05-01T10:00:00Z'),
            sensor: { id: new Int32(5), type: 'temp' },
            temp: new Double(12.5),
          },
        ],
      },
      'system.views': {
        info: { name: 'system.views', type: 'collection', options: {}, info: { readOnly: false }, idIndex },
      },
      'system.buckets.weather': {
        info: {
          name: 'system.buckets.weather',
          type: 'collection',
          options: { validator: {} },
          info: { readOnly: false },
        },
      },
    },
    shop: {
      orders: {
        info: { name: 'orders', type: 'collection', options: {}, info: { readOnly: false, uuid: new UUID() }, idIndex },
        indexes: [idIndex],
        stats: [
          {
            ns: 'shop.orders',
            host: 'db1.example:27017',
            localTime: new Date(),
            storageStats: { size: 90, count: 1, storageSize: 4096, totalIndexSize: 4096, nindexes: 1, scaleFactor: 1 },
          },
        ],
        docs: [{ _id: new ObjectId(), total: Long.fromNumber(99), items: [{ sku: 'X', qty: new Int32(1) }] }],
      },
    },
  };
}

class FakeDeployment implements MongoCatalogClient {
  readonly calls: Call[] = [];
  readonly failures = new Map<string, Error>();
  closed = false;

  constructor(readonly data = deployment()) {}

  private async answer<T>(method: string, target: string, value: () => T): Promise<T> {
    this.calls.push({ method, target });
    const failure = this.failures.get(`${method} ${target}`) ?? this.failures.get(method);
    if (failure) throw failure;
    return value();
  }

  private coll(db: string, name: string): FakeCollection {
    const c = this.data[db]?.[name];
    if (!c) throw new Error(`no ${db}.${name}`);
    return c;
  }

  connect() {
    return this.answer('connect', '', () => undefined);
  }
  serverInfo() {
    return this.answer('serverInfo', 'admin', () => ({
      hello: {
        isWritablePrimary: true,
        setName: 'rs0',
        hosts: ['db1.example:27017'],
        maxBsonObjectSize: 16777216,
        maxWireVersion: 21,
        minWireVersion: 0,
        readOnly: false,
        ok: 1,
      },
      buildInfo: {
        version: '7.0.12',
        gitVersion: 'b6513ce0781db6818e24619e8a461eae90bc94fc',
        versionArray: [7, 0, 12, 0],
        bits: 64,
        ok: 1,
      },
    }));
  }
  listDatabases() {
    return this.answer('listDatabases', 'admin', () =>
      Object.keys(this.data).map((name) => ({
        name,
        sizeOnDisk: name === 'app' ? 303104 : 8192,
        empty: Object.keys(this.data[name]).length === 0,
      })),
    );
  }
  dbStats(db: string) {
    return this.answer('dbStats', db, () => ({
      db,
      collections: 3,
      views: 1,
      objects: 7,
      avgObjSize: 450,
      dataSize: 3158,
      storageSize: 61440,
      indexes: 8,
      indexSize: 114688,
      totalSize: 176128,
      scaleFactor: 1,
      fsUsedSize: 1e9,
      fsTotalSize: 2e9,
      ok: 1,
    }));
  }
  listCollections(db: string) {
    return this.answer('listCollections', db, () => Object.values(this.data[db] ?? {}).map((c) => c.info));
  }
  listIndexes(db: string, name: string) {
    return this.answer('listIndexes', `${db}.${name}`, () => this.coll(db, name).indexes ?? []);
  }
  collStats(db: string, name: string) {
    return this.answer('collStats', `${db}.${name}`, () => this.coll(db, name).stats ?? []);
  }
  estimatedCount(db: string, name: string) {
    return this.answer('estimatedCount', `${db}.${name}`, () => (this.coll(db, name).docs ?? []).length * 250);
  }
  sample(db: string, name: string, size: number) {
    return this.answer('sample', `${db}.${name}#${size}`, () => (this.coll(db, name).docs ?? []).slice(0, size));
  }
  close() {
    this.closed = true;
    return Promise.resolve();
  }
}

const guardedHosts: string[] = [];
const context: ConnectContext = {
  guardAddress: async (host) => {
    guardedHosts.push(host);
    return createAddressGuard({ deny: [], allow: [] })(host);
  },
};

function connectorWith(config: Record<string, unknown>, fake = new FakeDeployment()) {
  const created: Array<{ uri: string }> = [];
  const connector = new MongoConnector(config, context, {
    clientFactory: (uri) => {
      created.push({ uri });
      return fake;
    },
    resolveSrv: async (name) => [
      { host: `shard-00.${name}`, port: 27017 },
      { host: `shard-01.${name}`, port: 27017 },
    ],
  });
  return { connector, fake, created };
}

function options(extra: Partial<CollectOptions> = {}): CollectOptions {
  return { mode: 'full', scope: {}, batchSize: 100, signal: new AbortController().signal, ...extra };
}

async function drain(iterable: AsyncIterable<CatalogBatch>): Promise<CatalogBatch[]> {
  const batches: CatalogBatch[] = [];
  for await (const batch of iterable) batches.push(batch);
  return batches;
}

const assetsOf = (batches: CatalogBatch[]) => batches.flatMap((b) => b.assets);
const find = (assets: CatalogAsset[], ns: string, name: string) =>
  assets.find((a) => a.namespace === ns && a.name === name)!;

beforeEach(() => guardedHosts.splice(0));

describe('mongodb definition', () => {
  it('declares its config: uri or host, secrets, sample size default', () => {
    expect(mongodbConnector.type).toBe('mongodb');
    const byName = new Map(MONGODB_CONFIG_SPEC.map((f) => [f.name, f]));
    expect(byName.get('uri')).toMatchObject({ secret: true, oneOf: ['uri', 'host'] });
    expect(byName.get('password')?.secret).toBe(true);
    expect(byName.get('sample_size')).toMatchObject({ default: 1000, min: 1 });
    expect(validateConfig(MONGODB_CONFIG_SPEC, {})).toEqual([
      { field: 'uri | host', message: 'one of uri, host is required' },
    ]);
    expect(validateConfig(MONGODB_CONFIG_SPEC, { host: 'db', sample_size: 0 })).toEqual([
      { field: 'sample_size', message: 'must be at least 1' },
    ]);
    // The shared pool fields of the seed's example config are accepted.
    expect(
      validateConfig(MONGODB_CONFIG_SPEC, {
        host: 'db',
        port: 27017,
        username: 'u',
        password: 'p',
        database: 'app',
        timeout: 30,
        max_conns: 10,
        max_idle_conns: 5,
      }),
    ).toEqual([]);
    expect(mongodbConnector.capabilities).toMatchObject({
      incremental: 'fingerprint',
      taskTypes: expect.arrayContaining(['data_profile', 'schema_only']),
    });
  });
});

describe('mongodb collect (driver boundary)', () => {
  it('lists user databases as namespaces with dbStats figures, leaving admin/local/config out', async () => {
    const { connector, fake } = connectorWith({ host: 'localhost' });
    const batches = await drain(connector.collect(options()));
    const namespaces = batches.flatMap((b) => b.namespaces ?? []);
    expect(namespaces.map((n) => n.name)).toEqual(['app', 'shop']);
    expect(namespaces[0]).toEqual({
      name: 'app',
      kind: 'database',
      properties: {
        size_on_disk: 303104,
        empty: false,
        collections: 3,
        views: 1,
        objects: 7,
        data_size: 3158,
        storage_size: 61440,
        indexes: 8,
        index_size: 114688,
        total_size: 176128,
      },
    });
    expect(fake.calls.filter((c) => c.method === 'listCollections').map((c) => c.target)).toEqual(['app', 'shop']);
    expect(guardedHosts).toEqual(['localhost']);
  });

  it('maps a collection: validator, JSON schema, indexes, keys, statistics and the sampled schema', async () => {
    const { connector } = connectorWith({ host: 'localhost', sample_size: 500 });
    const people = find(assetsOf(await drain(connector.collect(options()))), 'app', 'people');
    expect(people.kind).toBe('collection');
    expect(people.comment).toBe('Registered people');
    expect(people.statistics).toEqual({ rows: 4, bytes: 36864 });
    expect(people.properties).toMatchObject({
      type: 'collection',
      capped: false,
      uuid: PEOPLE_UUID,
      read_only: false,
      validation_level: 'strict',
      validation_action: 'error',
      json_schema: { bsonType: 'object', required: ['email'] },
      data_size: 2400,
      storage_size: 36864,
      total_index_size: 102400,
      avg_obj_size: 600,
      sample: { requested: 500, sampled: 4, truncated: false },
    });
    expect(people.indexes).toEqual([
      { name: '_id_', columns: ['_id'], unique: true, method: 'btree', predicate: null },
      { name: 'email_1', columns: ['email'], unique: true, method: 'btree', predicate: null },
      {
        name: 'age_-1_name_1',
        columns: ['age', 'name'],
        unique: false,
        method: 'btree',
        predicate: '{"age":{"$gt":17}}',
      },
      { name: 'created_1', columns: ['created'], unique: false, method: 'btree', predicate: null },
      { name: 'name_text', columns: ['name'], unique: false, method: 'text', predicate: null },
    ]);
    expect(people.keys).toEqual([
      { name: '_id_', type: 'primary', columns: ['_id'] },
      { name: 'email_1', type: 'unique', columns: ['email'] },
    ]);
    const details = people.properties!.indexes as Array<Record<string, unknown>>;
    expect(details.find((d) => d.name === 'created_1')).toEqual({
      name: 'created_1',
      key: { created: 1 },
      unique: false,
      sparse: true,
      ttl_seconds: 3600,
      version: 2,
    });
    expect(details.find((d) => d.name === 'age_-1_name_1')).toMatchObject({
      key: { age: -1, name: 1 },
      partial_filter: { age: { $gt: 17 } },
    });

    expect(people.fields.map((f) => [f.name, f.dataType, f.nullable])).toEqual([
      ['_id', 'objectId', false],
      ['address', 'object', true],
      ['address.city', 'string', true],
      ['address.zip', 'string', true],
      ['age', 'int|double|long', false],
      ['email', 'string', false],
      ['name', 'string|null', true],
      ['phone', 'string', true],
      ['tags', 'array', true],
      ['tags[]', 'string', true],
    ]);
    expect(people.fields.find((f) => f.name === 'address.city')).toMatchObject({
      path: 'address.city',
      properties: { types: { string: 3 }, presence: 0.75, present_in: 3 },
    });
    expect(people.fields.find((f) => f.name === 'email')).toMatchObject({
      comment: 'Login e-mail',
      properties: { declared_type: 'string', declared_required: true, presence: 1 },
    });
    expect(people.fields.find((f) => f.name === 'phone')).toMatchObject({
      comment: 'Contact number',
      properties: { declared_only: true, presence: 0 },
    });
    expect(people.fields[0]).toMatchObject({ primaryKey: true, ordinal: 1 });
  });

  it('maps capped collections, views and time series collections', async () => {
    const { connector, fake } = connectorWith({ host: 'localhost' });
    const assets = assetsOf(await drain(connector.collect(options())));
    expect(assets.filter((a) => a.namespace === 'app').map((a) => [a.name, a.kind])).toEqual([
      ['adults', 'view'],
      ['log', 'collection'],
      ['people', 'collection'],
      ['weather', 'timeseries_collection'],
    ]);
    expect(find(assets, 'app', 'log').properties).toMatchObject({
      capped: true,
      max_size_bytes: 1048576,
      max_documents: 1000,
    });
    expect(find(assets, 'app', 'log').fields.map((f) => [f.name, f.dataType, f.nullable])).toEqual([
      ['_id', 'int', false],
      ['level', 'string', true],
      ['msg', 'string', false],
    ]);

    const adults = find(assets, 'app', 'adults');
    expect(adults.properties).toMatchObject({
      type: 'view',
      view_on: 'people',
      pipeline: [{ $match: { age: { $gte: 18 } } }, { $project: { email: 0 } }],
      read_only: true,
    });
    expect(adults.indexes).toEqual([]);
    expect(adults.statistics).toBeUndefined();
    expect(adults.fields.map((f) => f.name)).not.toContain('email');
    // A view has no indexes or storage: neither is asked for.
    expect(fake.calls.filter((c) => c.target === 'app.adults').map((c) => c.method)).toEqual([]);
    expect(fake.calls.some((c) => c.method === 'sample' && c.target.startsWith('app.adults#'))).toBe(true);

    const weather = find(assets, 'app', 'weather');
    expect(weather.properties).toMatchObject({
      type: 'timeseries',
      timeseries: { time_field: 'ts', meta_field: 'sensor', granularity: 'hours', bucket_max_span_seconds: 2592000 },
      expire_after_seconds: 86400,
      bucket_count: 3,
    });
    // $collStats gives time series collections no document count.
    expect(weather.statistics).toEqual({ rows: null, bytes: 20480 });
    expect(weather.fields.map((f) => f.name)).toEqual(['_id', 'sensor', 'sensor.id', 'sensor.type', 'temp', 'ts']);
    // system.views and the time series buckets collection are MongoDB's own.
    expect(assets.some((a) => a.name.startsWith('system.'))).toBe(false);
  });

  it('collects system databases only when asked to', async () => {
    const { connector } = connectorWith({ host: 'localhost', include_system_databases: true });
    const batches = await drain(connector.collect(options()));
    expect(batches.flatMap((b) => b.namespaces ?? []).map((n) => n.name)).toEqual([
      'admin',
      'app',
      'config',
      'local',
      'shop',
    ]);
    expect(find(assetsOf(batches), 'local', 'startup_log').properties).toMatchObject({
      capped: true,
      max_size_bytes: 10485760,
    });
  });

  it('applies scope globs to databases and collections and never samples what is out of scope', async () => {
    const { connector, fake } = connectorWith({ host: 'localhost' });
    const batches = await drain(
      connector.collect(options({ scope: { includeSchemas: ['a*'], excludeTables: ['l?g', 'wea*'] } })),
    );
    expect(assetsOf(batches).map((a) => `${a.namespace}.${a.name}`)).toEqual(['app.adults', 'app.people']);
    expect(fake.calls.some((c) => c.target.startsWith('shop'))).toBe(false);
    expect(fake.calls.some((c) => c.target.startsWith('app.log') || c.target.startsWith('app.weather'))).toBe(false);
  });

  it('reads only the configured database, without listDatabases', async () => {
    const { connector, fake } = connectorWith({ host: 'localhost', database: 'shop' });
    const batches = await drain(connector.collect(options()));
    expect(batches.flatMap((b) => b.namespaces ?? []).map((n) => n.name)).toEqual(['shop']);
    expect(fake.calls.some((c) => c.method === 'listDatabases')).toBe(false);
    const orders = find(assetsOf(batches), 'shop', 'orders');
    expect(orders.fields.map((f) => [f.name, f.dataType])).toEqual([
      ['_id', 'objectId'],
      ['items', 'array'],
      ['items[]', 'object'],
      ['items[].qty', 'int'],
      ['items[].sku', 'string'],
      ['total', 'long'],
    ]);
  });

  it('streams batches of batchSize assets, the namespace with the first, and reports progress', async () => {
    const { connector } = connectorWith({ host: 'localhost', database: 'app' });
    const progress: Array<[number, number | undefined]> = [];
    const batches = await drain(
      connector.collect(options({ batchSize: 3, onProgress: (d, k) => progress.push([d, k]) })),
    );
    expect(batches.map((b) => [b.namespaces?.map((n) => n.name) ?? [], b.assets.map((a) => a.name)])).toEqual([
      [['app'], ['adults', 'log', 'people']],
      [[], ['weather']],
    ]);
    expect(progress).toEqual([
      [0, 4],
      [3, 4],
      [4, 4],
    ]);
  });

  it('passes sample_size to $sample and keeps documents out of the catalog', async () => {
    const { connector, fake } = connectorWith({ host: 'localhost', database: 'app', sample_size: 2 });
    const people = find(assetsOf(await drain(connector.collect(options()))), 'app', 'people');
    expect(fake.calls).toContainEqual({ method: 'sample', target: 'app.people#2' });
    expect(people.properties!.sample).toEqual({ requested: 2, sampled: 2, truncated: false });
    expect(JSON.stringify(people)).not.toContain('ada@example.org');
  });

  it('schema_only skips dbStats and $collStats', async () => {
    const { connector, fake } = connectorWith({ host: 'localhost' });
    const assets = assetsOf(await drain(connector.collect(options({ mode: 'schema_only' }))));
    expect(fake.calls.some((c) => c.method === 'collStats' || c.method === 'dbStats')).toBe(false);
    expect(find(assets, 'app', 'people').statistics).toBeUndefined();
    expect(find(assets, 'app', 'people').fields).toHaveLength(10);
  });

  it('incremental runs skip the $sample of collections whose options, indexes and count did not move', async () => {
    const full = connectorWith({ host: 'localhost', database: 'app' });
    const first = assetsOf(await drain(full.connector.collect(options())));
    const signals = new Map(
      first.filter((a) => a.changeSignal).map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]),
    );
    // Collections with a document count carry a signal; views (no count of their own) do not.
    expect([...signals.keys()].length).toBeGreaterThan(0);
    expect(find(first, 'app', 'adults').changeSignal).toBeNull();

    const { connector, fake } = connectorWith({ host: 'localhost', database: 'app' });
    const previous = new Map(signals);
    previous.set(assetKey('app', 'people'), 'an-older-signal');
    const batches = await drain(connector.collect(options({ mode: 'incremental', previousSignals: previous })));
    const reread = assetsOf(batches).map((a) => a.name);
    const unchanged = batches.flatMap((b) => b.unchanged ?? []).map((u) => u.name);
    expect(reread).toContain('people');
    expect(reread).toContain('adults');
    expect(unchanged.length).toBe(signals.size - 1);
    // Together they are what a full run reports, and only re-read collections were sampled.
    expect([...reread, ...unchanged].sort()).toEqual(first.map((a) => a.name).sort());
    const sampled = fake.calls
      .filter((c) => c.method === 'sample')
      .map((c) => c.target.slice('app.'.length).split('#')[0]);
    expect(sampled.sort()).toEqual([...reread].sort());
    for (const name of unchanged) expect(sampled).not.toContain(name);
    // The re-read collection's signal matches the full run's: its shape did not change.
    expect(find(assetsOf(batches), 'app', 'people').changeSignal).toBe(signals.get(assetKey('app', 'people')));
  });

  it('keeps going without statistics where $collStats is not authorized, and says so', async () => {
    const fake = new FakeDeployment();
    fake.failures.set(
      'collStats app.log',
      new MongoServerError({
        ok: 0,
        code: 13,
        codeName: 'Unauthorized',
        errmsg: 'not authorized on app to execute command { aggregate: "log" }',
      }),
    );
    const { connector } = connectorWith({ host: 'localhost', database: 'app' }, fake);
    const log = find(assetsOf(await drain(connector.collect(options()))), 'app', 'log');
    expect(log.statistics).toBeUndefined();
    expect(log.properties!.statistics_error).toMatch(/not authorized/);
  });

  it('fails the run with PERMISSION_DENIED when a catalog listing is refused', async () => {
    const fake = new FakeDeployment();
    fake.failures.set(
      'listCollections',
      new MongoServerError({
        ok: 0,
        code: 13,
        codeName: 'Unauthorized',
        errmsg: 'not authorized on shop to execute command { listCollections: 1 }',
      }),
    );
    const { connector } = connectorWith({ host: 'localhost', database: 'shop' }, fake);
    await expect(drain(connector.collect(options()))).rejects.toMatchObject({
      code: ConnectorErrorCode.PermissionDenied,
    });
  });

  it('stops when the run is cancelled', async () => {
    const { connector } = connectorWith({ host: 'localhost' });
    const controller = new AbortController();
    const iterator = connector.collect(options({ signal: controller.signal, batchSize: 1 }))[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await expect(iterator.next()).rejects.toMatchObject({ code: ConnectorErrorCode.Cancelled });
  });

  it('turns a call that outlives timeout into TIMEOUT', async () => {
    const fake = new FakeDeployment();
    fake.listDatabases = () => new Promise(() => undefined);
    const { connector } = connectorWith({ host: 'localhost', timeout: 1 }, fake);
    await expect(drain(connector.collect(options()))).rejects.toMatchObject({ code: ConnectorErrorCode.Timeout });
  });

  it('guards every seed host, and each SRV target of mongodb+srv, before creating a client', async () => {
    const seed = connectorWith({ uri: 'mongodb://u:p@127.0.0.1:27017,localhost:27018/?replicaSet=rs0' });
    await drain(seed.connector.collect(options()));
    expect(guardedHosts).toEqual(['127.0.0.1', 'localhost']);
    expect(seed.created).toEqual([{ uri: 'mongodb://u:p@127.0.0.1:27017,localhost:27018/?replicaSet=rs0' }]);

    guardedHosts.splice(0);
    const srv = connectorWith({ uri: 'mongodb+srv://u:p@cluster0.example.net/' });
    const refused = await drain(srv.connector.collect(options())).catch((e: unknown) => e);
    // The SRV targets do not resolve here: the guard refuses before any client exists.
    expect(guardedHosts).toEqual(['shard-00.cluster0.example.net']);
    expect(refused).toMatchObject({ code: ConnectorErrorCode.Unreachable });
    expect(srv.created).toEqual([]);
  });

  it('refuses link-local and metadata addresses without connecting', async () => {
    const { connector, created } = connectorWith({ host: '169.254.169.254' });
    await expect(drain(connector.collect(options()))).rejects.toMatchObject({
      code: ConnectorErrorCode.AddressRefused,
    });
    expect(created).toEqual([]);
  });

  it('closes the pooled client on close()', async () => {
    const { connector, fake } = connectorWith({ host: 'localhost', database: 'shop' });
    await drain(connector.collect(options()));
    await connector.close();
    expect(fake.closed).toBe(true);
  });
});

describe('mongodb profile (driver boundary)', () => {
  const profileOptions = (topValues: boolean) => ({
    sampleRows: 3,
    topValues,
    topN: 2,
    signal: new AbortController().signal,
  });

  it('profiles catalogued fields from a $sample of sampleRows documents', async () => {
    const { connector, fake } = connectorWith({ host: 'localhost' });
    const profile = await connector.profile(
      {
        namespace: 'app',
        name: 'people',
        fields: [
          { name: 'age', dataType: 'int|double|long' },
          { name: 'address.city', dataType: 'string' },
          { name: 'email', dataType: 'string' },
        ],
      },
      profileOptions(true),
    );
    expect(fake.calls).toContainEqual({ method: 'sample', target: 'app.people#3' });
    expect(profile.row_count).toBe(1000);
    expect(profile.sampled).toBe(true);
    expect(profile.sample_rows).toBe(3);
    expect(profile.columns[0]).toMatchObject({
      name: 'age',
      null_count: 0,
      distinct_count: 3,
      min: 29.5,
      max: 41,
      mean: 35.5,
    });
    expect(profile.columns[1]).toMatchObject({
      name: 'address.city',
      null_count: 1,
      null_ratio: 0.333333,
      min_length: 6,
      max_length: 9,
    });
    expect(profile.columns[2].top_values).toHaveLength(2);
  });

  it('leaves top values out unless asked, and profiles every sampled path when no fields are given', async () => {
    const { connector } = connectorWith({ host: 'localhost' });
    const profile = await connector.profile({ namespace: 'shop', name: 'orders', fields: [] }, profileOptions(false));
    expect(profile.columns.map((c) => c.name)).toEqual([
      '_id',
      'items',
      'items[]',
      'items[].qty',
      'items[].sku',
      'total',
    ]);
    expect(profile.columns.every((c) => c.top_values === undefined)).toBe(true);
    expect(profile).toMatchObject({ row_count: 250, sampled: true, sample_rows: 1 });
  });
});

describe('mongodb test connection', () => {
  let listener: Server;
  let port: number;

  beforeAll(async () => {
    // Something listening, so the resolve and TCP steps pass and the fake answers the rest.
    listener = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

  it('reports the server version and what the account can see', async () => {
    const { connector, fake } = connectorWith({ host: '127.0.0.1', port });
    const result = await connector.test(new AbortController().signal);
    expect(result).toMatchObject({
      success: true,
      message: 'Connection successful',
      server_info: 'MongoDB 7.0.12',
      version: '7.0.12',
    });
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
      ['resolve', true],
      ['tcp', true],
      ['authenticate', true],
      ['catalog', true],
    ]);
    expect(result.steps[3].message).toBe('replica set rs0; 5 databases visible');
    expect(fake.closed).toBe(true);
  });

  it('classifies AuthenticationFailed (18) as AUTH_FAILED at the authenticate step', async () => {
    const fake = new FakeDeployment();
    fake.failures.set(
      'connect',
      new MongoServerError({ ok: 0, code: 18, codeName: 'AuthenticationFailed', errmsg: 'Authentication failed.' }),
    );
    const { connector } = connectorWith({ host: '127.0.0.1', port, username: 'reader', password: 'wrong' }, fake);
    const result = await connector.test(new AbortController().signal);
    expect(result).toMatchObject({ success: false, error_code: 'AUTH_FAILED' });
    expect(result.details).toMatch(/auth_source/);
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
      ['resolve', true],
      ['tcp', true],
      ['authenticate', false],
    ]);
  });

  it('classifies Unauthorized (13) on listDatabases as PERMISSION_DENIED at the catalog step', async () => {
    const fake = new FakeDeployment();
    fake.failures.set(
      'listDatabases',
      new MongoServerError({
        ok: 0,
        code: 13,
        codeName: 'Unauthorized',
        errmsg: 'not authorized on admin to execute command { listDatabases: 1 }',
      }),
    );
    const { connector } = connectorWith({ host: '127.0.0.1', port }, fake);
    const result = await connector.test(new AbortController().signal);
    expect(result).toMatchObject({ success: false, error_code: 'PERMISSION_DENIED', server_info: 'MongoDB 7.0.12' });
    expect(result.steps.at(-1)).toMatchObject({ name: 'catalog', ok: false });
  });

  it('lists the collections of the configured database in the catalog step', async () => {
    const { connector } = connectorWith({ host: '127.0.0.1', port, database: 'app' });
    const result = await connector.test(new AbortController().signal);
    expect(result.steps.at(-1)!.message).toBe('replica set rs0; 6 collections and views in app');
  });

  it('reports an SRV name that does not resolve at the resolve step', async () => {
    const connector = new MongoConnector({ uri: 'mongodb+srv://nothing.invalid/' }, context, {
      clientFactory: () => new FakeDeployment(),
      resolveSrv: () =>
        Promise.reject(
          Object.assign(new Error('queryNotFound ENOTFOUND _mongodb._tcp.nothing.invalid'), { code: 'ENOTFOUND' }),
        ),
    });
    const result = await connector.test(new AbortController().signal);
    expect(result).toMatchObject({ success: false, error_code: 'UNREACHABLE' });
    expect(result.steps).toEqual([expect.objectContaining({ name: 'resolve', ok: false })]);
  });
});

describe('mongodb with the real driver on loopback sockets', () => {
  it('fails at the TCP step on a closed port', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const connector = mongodbConnector.create({ host: '127.0.0.1', port, timeout: 2 }, context);
    const result = await connector.test(new AbortController().signal);
    expect(result).toMatchObject({ success: false, error_code: 'UNREACHABLE' });
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
      ['resolve', true],
      ['tcp', false],
    ]);
    // Collecting through the driver itself ends in a classified server-selection failure.
    await expect(drain(connector.collect(options()))).rejects.toMatchObject({ code: ConnectorErrorCode.Unreachable });
    await connector.close();
  });

  it('fails at the TLS step when the port does not speak TLS', async () => {
    const sockets = new Set<Socket>();
    const plain = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as AddressInfo).port;
    try {
      const connector = mongodbConnector.create({ host: '127.0.0.1', port, tls: true, timeout: 2 }, context);
      const result = await connector.test(new AbortController().signal);
      expect(result).toMatchObject({ success: false, error_code: 'TLS' });
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['tls', false],
      ]);
      await connector.close();
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });

  it('reports ConnectorError for every failure', async () => {
    const connector = mongodbConnector.create({ uri: 'mongodb://127.0.0.1:1/?replicaSet=rs0', timeout: 1 }, context);
    const err = await drain(connector.collect(options())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    await connector.close();
  });
});
