/**
 * Kafka against librdkafka's mock cluster (kcat -X test.mock.num.brokers=3). The mock speaks
 * Metadata, ListOffsets, Produce and Fetch, so cluster, topics, partitions, replicas, ISR, leaders
 * and offsets are real protocol answers. It does not answer DescribeConfigs (kafkajs sends it to
 * the controller the mock reports, which is no broker), ListGroups, or SASL; those are covered at
 * the driver boundary in src/kafka/kafka.connector.spec.ts.
 */
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { createAddressGuard } from '@app/connectors/core/address-policy';
import { assetKey } from '@app/connectors/core/scope';
import { CatalogAsset, CatalogBatch, CatalogNamespace, CollectOptions, Connector } from '@app/connectors/core/types';
import { kafkaConnector } from '@app/connectors/kafka';
import { describeWithServers } from '../../../test/support/servers';
import { MockCluster, startMockCluster } from './support/kafka-mock';
import { startSilentServer } from './support/silent-server';

const guard = createAddressGuard({ deny: [], allow: [] });

const options = (over: Partial<CollectOptions> = {}): CollectOptions => ({
  mode: 'full',
  scope: {},
  batchSize: 2,
  signal: new AbortController().signal,
  ...over,
});

async function collectAll(c: Connector, o: CollectOptions) {
  const batches: CatalogBatch[] = [];
  for await (const b of c.collect(o)) batches.push(b);
  const namespaces: CatalogNamespace[] = batches.flatMap((b) => b.namespaces ?? []);
  const assets = new Map<string, CatalogAsset>(batches.flatMap((b) => b.assets).map((a) => [a.name, a]));
  return { batches, namespaces, assets, unchanged: batches.flatMap((b) => b.unchanged ?? []) };
}

interface PartitionDetail {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

describeWithServers(['kcat'], 'kafka connector against the librdkafka mock cluster', () => {
  let mock: MockCluster;
  let connectors: Connector[] = [];
  const connector = (extra: Record<string, unknown> = {}) => {
    const c = kafkaConnector.create({ brokers: mock.brokers, timeout: 10, ...extra }, { guardAddress: guard });
    connectors.push(c);
    return c;
  };

  beforeAll(async () => {
    mock = await startMockCluster(3);
    const kafka = new Kafka({ brokers: mock.brokers, clientId: 'it-producer', logLevel: logLevel.NOTHING });
    const producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: true,
    });
    await producer.connect();
    // The mock creates topics on first use with 4 partitions, replicated to every broker.
    const counts = [5, 2, 0, 1];
    for (const [partition, n] of counts.entries()) {
      for (let i = 0; i < n; i++)
        await producer.send({ topic: 'orders', messages: [{ value: `o${partition}-${i}`, partition }] });
    }
    await producer.send({ topic: 'payments', messages: [{ value: 'p', partition: 0 }] });
    await producer.send({ topic: 'audit.log', messages: [{ value: 'a', partition: 1 }] });
    await producer.send({ topic: '__internal_state', messages: [{ value: 'i', partition: 0 }] });
    await producer.disconnect();
  }, 60000);

  afterEach(async () => {
    await Promise.all(connectors.map((c) => c.close()));
    connectors = [];
  });

  afterAll(async () => {
    await mock?.stop();
  });

  it('collects the cluster, its brokers and topics with partitions, replicas, ISR, leaders and offsets', async () => {
    const { namespaces, assets, batches } = await collectAll(connector(), options());
    expect(namespaces).toHaveLength(1);
    const ns = namespaces[0];
    expect(ns.kind).toBe('cluster');
    expect(ns.name).toMatch(/^mockCluster/);
    expect((ns.properties!.brokers as Array<{ node_id: number; port: number }>).map((b) => b.node_id)).toEqual([
      1, 2, 3,
    ]);
    expect((ns.properties!.brokers as Array<{ port: number }>).map((b) => `127.0.0.1:${b.port}`).sort()).toEqual(
      [...mock.brokers].sort(),
    );

    // Internal topics (names starting with "__") are left out by default.
    expect([...assets.keys()].sort()).toEqual(['audit.log', 'orders', 'payments']);
    expect(batches.every((b) => b.assets.length <= 2)).toBe(true);

    const orders = assets.get('orders')!;
    expect(orders.kind).toBe('topic');
    expect(orders.properties).toMatchObject({
      partitions: 4,
      replication_factor: 3,
      min_isr_observed: 3,
      under_replicated_partitions: 0,
      offline_partitions: 0,
      internal: false,
      messages: 8,
    });
    const details = orders.properties!.partition_details as PartitionDetail[];
    // Offsets are statistics, apart from the layout (so new messages do not make a new version).
    const offsets = orders.properties!.offsets as Array<{ partition: number; messages: number }>;
    expect(offsets.map((o) => [o.partition, o.messages])).toEqual([
      [0, 5],
      [1, 2],
      [2, 0],
      [3, 1],
    ]);
    for (const p of details) {
      expect([...p.replicas].sort()).toEqual([1, 2, 3]);
      expect(p.isr).toHaveLength(3);
      expect([1, 2, 3]).toContain(p.leader);
    }
    expect(orders.properties!.leaders).toEqual([...new Set(details.map((p) => p.leader))].sort());
    expect(orders.statistics).toEqual({ rows: 8, bytes: null });
    expect(orders.changeSignal).toMatch(/^[0-9a-f]{40}$/);

    // What the mock cannot answer is said, not invented.
    expect(orders.properties!.configs).toBeNull();
    expect(typeof orders.properties!.configs_unavailable).toBe('string');
    expect(orders.properties!.consumers).toBeNull();
    expect(orders.properties!.consumer_groups_unavailable).toMatch(/does not support/i);

    expect(assets.get('payments')!.statistics!.rows).toBe(1);
    expect(assets.get('audit.log')!.statistics!.rows).toBe(1);
  });

  it('includes internal topics when asked, and applies scope globs to topic and cluster names', async () => {
    const withInternal = await collectAll(connector({ include_internal_topics: true }), options());
    expect(withInternal.assets.get('__internal_state')?.properties).toMatchObject({ internal: true, messages: 1 });

    const scoped = await collectAll(
      connector(),
      options({ scope: { includeTables: ['*s'], excludeTables: ['pay*'] } }),
    );
    expect([...scoped.assets.keys()]).toEqual(['orders']);

    const otherCluster = await collectAll(connector(), options({ scope: { includeSchemas: ['prod-*'] } }));
    expect(otherCluster.batches).toHaveLength(0);
  });

  it('skips offsets in schema-only runs', async () => {
    const { assets } = await collectAll(connector(), options({ mode: 'schema_only' }));
    const orders = assets.get('orders')!;
    expect(orders.properties).toMatchObject({
      partitions: 4,
      replication_factor: 3,
      messages: null,
      offsets: null,
      consumers: null,
    });
    expect(orders.statistics!.rows).toBeNull();
  });

  it('re-reads offsets of every topic in incremental runs; the signal changes only with the shape', async () => {
    const first = await collectAll(connector(), options());
    const previous = new Map([...first.assets.values()].map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));
    const cluster = first.namespaces[0].name;
    previous.set(assetKey(cluster, 'payments'), 'an-older-signal');

    const second = await collectAll(connector(), options({ mode: 'incremental', previousSignals: previous }));
    // Message counts and lag are statistics: every topic comes back with them, none as "unchanged".
    expect([...second.assets.keys()].sort()).toEqual(['audit.log', 'orders', 'payments']);
    expect(second.unchanged).toEqual([]);
    for (const [name, asset] of second.assets) {
      expect(asset.changeSignal).toBe(first.assets.get(name)!.changeSignal);
      expect(asset.statistics).toEqual(first.assets.get(name)!.statistics);
    }
    expect(second.assets.get('orders')!.properties!.offsets).toEqual(first.assets.get('orders')!.properties!.offsets);
  });

  it('profiles a topic from its offsets', async () => {
    const profile = await connector().profile(
      { namespace: 'x', name: 'orders', fields: [] },
      { sampleRows: 100, topValues: false, topN: 5, signal: new AbortController().signal },
    );
    expect(profile.row_count).toBe(8);
    expect(profile.sampled).toBe(false);
    expect(profile.columns[0]).toMatchObject({
      name: 'messages_per_partition',
      min: 0,
      max: 5,
      mean: 2,
      distinct_count: 4,
    });
  });

  it('tests the connection step by step', async () => {
    const result = await connector().test(new AbortController().signal);
    expect(result.success).toBe(true);
    expect(result.server_info).toMatch(/^Kafka cluster mockCluster\w+: 3 broker\(s\)/);
    expect(result.steps.map((s) => s.name)).toEqual(['resolve', 'tcp', 'authenticate', 'catalog']);
  });

  it('gives up on a broker that never answers after the configured timeout', async () => {
    const silent = await startSilentServer();
    const c = kafkaConnector.create({ brokers: [`127.0.0.1:${silent.port}`], timeout: 1 }, { guardAddress: guard });
    connectors.push(c);
    try {
      const started = Date.now();
      const result = await c.test(new AbortController().signal);
      expect(result).toMatchObject({ success: false, error_code: 'TIMEOUT' });
      expect(result.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });
      await expect(collectAll(c, options())).rejects.toMatchObject({ code: 'TIMEOUT' });
      expect(Date.now() - started).toBeLessThan(8000);
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
    const result = await kafkaConnector
      .create({ brokers: ['127.0.0.1:1'], timeout: 5 }, { guardAddress: guard })
      .test(new AbortController().signal);
    expect(result).toMatchObject({ success: false, error_code: 'UNREACHABLE' });
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
      ['resolve', true],
      ['tcp', false],
    ]);
  });

  it('passes every broker connection kafkajs opens through the outbound-address policy', async () => {
    const deny = createAddressGuard({ deny: ['127.0.0.0/8'], allow: [] });
    const c = kafkaConnector.create({ brokers: mock.brokers, timeout: 5 }, { guardAddress: deny });
    connectors.push(c);
    await expect(collectAll(c, options())).rejects.toMatchObject({ code: 'ADDRESS_REFUSED' });
  });
});
