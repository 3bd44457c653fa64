import { connect, ChannelModel } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { createAddressGuard } from '@app/connectors/core/address-policy';
import { CatalogAsset, CatalogBatch, CatalogNamespace, CollectOptions, Connector } from '@app/connectors/core/types';
import { rabbitmqConnector } from '@app/connectors/rabbitmq';
import { rabbitSettings } from '@app/connectors/rabbitmq/config';
import { RabbitMqConnector } from '@app/connectors/rabbitmq/rabbitmq.connector';
import { assetKey } from '@app/connectors/core/scope';
import { SERVER_ENDPOINTS, describeWithServers } from '../../../test/support/servers';
import { startSilentServer } from './support/silent-server';

const { host, port } = SERVER_ENDPOINTS.rabbitmq;
const mgmt = SERVER_ENDPOINTS['rabbitmq-management'];
const managementUrl = `http://${mgmt.host}:${mgmt.port}`;
const vhost = `it_${randomBytes(4).toString('hex')}`;
const v = encodeURIComponent(vhost);
const guard = createAddressGuard({ deny: [], allow: [] });

async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${managementUrl}/api${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok && res.status !== 404) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

function connector(extra: Record<string, unknown> = {}): Connector {
  return rabbitmqConnector.create(
    { host, port, vhost, management_url: managementUrl, timeout: 10, ...extra },
    { guardAddress: guard },
  );
}

const options = (over: Partial<CollectOptions> = {}): CollectOptions => ({
  mode: 'full',
  scope: { includeSchemas: [vhost] },
  batchSize: 4,
  signal: new AbortController().signal,
  ...over,
});

async function collectAll(c: Connector, o: CollectOptions) {
  const batches: CatalogBatch[] = [];
  for await (const b of c.collect(o)) batches.push(b);
  const namespaces: CatalogNamespace[] = batches.flatMap((b) => b.namespaces ?? []);
  const assets = new Map<string, CatalogAsset>(batches.flatMap((b) => b.assets).map((a) => [a.name, a]));
  return { batches, namespaces, assets };
}

async function until(check: () => Promise<boolean>, ms = 30000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 500));
  }
}

describeWithServers(['rabbitmq', 'rabbitmq-management'], "rabbitmq connector against the machine's RabbitMQ", () => {
  let amqp: ChannelModel;

  beforeAll(async () => {
    await api('PUT', `/vhosts/${v}`, { description: 'connector test', tags: 'it' });
    await api('PUT', `/permissions/${v}/guest`, { configure: '.*', write: '.*', read: '.*' });
    await api('PUT', `/exchanges/${v}/orders`, { type: 'topic', durable: true, arguments: {} });
    await api('PUT', `/exchanges/${v}/orders.dlx`, { type: 'fanout', durable: true });
    await api('PUT', `/exchanges/${v}/audit`, { type: 'fanout', durable: false, auto_delete: false, internal: true });
    await api('PUT', `/queues/${v}/orders`, {
      durable: true,
      arguments: { 'x-queue-type': 'quorum', 'x-dead-letter-exchange': 'orders.dlx', 'x-delivery-limit': 5 },
    });
    await api('PUT', `/queues/${v}/orders.retry`, {
      durable: true,
      arguments: { 'x-message-ttl': 30000, 'x-max-length': 1000, 'x-dead-letter-exchange': 'orders' },
    });
    await api('PUT', `/queues/${v}/orders.dead`, { durable: true, arguments: {} });
    await api('POST', `/bindings/${v}/e/orders/q/orders`, { routing_key: 'order.*' });
    await api('POST', `/bindings/${v}/e/orders.dlx/q/orders.dead`, { routing_key: '' });
    await api('POST', `/bindings/${v}/e/orders/e/audit`, { routing_key: '#' });
    await api('PUT', `/policies/${v}/retry-limit`, {
      pattern: '^orders\\.retry$',
      definition: { 'max-length': 500 },
      'apply-to': 'queues',
      priority: 1,
    });
    await api('PUT', `/policies/${v}/orders-ae`, {
      pattern: '^orders$',
      definition: { 'alternate-exchange': 'orders.dlx' },
      'apply-to': 'exchanges',
      priority: 0,
    });

    amqp = await connect({ hostname: host, port, username: 'guest', password: 'guest', vhost });
    const channel = await amqp.createChannel();
    for (let i = 0; i < 3; i++) channel.sendToQueue('orders.dead', Buffer.from(`dead ${i}`));
    for (let i = 0; i < 2; i++) channel.sendToQueue('orders.retry', Buffer.from(`retry ${i}`));
    // A consumer that never acknowledges holds both retry messages as unacknowledged.
    await channel.consume('orders.retry', () => undefined, { noAck: false });
    await until(async () => {
      const dead = (await api('GET', `/queues/${v}/orders.dead`)) as { messages?: number };
      const retry = (await api('GET', `/queues/${v}/orders.retry`)) as {
        messages_unacknowledged?: number;
        consumers?: number;
      };
      return dead.messages === 3 && retry.messages_unacknowledged === 2 && retry.consumers === 1;
    });
  }, 60000);

  afterAll(async () => {
    await amqp?.close().catch(() => undefined);
    await api('DELETE', `/vhosts/${v}`);
  });

  it('collects the vhost with its exchanges, queues, bindings and policies', async () => {
    const { namespaces, assets, batches } = await collectAll(connector(), options());
    expect(namespaces.map((n) => n.name)).toEqual([vhost]);
    expect(batches.every((b) => b.assets.length <= 4)).toBe(true);
    const ns = namespaces[0];
    expect(ns.kind).toBe('vhost');
    expect(ns.properties).toMatchObject({ description: 'connector test', queues: 3 });
    expect((ns.properties!.server as { version: string }).version).toMatch(/^\d+\.\d+/);
    expect((ns.properties!.policies as Array<{ name: string }>).map((p) => p.name).sort()).toEqual([
      'orders-ae',
      'retry-limit',
    ]);

    // Built-in amq.* exchanges are listed and flagged; the nameless default exchange is not.
    expect(assets.get('exchange:amq.topic')?.properties).toMatchObject({ builtin: true, type: 'topic' });
    expect([...assets.keys()].some((k) => k === 'exchange:')).toBe(false);

    const orders = assets.get('exchange:orders')!;
    expect(orders.kind).toBe('exchange');
    expect(orders.properties).toMatchObject({
      type: 'topic',
      durable: true,
      internal: false,
      policy: 'orders-ae',
      alternate_exchange: 'orders.dlx',
      builtin: false,
    });
    expect(orders.properties!.bindings).toEqual(
      expect.arrayContaining([
        { destination: 'orders', destination_type: 'queue', routing_key: 'order.*', arguments: {} },
        { destination: 'audit', destination_type: 'exchange', routing_key: '#', arguments: {} },
      ]),
    );
    expect(assets.get('exchange:audit')!.properties).toMatchObject({
      internal: true,
      durable: false,
      bound_from: [{ source: 'orders', routing_key: '#', arguments: {} }],
    });

    const quorum = assets.get('queue:orders')!;
    expect(quorum.kind).toBe('queue');
    expect(quorum.properties).toMatchObject({
      type: 'quorum',
      durable: true,
      dead_letter_exchange: 'orders.dlx',
      delivery_limit: 5,
    });
    expect(quorum.properties!.bindings).toEqual(
      expect.arrayContaining([{ source: 'orders', routing_key: 'order.*', arguments: {} }]),
    );

    const retry = assets.get('queue:orders.retry')!;
    expect(retry.properties).toMatchObject({
      type: 'classic',
      message_ttl_ms: 30000,
      // The policy's max-length (500) is tighter than the argument (1000), so it is the one in force.
      max_length: 500,
      dead_letter_exchange: 'orders',
      policy: 'retry-limit',
      messages_unacknowledged: 2,
      consumers: 1,
    });
    expect(retry.properties!.arguments).toEqual({
      'x-message-ttl': 30000,
      'x-max-length': 1000,
      'x-dead-letter-exchange': 'orders',
    });
    expect(retry.statistics?.rows).toBe(2);

    const dead = assets.get('queue:orders.dead')!;
    expect(dead.properties).toMatchObject({
      messages_ready: 3,
      messages_unacknowledged: 0,
      consumers: 0,
      policy: null,
    });
    expect(dead.statistics?.rows).toBe(3);
    expect(dead.statistics?.bytes).toBeGreaterThan(0);
  });

  it('collects incrementally: the full catalog again, with what changed since and fresh counts', async () => {
    const c = connector();
    try {
      const full = await collectAll(c, options());
      const previousSignals = new Map(
        [...full.assets.values()].map((a) => [assetKey(a.namespace, a.name), a.changeSignal ?? 'none']),
      );
      await api('PUT', `/queues/${v}/orders.audit`, { durable: true, arguments: {} });
      await api('POST', `/bindings/${v}/e/audit/q/orders.audit`, { routing_key: '' });
      try {
        const next = await collectAll(c, options({ mode: 'incremental', previousSignals }));
        expect(next.batches.flatMap((b) => b.unchanged ?? [])).toEqual([]);
        const added = [...next.assets.keys()].filter((k) => !full.assets.has(k));
        expect(added).toHaveLength(1);
        expect(added[0]).toContain('orders.audit');
        expect(next.assets.get(added[0])!.kind).toBe('queue');
        // Everything else is there as a full run reads it, message counts included.
        for (const [name, asset] of full.assets) {
          expect(next.assets.get(name)?.kind).toBe(asset.kind);
          expect(next.assets.get(name)?.fields).toEqual(asset.fields);
        }
        const dead = [...next.assets.values()].find((a) => a.kind === 'queue' && a.name.endsWith('orders.dead'))!;
        expect(dead.statistics?.rows).toBe(3);
      } finally {
        await api('DELETE', `/queues/${v}/orders.audit`);
      }
    } finally {
      await c.close();
    }
  });

  it('reads the same catalog when the management API pages every two objects', async () => {
    const paged = new RabbitMqConnector(
      rabbitSettings({ host, port, vhost, management_url: managementUrl }),
      { guardAddress: guard },
      2,
    );
    const small = await collectAll(paged, options());
    const whole = await collectAll(connector(), options());
    expect([...small.assets.keys()].sort()).toEqual([...whole.assets.keys()].sort());
    expect(small.assets.size).toBe(12);
    expect(small.namespaces).toHaveLength(1);
  });

  it('applies scope globs to plain and kind-qualified names', async () => {
    const onlyQueues = await collectAll(
      connector(),
      options({ scope: { includeSchemas: [vhost], includeTables: ['queue:*'] } }),
    );
    expect([...onlyQueues.assets.keys()].sort()).toEqual(['queue:orders', 'queue:orders.dead', 'queue:orders.retry']);

    const noAmq = await collectAll(
      connector(),
      options({ scope: { includeSchemas: [vhost], excludeTables: ['amq.*', 'orders.*'] } }),
    );
    expect([...noAmq.assets.keys()].sort()).toEqual(['exchange:audit', 'exchange:orders', 'queue:orders']);

    const otherVhost = await collectAll(connector(), options({ scope: { includeSchemas: [`${vhost}_nope`] } }));
    expect(otherVhost.batches).toHaveLength(0);
  });

  it('refuses to profile, saying why', async () => {
    await expect(
      connector().profile(
        { namespace: vhost, name: 'queue:orders', fields: [] },
        { sampleRows: 10, topValues: false, topN: 5, signal: new AbortController().signal },
      ),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    expect(rabbitmqConnector.capabilities.profile).toEqual([]);
  });

  it('tests AMQP login and the management API', async () => {
    const result = await connector().test(new AbortController().signal);
    expect(result.success).toBe(true);
    expect(result.server_info).toMatch(/^RabbitMQ \d/);
    expect(result.steps.map((s) => s.name)).toEqual(['resolve', 'tcp', 'authenticate', 'catalog']);
    expect(result.steps.at(-1)!.message).toMatch(/3 queue\(s\)/);
  });

  it('reports a wrong AMQP password as AUTH_FAILED', async () => {
    const result = await connector({ password: 'wrong', management_password: 'guest' }).test(
      new AbortController().signal,
    );
    expect(result).toMatchObject({ success: false, error_code: 'AUTH_FAILED' });
    expect(result.message).toMatch(/ACCESS.REFUSED/);
    expect(result.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });
  });

  it('reports a wrong management password as AUTH_FAILED at the catalog step', async () => {
    const result = await connector({ management_password: 'wrong' }).test(new AbortController().signal);
    expect(result).toMatchObject({ success: false, error_code: 'AUTH_FAILED' });
    expect(result.details).toMatch(/management_username/);
    expect(result.steps.at(-1)).toMatchObject({ name: 'catalog', ok: false });
    await expect(collectAll(connector({ management_password: 'wrong' }), options())).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    });
  });

  it('gives up on a management API that never answers after the configured timeout', async () => {
    const silent = await startSilentServer();
    try {
      const c = connector({ management_url: `http://127.0.0.1:${silent.port}`, timeout: 1 });
      const result = await c.test(new AbortController().signal);
      expect(result).toMatchObject({ success: false, error_code: 'TIMEOUT' });
      expect(result.steps.at(-1)).toMatchObject({ name: 'catalog', ok: false });
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
