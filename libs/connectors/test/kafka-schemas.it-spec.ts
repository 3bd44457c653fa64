/**
 * Topic schemas against the librdkafka mock cluster and a Schema Registry contract server
 * (test/support/schema-registry.ts). The test registers Avro, JSON Schema and Protobuf schemas,
 * produces JSON, Confluent-framed Avro and binary messages, and compares every collected field
 * with what it wrote.
 */
import { Type } from 'avsc';
import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { createAddressGuard } from '@app/connectors/core/address-policy';
import { assetKey } from '@app/connectors/core/scope';
import { CatalogAsset, CatalogBatch, CollectOptions, Connector } from '@app/connectors/core/types';
import { kafkaConnector } from '@app/connectors/kafka';
import { describeWithServers } from '../../../test/support/servers';
import { SchemaRegistryContract } from '../../../test/support/schema-registry';
import { MockCluster, startMockCluster } from './support/kafka-mock';

const guard = createAddressGuard({ deny: [], allow: [] });

const ORDER_V1 = {
  type: 'record',
  name: 'Order',
  namespace: 'com.acme',
  doc: 'An order as placed',
  fields: [
    { name: 'id', type: 'string', doc: 'Order id' },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    {
      name: 'customer',
      type: {
        type: 'record',
        name: 'Customer',
        fields: [
          { name: 'name', type: 'string' },
          { name: 'email', type: ['null', 'string'], default: null, doc: 'Contact address' },
        ],
      },
    },
    {
      name: 'lines',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Line',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'qty', type: 'int', default: 1 },
          ],
        },
      },
    },
  ],
};
const ORDER_V2 = {
  ...ORDER_V1,
  fields: [
    ...ORDER_V1.fields,
    { name: 'channel', type: { type: 'enum', name: 'Channel', symbols: ['WEB', 'SHOP'] }, default: 'WEB' },
  ],
};

const CUSTOMER_JSON_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Customer',
  type: 'object',
  required: ['id', 'address'],
  properties: {
    id: { type: 'integer', description: 'Customer number' },
    name: { type: ['string', 'null'], default: 'anonymous' },
    address: { $ref: '#/definitions/Address' },
    tags: { type: 'array', items: { type: 'string' } },
    since: { type: 'string', format: 'date-time' },
  },
  definitions: {
    Address: {
      type: 'object',
      required: ['city'],
      properties: { city: { type: 'string' }, zip: { type: 'string' } },
    },
  },
};

const SHIPMENT_PROTO = `syntax = "proto3";
package logistics;

message Shipment {
  // Tracking number
  string id = 1;
  optional int32 weight_grams = 2;
  Address to = 3;
  repeated Parcel parcels = 4;
  message Parcel {
    string label = 1;
  }
}

message Address {
  string city = 1;
}
`;

const CLICK = {
  type: 'record',
  name: 'Click',
  namespace: 'com.acme.web',
  fields: [
    { name: 'url', type: 'string' },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'referrer', type: ['null', 'string'], default: null },
  ],
};

function framed(schemaId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}

const options = (over: Partial<CollectOptions> = {}): CollectOptions => ({
  mode: 'full',
  scope: {},
  batchSize: 10,
  signal: new AbortController().signal,
  ...over,
});

async function collectAll(c: Connector, o: CollectOptions) {
  const batches: CatalogBatch[] = [];
  for await (const b of c.collect(o)) batches.push(b);
  return new Map<string, CatalogAsset>(batches.flatMap((b) => b.assets).map((a) => [a.name, a]));
}

const fieldRows = (asset: CatalogAsset | undefined) =>
  (asset?.fields ?? []).map((f) => [f.name, f.dataType, f.nullable, f.default ?? null, f.comment ?? null]);

describeWithServers(['kcat'], 'kafka topic schemas: Schema Registry and message samples', () => {
  let mock: MockCluster;
  let producer: Producer;
  const registry = new SchemaRegistryContract({ basic: { username: 'catalog', password: 'registry-secret' } });
  let connectors: Connector[] = [];
  const connector = (extra: Record<string, unknown> = {}) => {
    const c = kafkaConnector.create(
      {
        brokers: mock.brokers,
        timeout: 10,
        schema_registry_url: registry.url,
        schema_registry_username: 'catalog',
        schema_registry_password: 'registry-secret',
        sample_messages: 5,
        ...extra,
      },
      { guardAddress: guard },
    );
    connectors.push(c);
    return c;
  };
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    await registry.start();
    mock = await startMockCluster(1);
    producer = new Kafka({ brokers: mock.brokers, clientId: 'schemas-it', logLevel: logLevel.NOTHING }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: true,
    });
    await producer.connect();

    // Topic-name strategy, Avro, two versions and a subject-level compatibility.
    registry.register('sch-orders-value', JSON.stringify(ORDER_V1));
    ids.orders = registry.register('sch-orders-value', JSON.stringify(ORDER_V2));
    registry.register('sch-orders-key', JSON.stringify('string'));
    registry.setCompatibility('FULL', 'sch-orders-value');
    // JSON Schema and Protobuf values.
    registry.register('sch-customers-value', JSON.stringify(CUSTOMER_JSON_SCHEMA), 'JSON');
    registry.register('sch-shipments-value', SHIPMENT_PROTO, 'PROTOBUF');
    // Record-name strategy: the subject is the record's full name, found through the messages.
    ids.click = registry.register('com.acme.web.Click', JSON.stringify(CLICK));

    const orderType = Type.forSchema(ORDER_V2 as never);
    await producer.send({
      topic: 'sch-orders',
      messages: [
        {
          key: 'o-1',
          value: framed(
            ids.orders,
            orderType.toBuffer({
              id: 'o-1',
              amount: Buffer.from([0x01, 0xf4]),
              customer: { name: 'Ada', email: null },
              lines: [{ sku: 'A', qty: 2 }],
              channel: 'WEB',
            }),
          ),
        },
      ],
    });
    await producer.send({
      topic: 'sch-customers',
      messages: [{ value: JSON.stringify({ id: 1, address: { city: 'X' } }) }],
    });
    await producer.send({ topic: 'sch-shipments', messages: [{ value: Buffer.from([0, 0, 0, 0, 1, 0]) }] });
    const clickType = Type.forSchema(CLICK as never);
    for (let i = 0; i < 3; i++) {
      await producer.send({
        topic: 'sch-clicks',
        messages: [
          {
            value: framed(ids.click, clickType.toBuffer({ url: `/p/${i}`, at: 1_700_000_000_000 + i, referrer: null })),
            partition: i % 2,
          },
        ],
      });
    }
    // No subject: JSON inferred from the latest messages.
    await producer.send({
      topic: 'sch-events',
      messages: [
        { value: JSON.stringify({ type: 'view', user: { id: 7, vip: true }, score: 1 }), partition: 0 },
        { value: JSON.stringify({ type: 'buy', user: { id: 8 }, score: 2.5, coupon: null }), partition: 1 },
      ],
    });
    await producer.send({ topic: 'sch-blobs', messages: [{ value: Buffer.from([0xff, 0x00, 0x13, 0x37, 0x80]) }] });
  }, 60000);

  afterEach(async () => {
    await Promise.all(connectors.map((c) => c.close()));
    connectors = [];
  });

  afterAll(async () => {
    await producer?.disconnect();
    await mock?.stop();
    await registry.stop();
  });

  it('reads Avro key and value schemas by the topic-name strategy with versions and compatibility', async () => {
    const assets = await collectAll(connector(), options({ scope: { includeTables: ['sch-orders'] } }));
    const orders = assets.get('sch-orders')!;
    expect(fieldRows(orders)).toEqual([
      ['[key]', 'string', false, null, null],
      ['id', 'string', false, null, 'Order id'],
      ['amount', 'bytes(decimal)', false, null, null],
      ['customer', 'record<com.acme.Customer>', false, null, null],
      ['customer.name', 'string', false, null, null],
      ['customer.email', 'string', true, 'null', 'Contact address'],
      ['lines', 'array<record<com.acme.Line>>', false, null, null],
      ['lines[].sku', 'string', false, null, null],
      ['lines[].qty', 'int', false, '1', null],
      ['channel', 'enum<com.acme.Channel>', false, '"WEB"', null],
    ]);
    expect(orders.fields.find((f) => f.name === 'lines[].qty')).toMatchObject({ path: 'lines[].qty' });
    expect(orders.properties!.value_schema).toEqual({
      source: 'registry',
      subject: 'sch-orders-value',
      strategy: 'topic_name',
      schema_id: ids.orders,
      schema_type: 'AVRO',
      latest_version: 2,
      version_count: 2,
      compatibility: 'FULL',
    });
    expect(orders.properties!.key_schema).toMatchObject({ subject: 'sch-orders-key', compatibility: 'BACKWARD' });
    // Both parts came from the registry: no message was read for them.
    expect(orders.properties!.sample).toBeUndefined();
    // Every registry call carried the configured basic auth.
    expect(registry.requests.length).toBeGreaterThan(0);
    expect(new Set(registry.requests.map((r) => r.authorization))).toEqual(
      new Set([`Basic ${Buffer.from('catalog:registry-secret').toString('base64')}`]),
    );
  });

  it('reads JSON Schema and Protobuf values with nested paths, docs, defaults and nullability', async () => {
    const assets = await collectAll(
      connector(),
      options({ scope: { includeTables: ['sch-customers', 'sch-shipments'] } }),
    );
    expect(fieldRows(assets.get('sch-customers'))).toEqual([
      ['id', 'integer', false, null, 'Customer number'],
      ['name', 'string', true, '"anonymous"', null],
      ['address', 'object', false, null, null],
      ['address.city', 'string', false, null, null],
      ['address.zip', 'string', true, null, null],
      ['tags', 'array<string>', true, null, null],
      ['since', 'string(date-time)', true, null, null],
    ]);
    expect(assets.get('sch-customers')!.properties!.value_schema).toMatchObject({
      schema_type: 'JSON',
      version_count: 1,
    });
    expect(fieldRows(assets.get('sch-shipments'))).toEqual([
      ['id', 'string', false, null, 'Tracking number'],
      ['weight_grams', 'int32', true, null, null],
      ['to', 'message<logistics.Address>', true, null, null],
      ['to.city', 'string', false, null, null],
      ['parcels', 'array<message<logistics.Shipment.Parcel>>', false, null, null],
      ['parcels[].label', 'string', false, null, null],
    ]);
    expect(assets.get('sch-shipments')!.properties!.value_schema).toMatchObject({ schema_type: 'PROTOBUF' });
  });

  it('resolves Confluent-framed messages to their record-name subject', async () => {
    const assets = await collectAll(connector(), options({ scope: { includeTables: ['sch-clicks'] } }));
    const clicks = assets.get('sch-clicks')!;
    expect(fieldRows(clicks)).toEqual([
      ['url', 'string', false, null, null],
      ['at', 'long(timestamp-millis)', false, null, null],
      ['referrer', 'string', true, 'null', null],
    ]);
    expect(clicks.properties!.value_schema).toEqual({
      source: 'registry',
      strategy: 'record_name',
      subject: 'com.acme.web.Click',
      schema_id: ids.click,
      schema_type: 'AVRO',
      latest_version: 1,
      version_count: 1,
      compatibility: 'BACKWARD',
    });
    expect(clicks.properties!.sample).toMatchObject({ messages: 3, truncated: false, value_formats: { confluent: 3 } });
  });

  it('infers JSON fields from a bounded sample and reports other payloads by format', async () => {
    const assets = await collectAll(connector(), options({ scope: { includeTables: ['sch-events', 'sch-blobs'] } }));
    const events = assets.get('sch-events')!;
    expect(fieldRows(events)).toEqual([
      ['type', 'string', false, null, null],
      ['user', 'object', false, null, null],
      ['user.id', 'integer', false, null, null],
      ['user.vip', 'boolean', true, null, null],
      ['score', 'number', false, null, null],
      ['coupon', 'null', true, null, null],
    ]);
    expect(events.properties!.value_schema).toEqual({ source: 'sample' });
    expect(events.properties!.sample).toMatchObject({
      messages: 2,
      value_formats: { json: 2 },
      key_formats: { null: 2 },
    });
    const blobs = assets.get('sch-blobs')!;
    expect(blobs.fields).toEqual([]);
    expect(blobs.properties!.sample).toMatchObject({ messages: 1, value_formats: { binary: 1 } });

    // Sampling bounded to one message per partition.
    const one = await collectAll(
      connector({ sample_messages: 1 }),
      options({ scope: { includeTables: ['sch-clicks'] } }),
    );
    expect(one.get('sch-clicks')!.properties!.sample).toMatchObject({ messages: 2 });
  });

  it('without a registry, says framed messages cannot be resolved', async () => {
    const assets = await collectAll(
      connector({ schema_registry_url: undefined }),
      options({ scope: { includeTables: ['sch-clicks'] } }),
    );
    expect(assets.get('sch-clicks')!.properties!.value_schema).toEqual({
      source: 'none',
      error: 'Confluent-framed messages, but no schema_registry_url to resolve them',
    });
  });

  it('refreshes offsets on every incremental run and changes the signal only with the schema', async () => {
    const scope = { includeTables: ['sch-orders', 'sch-events'] };
    const full = await collectAll(connector(), options({ scope }));
    const previousSignals = new Map([...full.values()].map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));

    await producer.send({
      topic: 'sch-events',
      messages: [{ value: JSON.stringify({ type: 'view', user: { id: 9 }, score: 3 }) }],
    });
    registry.register('sch-orders-value', JSON.stringify({ ...ORDER_V2, doc: 'v3' }));

    const next = await collectAll(connector(), options({ mode: 'incremental', scope, previousSignals }));
    const events = next.get('sch-events')!;
    expect(events.changeSignal).toBe(full.get('sch-events')!.changeSignal);
    expect(events.statistics!.rows).toBe(full.get('sch-events')!.statistics!.rows! + 1);
    expect(events.properties!.messages).toBe(3);
    const orders = next.get('sch-orders')!;
    expect(orders.changeSignal).not.toBe(full.get('sch-orders')!.changeSignal);
    expect(orders.properties!.value_schema).toMatchObject({ latest_version: 3, version_count: 3 });
    // The same run as a full run gives the same assets.
    const again = await collectAll(connector(), options({ scope }));
    // Field order of sampled topics follows the sample; the shape compares fields by path.
    const shapes = (m: Map<string, CatalogAsset>) =>
      [...m.values()]
        .map((a) => [a.name, a.changeSignal, fieldRows(a).sort()])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(shapes(again)).toEqual(shapes(next));
  });

  it('refuses a registry address the outbound-address policy denies, and says so', async () => {
    const denied = new SchemaRegistryContract();
    const url = await denied.start('127.0.0.3');
    try {
      const c = kafkaConnector.create(
        { brokers: mock.brokers, timeout: 10, schema_registry_url: url },
        { guardAddress: createAddressGuard({ deny: ['127.0.0.3/32'], allow: [] }) },
      );
      connectors.push(c);
      const batches: CatalogBatch[] = [];
      for await (const b of c.collect(options({ scope: { includeTables: ['sch-events'] } }))) batches.push(b);
      const cluster = batches.flatMap((b) => b.namespaces ?? [])[0];
      expect(cluster.properties!.schema_registry).toEqual({
        error: expect.stringContaining('refused by the outbound-address policy'),
      });
      expect(denied.requests).toEqual([]);
      // The brokers are allowed: the topic is still collected, its schema from the sample.
      expect(batches.flatMap((b) => b.assets).map((a) => a.name)).toEqual(['sch-events']);
    } finally {
      await denied.stop();
    }
  });
});
