/**
 * Driver-boundary tests for what the librdkafka mock cluster cannot answer: topic configs
 * (DescribeConfigs), consumer groups (ListGroups, DescribeGroups, OffsetFetch) and SASL. The
 * kafkajs admin is replaced by one returning the shapes kafkajs documents for these calls
 * (kafka.js.org/docs/admin), and failures are kafkajs' own error classes.
 */
import { createServer, Server } from 'node:net';
import {
  ConfigResourceTypes,
  ConfigSource,
  DescribeConfigResponse,
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSSASLAuthenticationError,
} from 'kafkajs';
import { ConnectorErrorCode } from '../core/errors';
import { CatalogBatch, CollectOptions } from '../core/types';
import { kafkaSettings } from './config';
import { classifyKafkaError } from './errors';
import { KafkaAdmin } from './admin';
import { KafkaConnector } from './kafka.connector';

const guard = async (host: string) => [host];
// kafkajs' typings declare no constructor arguments, but the class takes the message like every KafkaJSError.
const SaslError = KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;

const entry = (configName: string, configValue: string, isDefault = false) => ({
  configName,
  configValue,
  isDefault,
  configSource: isDefault ? ConfigSource.DEFAULT_CONFIG : ConfigSource.TOPIC_CONFIG,
  isSensitive: false,
  readOnly: false,
  configSynonyms: [],
});

function fakeAdmin(over: Partial<KafkaAdmin> = {}): KafkaAdmin & { calls: string[] } {
  const calls: string[] = [];
  const describeConfigs: KafkaAdmin['describeConfigs'] = async ({ resources }) => {
    calls.push(`describeConfigs:${resources.map((r) => `${r.type}/${r.name}`).join(',')}`);
    const response: DescribeConfigResponse = {
      throttleTime: 0,
      resources: resources.map((r) => ({
        errorCode: 0,
        errorMessage: '',
        resourceName: r.name,
        resourceType: ConfigResourceTypes.TOPIC,
        configEntries: [
          entry('cleanup.policy', r.name === 'orders' ? 'compact' : 'delete', r.name !== 'orders'),
          entry('retention.ms', '604800000', true),
          entry('min.insync.replicas', '2'),
          entry('max.message.bytes', '1048588', true),
          entry('segment.ms', '3600000'),
        ],
      })),
    };
    return response;
  };
  return {
    calls,
    connect: async () => undefined,
    disconnect: async () => undefined,
    describeCluster: async () => ({
      brokers: [
        { nodeId: 1, host: 'k1', port: 9092 },
        { nodeId: 2, host: 'k2', port: 9092 },
      ],
      controller: 1,
      clusterId: 'Cq3nWkz8QGy2dY5sYk4h1A',
    }),
    listTopics: async () => ['orders', 'payments', '__consumer_offsets'],
    fetchTopicMetadata: async (opts) => ({
      topics: (opts?.topics ?? []).map((name) => ({
        name,
        partitions: [
          { partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [1, 2], isr: [1, 2] },
          { partitionErrorCode: 0, partitionId: 1, leader: 2, replicas: [2, 1], isr: [2] },
        ],
      })),
    }),
    fetchTopicOffsets: async (topic) => {
      calls.push(`fetchTopicOffsets:${topic}`);
      return [
        { partition: 0, offset: '120', high: '120', low: '20' },
        { partition: 1, offset: '50', high: '50', low: '0' },
      ];
    },
    describeConfigs,
    listGroups: async () => ({
      groups: [
        { groupId: 'billing', protocolType: 'consumer' },
        { groupId: 'connect-sink', protocolType: 'connect' },
        { groupId: 'audit', protocolType: 'consumer' },
      ],
    }),
    describeGroups: async (ids) => ({
      groups: ids.map((groupId) => ({
        groupId,
        protocol: 'RoundRobinAssigner',
        protocolType: 'consumer',
        state: groupId === 'billing' ? 'Stable' : 'Empty',
        members:
          groupId === 'billing'
            ? [
                {
                  memberId: 'm1',
                  clientId: 'c',
                  clientHost: '/10.0.0.1',
                  memberMetadata: Buffer.alloc(0),
                  memberAssignment: Buffer.alloc(0),
                },
              ]
            : [],
      })),
    }),
    fetchOffsets: async ({ groupId }) => {
      calls.push(`fetchOffsets:${groupId}`);
      if (groupId === 'billing') {
        return [
          {
            topic: 'orders',
            partitions: [
              { partition: 0, offset: '100', metadata: null },
              { partition: 1, offset: '50', metadata: null },
            ],
          },
        ];
      }
      // A group that never committed on a topic answers offset -1 for its partitions.
      return [
        {
          topic: 'payments',
          partitions: [
            { partition: 0, offset: '-1', metadata: null },
            { partition: 1, offset: '-1', metadata: null },
          ],
        },
      ];
    },
    ...over,
  };
}

const options = (over: Partial<CollectOptions> = {}): CollectOptions => ({
  mode: 'full',
  scope: {},
  batchSize: 10,
  signal: new AbortController().signal,
  ...over,
});

async function collect(connector: KafkaConnector, o = options()) {
  const batches: CatalogBatch[] = [];
  for await (const b of connector.collect(o)) batches.push(b);
  return new Map(batches.flatMap((b) => b.assets).map((a) => [a.name, a]));
}

describe('kafka connector at the driver boundary', () => {
  it('records key configs, overrides and consumer-group lag', async () => {
    const admin = fakeAdmin();
    const connector = new KafkaConnector(kafkaSettings({ brokers: ['k1:9092'] }), { guardAddress: guard }, () => admin);
    const assets = await collect(connector);
    expect([...assets.keys()]).toEqual(['orders', 'payments']);
    expect(admin.calls).toContain('describeConfigs:2/orders,2/payments');
    // Only consumer-protocol groups are read (Kafka Connect's group is not a consumer group).
    expect(admin.calls.filter((c) => c.startsWith('fetchOffsets')).sort()).toEqual([
      'fetchOffsets:audit',
      'fetchOffsets:billing',
    ]);

    const orders = assets.get('orders')!.properties!;
    expect(orders.configs).toEqual({
      'cleanup.policy': 'compact',
      'retention.ms': '604800000',
      'min.insync.replicas': '2',
      'max.message.bytes': '1048588',
    });
    expect(orders.config_overrides).toEqual({
      'cleanup.policy': 'compact',
      'min.insync.replicas': '2',
      'segment.ms': '3600000',
    });
    expect(orders).toMatchObject({
      replication_factor: 2,
      under_replicated_partitions: 1,
      min_isr_observed: 1,
      messages: 150,
    });
    // billing committed 100 of 120 on partition 0 and is caught up on partition 1.
    expect(orders.consumers).toEqual([
      { group_id: 'billing', state: 'Stable', members: 1, partitions_committed: 2, lag: 20 },
    ]);
    // audit never committed on payments: no lag is invented for it.
    expect(assets.get('payments')!.properties!.consumers).toEqual([]);
    expect(assets.get('payments')!.properties!.configs).toMatchObject({ 'cleanup.policy': 'delete' });
    await connector.close();
  });

  it('changes the signal when a topic config changes', async () => {
    const first = await collect(
      new KafkaConnector(kafkaSettings({ brokers: ['k1:9092'] }), { guardAddress: guard }, () => fakeAdmin()),
    );
    const base = fakeAdmin();
    const altered = fakeAdmin({
      describeConfigs: async (q) => {
        const r = await base.describeConfigs(q);
        r.resources[0].configEntries[1] = entry('retention.ms', '86400000');
        return r;
      },
    });
    const second = await collect(
      new KafkaConnector(kafkaSettings({ brokers: ['k1:9092'] }), { guardAddress: guard }, () => altered),
    );
    expect(second.get('orders')!.changeSignal).not.toBe(first.get('orders')!.changeSignal);
    expect(second.get('payments')!.changeSignal).toBe(first.get('payments')!.changeSignal);
  });

  it('keeps the catalog when the brokers refuse configs or groups, saying why', async () => {
    const admin = fakeAdmin({
      describeConfigs: async () => {
        throw new KafkaJSProtocolError({
          message: 'Cluster authorization failed',
          type: 'CLUSTER_AUTHORIZATION_FAILED',
          code: 31,
          retriable: false,
        } as unknown as Error);
      },
      listGroups: async () => {
        throw new KafkaJSProtocolError({
          message: 'Group authorization failed',
          type: 'GROUP_AUTHORIZATION_FAILED',
          code: 30,
          retriable: false,
        } as unknown as Error);
      },
    });
    const assets = await collect(
      new KafkaConnector(kafkaSettings({ brokers: ['k1:9092'] }), { guardAddress: guard }, () => admin),
    );
    const orders = assets.get('orders')!.properties!;
    expect(orders).toMatchObject({
      configs: null,
      configs_unavailable: 'Cluster authorization failed',
      consumers: null,
      consumer_groups_unavailable: 'Group authorization failed',
      messages: 150,
    });
  });

  describe('diagnostics', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((s) => s.destroy());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('reports a SASL rejection as AUTH_FAILED at the authenticate step', async () => {
      const admin = fakeAdmin({
        connect: async () => {
          throw new SaslError('SASL PLAIN authentication failed: Authentication failed: Invalid username or password');
        },
      });
      const connector = new KafkaConnector(
        kafkaSettings({
          brokers: [`127.0.0.1:${port}`],
          sasl_mechanism: 'plain',
          sasl_username: 'app',
          sasl_password: 'wrong',
        }),
        { guardAddress: guard },
        () => admin,
      );
      const result = await connector.test(new AbortController().signal);
      expect(result).toMatchObject({ success: false, error_code: 'AUTH_FAILED' });
      expect(result.message).toMatch(/Invalid username or password/);
      expect(result.details).toMatch(/sasl_username/);
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['authenticate', false],
      ]);
    });
  });

  it('classifies kafkajs errors through their wrappers', () => {
    const refused = new KafkaJSNumberOfRetriesExceeded(
      new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 10.0.0.9:9092', {
        broker: '10.0.0.9:9092',
        code: 'ECONNREFUSED',
      }),
      { retryCount: 1, retryTime: 300 },
    );
    expect(classifyKafkaError(refused).code).toBe(ConnectorErrorCode.Unreachable);
    const denied = new KafkaJSProtocolError({
      message: 'Not authorized to access topics: [Topic authorization failed.]',
      type: 'TOPIC_AUTHORIZATION_FAILED',
      code: 29,
      retriable: false,
    } as unknown as Error);
    expect(classifyKafkaError(denied).code).toBe(ConnectorErrorCode.PermissionDenied);
    const mechanism = new SaslError('SASL SCRAM-SHA-512 mechanism is not supported by the server');
    expect(classifyKafkaError(mechanism).code).toBe(ConnectorErrorCode.AuthFailed);
  });

  it('reports an empty broker list as invalid configuration', async () => {
    const result = await new KafkaConnector(kafkaSettings({ brokers: [] }), { guardAddress: guard }).test(
      new AbortController().signal,
    );
    expect(result).toMatchObject({ success: false, error_code: 'INVALID_CONFIG' });
  });
});
