import Redis, { Cluster } from 'ioredis';
import { randomUUID, randomBytes } from 'node:crypto';
import { createAddressGuard } from '@app/connectors/core/address-policy';
import { CatalogAsset, CatalogBatch, CatalogNamespace, CollectOptions, Connector } from '@app/connectors/core/types';
import { redisConnector } from '@app/connectors/redis';
import { SERVER_ENDPOINTS, describeWithServers } from '../../../test/support/servers';
import { RedisCluster, startRedisCluster } from './support/redis-cluster';
import { startSilentServer } from './support/silent-server';

const { host, port } = SERVER_ENDPOINTS.redis;
const DB = 13;
const prefix = `itr${randomBytes(4).toString('hex')}`;
const guard = createAddressGuard({ deny: [], allow: [] });

function connector(extra: Record<string, unknown> = {}): Connector {
  return redisConnector.create(
    { host, port, db: DB, sample_size: 5000, timeout: 10, ...extra },
    { guardAddress: guard },
  );
}

function options(over: Partial<CollectOptions> = {}): CollectOptions {
  return {
    mode: 'full',
    scope: { includeTables: [`${prefix}:*`] },
    batchSize: 3,
    signal: new AbortController().signal,
    ...over,
  };
}

async function collectAll(
  c: Connector,
  o: CollectOptions,
): Promise<{ batches: CatalogBatch[]; namespaces: CatalogNamespace[]; assets: Map<string, CatalogAsset> }> {
  const batches: CatalogBatch[] = [];
  for await (const batch of c.collect(o)) batches.push(batch);
  return {
    batches,
    namespaces: batches.flatMap((b) => b.namespaces ?? []),
    assets: new Map(batches.flatMap((b) => b.assets).map((a) => [a.name, a])),
  };
}

describeWithServers(['redis'], "redis connector against the machine's Redis", () => {
  let admin: Redis;
  const names = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];

  beforeAll(async () => {
    admin = new Redis({ host, port, db: DB });
    const p = admin.pipeline();
    for (let i = 1; i <= 30; i++) {
      const key = `${prefix}:user:${1000 + i}:profile`;
      p.hset(key, i % 3 === 0 ? { name: `n${i}`, email: `e${i}`, age: String(i) } : { name: `n${i}`, email: `e${i}` });
      if (i % 2 === 0) p.expire(key, 3600);
    }
    // A pattern of fewer hashes than are read per pattern: every one is read, so the fields are known exactly.
    for (let i = 1; i <= 4; i++)
      p.hset(`${prefix}:acct:${i}`, i % 2 === 0 ? { owner: `o${i}`, plan: 'pro' } : { owner: `o${i}` });
    for (let i = 0; i < 10; i++) p.set(`${prefix}:session:${randomUUID()}`, 'x'.repeat(100), 'EX', 600);
    for (const n of names) p.rpush(`${prefix}:cart:${n}`, 'sku-1', 'sku-2', 'sku-3');
    for (let i = 0; i < 5; i++) p.sadd(`${prefix}:tags:${randomBytes(16).toString('hex')}`, 'a', 'b');
    p.zadd(`${prefix}:leaderboard:2024-03-05`, 10, 'alice', 20, 'bob');
    p.xadd(`${prefix}:events`, '*', 'kind', 'login');
    p.set(`${prefix}:config`, '{"feature":true}');
    await p.exec();
    await admin.call('ACL', 'SETUSER', `${prefix}_reader`, 'on', '>right-password', '~*', '+@all');
  });

  afterAll(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await admin.call('ACL', 'DELUSER', `${prefix}_reader`);
    await admin.quit();
  });

  it('infers key patterns with type mix, TTL spread, memory and hash fields', async () => {
    const c = connector();
    try {
      const { namespaces, assets, batches } = await collectAll(c, options());
      expect([...assets.keys()].sort()).toEqual(
        [
          `${prefix}:acct:{id}`,
          `${prefix}:cart:{*}`,
          `${prefix}:config`,
          `${prefix}:events`,
          `${prefix}:leaderboard:{date}`,
          `${prefix}:session:{uuid}`,
          `${prefix}:tags:{hash}`,
          `${prefix}:user:{id}:profile`,
        ].sort(),
      );
      expect(batches.every((b) => b.assets.length <= 3)).toBe(true);

      const ns = namespaces.find((n) => n.name === `db${DB}`)!;
      expect(ns.kind).toBe('database');
      const server = ns.properties!.server as { version: string; mode: string; role: string };
      expect(server.version).toMatch(/^\d+\.\d+/);
      expect(server.mode).toBe('standalone');
      expect(server.role).toBe('master');
      expect(ns.properties!.keys).toBeGreaterThanOrEqual(58);
      expect(ns.properties!.expiring_keys).toBeGreaterThanOrEqual(25);
      expect(ns.properties!.sample_complete).toBe(true);

      const users = assets.get(`${prefix}:user:{id}:profile`)!;
      expect(users.kind).toBe('key_pattern');
      expect(users.namespace).toBe(`db${DB}`);
      const props = users.properties as {
        types: Record<string, number>;
        ttl: { persistent: number; expiring: number; seconds: { min: number; max: number } };
        memory: { sampled_bytes: number; per_key: { avg: number } };
        length: { min: number; max: number };
        sampled_keys: number;
        estimated_keys: number;
        exact: boolean;
      };
      expect(props.types).toEqual({ hash: 30 });
      expect(props.ttl.persistent).toBe(15);
      expect(props.ttl.expiring).toBe(15);
      expect(props.ttl.seconds.max).toBeLessThanOrEqual(3600);
      expect(props.ttl.seconds.min).toBeGreaterThan(3500);
      expect(props.memory.sampled_bytes).toBeGreaterThan(0);
      expect(props.length).toMatchObject({ min: 2, max: 3 });
      expect(props.estimated_keys).toBe(30);
      expect(props.exact).toBe(true);
      expect(users.statistics?.rows).toBe(30);
      expect(users.statistics?.bytes).toBeGreaterThan(0);
      // Field names of the few hashes read per pattern: name and email in every user, age in a third
      // (which of the 30 are read follows SCAN order, so age may or may not be among them).
      const fields = Object.fromEntries(users.fields.map((f) => [f.name, f]));
      expect(Object.keys(fields)).toEqual(expect.arrayContaining(['email', 'name']));
      expect(Object.keys(fields).filter((n) => !['age', 'email', 'name'].includes(n))).toEqual([]);
      expect(fields.name.nullable).toBe(false);
      // Every hash of a small pattern is read: a field only some hold is nullable.
      const accounts = assets.get(`${prefix}:acct:{id}`)!;
      expect(accounts.fields.map((f) => [f.name, f.nullable]).sort()).toEqual([
        ['owner', false],
        ['plan', true],
      ]);

      expect((assets.get(`${prefix}:cart:{*}`)!.properties as { types: object }).types).toEqual({ list: 10 });
      expect((assets.get(`${prefix}:session:{uuid}`)!.properties as { ttl: { expiring: number } }).ttl.expiring).toBe(
        10,
      );
      expect((assets.get(`${prefix}:session:{uuid}`)!.properties as { length: { min: number } }).length.min).toBe(100);
      expect((assets.get(`${prefix}:tags:{hash}`)!.properties as { types: object }).types).toEqual({ set: 5 });
      expect((assets.get(`${prefix}:leaderboard:{date}`)!.properties as { types: object }).types).toEqual({ zset: 1 });
      expect((assets.get(`${prefix}:events`)!.properties as { types: object }).types).toEqual({ stream: 1 });
    } finally {
      await c.close();
    }
  });

  it('applies scope globs and skips memory and lengths in schema-only runs', async () => {
    const c = connector();
    try {
      const excluded = await collectAll(
        c,
        options({ scope: { includeTables: [`${prefix}:*`], excludeTables: [`${prefix}:user:*`, `${prefix}:cart:*`] } }),
      );
      expect(excluded.assets.size).toBe(6);
      expect(excluded.assets.has(`${prefix}:user:{id}:profile`)).toBe(false);

      const otherDb = await collectAll(
        c,
        options({ scope: { includeSchemas: ['db1'], includeTables: [`${prefix}:*`] } }),
      );
      expect(otherDb.assets.size).toBe(0);

      const schemaOnly = await collectAll(c, options({ mode: 'schema_only' }));
      const users = schemaOnly.assets.get(`${prefix}:user:{id}:profile`)!;
      expect(users.properties!.memory).toBeNull();
      expect(users.properties!.length).toBeNull();
      expect(users.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['email', 'name']));
    } finally {
      await c.close();
    }
  });

  it('samples no more keys than sample_size', async () => {
    const c = connector({ sample_size: 10 });
    try {
      const { namespaces, assets } = await collectAll(c, options({ scope: {} }));
      const ns = namespaces.find((n) => n.name === `db${DB}`)!;
      expect(ns.properties!.sampled_keys).toBeLessThanOrEqual(10);
      expect(ns.properties!.sample_complete).toBe(false);
      const sampled = [...assets.values()].reduce((n, a) => n + (a.properties!.sampled_keys as number), 0);
      expect(sampled).toBeLessThanOrEqual(10);
      // Estimates scale the sample up to the database's key count.
      const estimated = [...assets.values()].reduce((n, a) => n + (a.statistics!.rows as number), 0);
      expect(estimated).toBeGreaterThan(10);
    } finally {
      await c.close();
    }
  });

  it('profiles one key pattern', async () => {
    const c = connector();
    try {
      const profile = await c.profile(
        { namespace: `db${DB}`, name: `${prefix}:user:{id}:profile`, fields: [] },
        { sampleRows: 1000, topValues: true, topN: 5, signal: new AbortController().signal },
      );
      expect(profile.row_count).toBe(30);
      expect(profile.sampled).toBe(false);
      const cols = Object.fromEntries(profile.columns.map((col) => [col.name, col]));
      expect(cols.type.top_values).toEqual([{ value: 'hash', count: 30 }]);
      expect(cols.ttl_seconds.null_count).toBe(15);
      expect(cols.length.min).toBe(2);
      expect(cols.length.max).toBe(3);
      expect(cols.memory_bytes.mean).toBeGreaterThan(0);
    } finally {
      await c.close();
    }
  });

  it('tests the connection step by step', async () => {
    const result = await connector().test(new AbortController().signal);
    expect(result.success).toBe(true);
    expect(result.version).toMatch(/^\d+\.\d+/);
    expect(result.server_info).toMatch(/^Redis /);
    expect(result.steps.map((s) => s.name)).toEqual(['resolve', 'tcp', 'authenticate', 'catalog']);

    const acl = await connector({ username: `${prefix}_reader`, password: 'right-password' }).test(
      new AbortController().signal,
    );
    expect(acl.success).toBe(true);
  });

  it('reports a wrong password as AUTH_FAILED at the authenticate step', async () => {
    const result = await connector({ username: `${prefix}_reader`, password: 'wrong' }).test(
      new AbortController().signal,
    );
    expect(result.success).toBe(false);
    expect(result.error_code).toBe('AUTH_FAILED');
    expect(result.message).toMatch(/WRONGPASS/);
    expect(result.details).toMatch(/username and password/);
    expect(result.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });
  });

  it('reports a closed port at the tcp step', async () => {
    const result = await connector({ port: 1 }).test(new AbortController().signal);
    expect(result.success).toBe(false);
    expect(result.error_code).toBe('UNREACHABLE');
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
      ['resolve', true],
      ['tcp', false],
    ]);
  });

  it('gives up on a server that never answers after the configured timeout', async () => {
    const silent = await startSilentServer();
    const c = redisConnector.create({ host: '127.0.0.1', port: silent.port, timeout: 1 }, { guardAddress: guard });
    try {
      const started = Date.now();
      const result = await c.test(new AbortController().signal);
      expect(result).toMatchObject({ success: false, error_code: 'TIMEOUT' });
      expect(result.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });
      await expect(collectAll(c, options())).rejects.toMatchObject({ code: 'TIMEOUT' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await c.close();
      await silent.close();
    }
  });

  it('stops when the run is cancelled', async () => {
    const c = connector();
    const controller = new AbortController();
    controller.abort();
    try {
      await expect(collectAll(c, options({ signal: controller.signal }))).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      await c.close();
    }
  });
});

describeWithServers(['redis-server'], 'redis connector against a three-master Redis Cluster', () => {
  let cluster: RedisCluster;
  let client: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    client = new Redis.Cluster([{ host: '127.0.0.1', port: cluster.ports[0] }]);
    for (let i = 0; i < 60; i++) await client.set(`order:${5000 + i}:status`, 'paid');
    for (let i = 0; i < 30; i++) {
      const key = `cart:${randomUUID()}`;
      await client.hset(key, { sku: 'a', qty: '1' });
      await client.expire(key, 900);
    }
  }, 60000);

  afterAll(async () => {
    await client?.quit();
    await cluster?.stop();
  });

  const clusterConnector = (extra: Record<string, unknown> = {}) =>
    redisConnector.create(
      { host: '127.0.0.1', port: cluster.ports[0], sample_size: 1000, timeout: 10, ...extra },
      { guardAddress: guard },
    );

  it('samples every master and reports keys per node', async () => {
    const c = clusterConnector();
    try {
      const { namespaces, assets } = await collectAll(c, options({ scope: {} }));
      expect(namespaces.map((n) => n.name)).toEqual(['db0']);
      const ns = namespaces[0].properties!;
      expect((ns.server as { mode: string }).mode).toBe('cluster');
      const nodes = ns.nodes as Array<{ address: string; keys: number }>;
      expect(nodes.map((n) => n.address).sort()).toEqual(cluster.ports.map((p) => `127.0.0.1:${p}`).sort());
      expect(nodes.reduce((n, x) => n + x.keys, 0)).toBe(90);
      expect(ns.keys).toBe(90);

      const orders = assets.get('order:{id}:status')!;
      expect(orders.properties).toMatchObject({ types: { string: 60 }, estimated_keys: 60, exact: true });
      const perNode = orders.properties!.nodes as Record<string, number>;
      expect(Object.values(perNode).reduce((a, b) => a + b, 0)).toBe(60);
      expect(Object.keys(perNode).length).toBeGreaterThan(1);
      expect(assets.get('cart:{uuid}')!.properties).toMatchObject({
        types: { hash: 30 },
        ttl: { expiring: 30, persistent: 0 },
      });
    } finally {
      await c.close();
    }
  });

  it("bounds the sample per node and scales estimates by each node's key count", async () => {
    const c = clusterConnector({ sample_size: 10 });
    try {
      const { namespaces, assets } = await collectAll(c, options({ scope: {} }));
      expect(namespaces[0].properties!.sampled_keys).toBeLessThanOrEqual(30);
      expect(namespaces[0].properties!.sample_complete).toBe(false);
      const estimated = [...assets.values()].reduce((n, a) => n + (a.statistics!.rows as number), 0);
      // Each node's sample stands for that node's keys, so the estimates add up to the cluster's 90.
      expect(estimated).toBeGreaterThanOrEqual(85);
      expect(estimated).toBeLessThanOrEqual(95);
    } finally {
      await c.close();
    }
  });
});
