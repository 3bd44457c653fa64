/**
 * Redis stream consumer groups, optional modules and incremental runs against the machine's Redis 7
 * (which has neither RediSearch nor RedisJSON). Keys live in their own database under a random prefix.
 */
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { createAddressGuard } from '@app/connectors/core/address-policy';
import { assetKey } from '@app/connectors/core/scope';
import { CatalogAsset, CatalogBatch, CollectOptions, Connector } from '@app/connectors/core/types';
import { redisConnector } from '@app/connectors/redis';
import { SERVER_ENDPOINTS, describeWithServers } from '../../../test/support/servers';
import { collectAll } from './support/collect-all';

const { host, port } = SERVER_ENDPOINTS.redis;
const DB = 11;
const prefix = `itrs${randomBytes(4).toString('hex')}`;
const guard = createAddressGuard({ deny: [], allow: [] });

const connector = (): Connector =>
  redisConnector.create({ host, port, db: DB, sample_size: 5000, timeout: 10 }, { guardAddress: guard });

function options(over: Partial<CollectOptions> = {}): CollectOptions {
  return {
    mode: 'full',
    scope: { includeTables: [`${prefix}:*`] },
    batchSize: 50,
    signal: new AbortController().signal,
    ...over,
  };
}

const byName = (batches: CatalogBatch[]): Map<string, CatalogAsset> =>
  new Map(batches.flatMap((b) => b.assets).map((a) => [a.name, a]));

interface Groups {
  keys_read: number;
  pending: number;
  lag: number | null;
  groups: Array<{
    key: string;
    name: string;
    consumers: number;
    pending: number;
    last_delivered_id: string;
    entries_read: number | null;
    lag: number | null;
  }>;
}

describeWithServers(['redis'], "redis streams, modules and incremental runs against the machine's Redis", () => {
  let admin: Redis;
  const orders = `${prefix}:orders`;
  const ids: string[] = [];

  beforeAll(async () => {
    admin = new Redis({ host, port, db: DB });
    for (let i = 0; i < 5; i++) ids.push((await admin.xadd(orders, '*', 'order', String(i)))!);
    // billing reads 3 entries (2 acknowledged), audit is created at the start and reads nothing.
    await admin.xgroup('CREATE', orders, 'billing', '0');
    await admin.xgroup('CREATE', orders, 'audit', '0');
    await admin.xreadgroup('GROUP', 'billing', 'worker-1', 'COUNT', 2, 'STREAMS', orders, '>');
    await admin.xreadgroup('GROUP', 'billing', 'worker-2', 'COUNT', 1, 'STREAMS', orders, '>');
    await admin.xack(orders, 'billing', ids[0], ids[1]);
    // Streams of one pattern without groups, and a hash next to them.
    for (const day of ['2024-03-01', '2024-03-02']) await admin.xadd(`${prefix}:clicks:${day}`, '*', 'url', '/');
    await admin.hset(`${prefix}:user:1`, { name: 'a' });
  });

  afterAll(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await admin.quit();
  });

  it('puts consumer groups with consumers, pending, last delivered id and lag on the stream pattern', async () => {
    const c = connector();
    try {
      const assets = byName(await collectAll(c, options()));
      const groups = assets.get(orders)!.properties!.consumer_groups as Groups;
      expect(groups.keys_read).toBe(1);
      expect(groups.groups.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { key: orders, name: 'audit', consumers: 0, pending: 0, last_delivered_id: '0-0', entries_read: null, lag: 5 },
        {
          key: orders,
          name: 'billing',
          consumers: 2,
          pending: 1,
          last_delivered_id: ids[2],
          entries_read: 3,
          lag: 2,
        },
      ]);
      expect(groups.pending).toBe(1);
      expect(groups.lag).toBe(7);

      const clicks = assets.get(`${prefix}:clicks:{date}`)!.properties!.consumer_groups as Groups;
      expect(clicks).toEqual({ keys_read: 2, groups: [], pending: 0, lag: null });
      expect(assets.get(`${prefix}:user:{id}`)!.properties).not.toHaveProperty('consumer_groups');
    } finally {
      await c.close();
    }
  });

  it('records that RediSearch and RedisJSON do not answer, and collects the keys anyway', async () => {
    const c = connector();
    try {
      const batches = await collectAll(c, options());
      const ns = batches.flatMap((b) => b.namespaces ?? []).find((n) => n.name === `db${DB}`)!;
      expect(ns.properties!.modules).toEqual({
        search: { available: false, reason: 'the server has no FT._LIST command' },
        json: { available: false, reason: 'the server has no JSON.GET command' },
      });
      const kinds = batches.flatMap((b) => b.assets).map((a) => a.kind);
      expect(kinds.length).toBe(3);
      expect(kinds.every((k) => k === 'key_pattern')).toBe(true);
    } finally {
      await c.close();
    }
  });

  it('an incremental run returns what a full run does, with statistics refreshed', async () => {
    const c = connector();
    try {
      const full = byName(await collectAll(c, options()));
      const previous = new Map([...full.values()].map((a) => [assetKey(a.namespace, a.name), a.changeSignal ?? '']));
      await admin.xreadgroup('GROUP', 'billing', 'worker-1', 'COUNT', 1, 'STREAMS', orders, '>');
      await admin.hset(`${prefix}:user:2`, { name: 'b', email: 'e' });

      const incremental = await collectAll(c, options({ mode: 'incremental', previousSignals: previous }));
      const after = byName(await collectAll(c, options()));
      const inc = byName(incremental);
      // Key patterns carry no change token, so nothing is skipped: the incremental run reads what a full run reads.
      expect(incremental.flatMap((b) => b.unchanged ?? [])).toEqual([]);
      expect([...inc.keys()].sort()).toEqual([...after.keys()].sort());
      for (const [name, asset] of after) {
        expect(inc.get(name)!.fields).toEqual(asset.fields);
        expect(inc.get(name)!.properties!.types).toEqual(asset.properties!.types);
        expect(inc.get(name)!.statistics).toEqual(asset.statistics);
      }
      const billing = (inc.get(orders)!.properties!.consumer_groups as Groups).groups.find(
        (g) => g.name === 'billing',
      )!;
      expect(billing).toMatchObject({ pending: 2, entries_read: 4, lag: 1, last_delivered_id: ids[3] });
      expect(inc.get(`${prefix}:user:{id}`)!.statistics!.rows).toBe(2);
      expect(full.get(`${prefix}:user:{id}`)!.statistics!.rows).toBe(1);
    } finally {
      await c.close();
    }
  });
});
