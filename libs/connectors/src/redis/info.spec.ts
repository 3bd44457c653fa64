import { parseClusterMasters } from './cluster-nodes';
import { parseInfo, parseKeyspace, summarizeServer } from './info';

describe('redis INFO and CLUSTER NODES parsing', () => {
  const info = parseInfo(
    [
      '# Server',
      'redis_version:7.2.4',
      'redis_mode:standalone',
      'uptime_in_seconds:120',
      '# Memory',
      'used_memory:1048576',
      'maxmemory:0',
      'maxmemory_policy:allkeys-lru',
      '# Persistence',
      'rdb_last_save_time:1700000000',
      'rdb_changes_since_last_save:3',
      'aof_enabled:1',
      '# Replication',
      'role:master',
      'connected_slaves:2',
      '# Keyspace',
      'db0:keys=12,expires=3,avg_ttl=1000',
      'db13:keys=5,expires=0,avg_ttl=0',
      '',
    ].join('\r\n'),
  );

  it('reads the keyspace per database', () => {
    expect(parseKeyspace(info)).toEqual([
      { db: 0, keys: 12, expires: 3, avgTtlMs: 1000 },
      { db: 13, keys: 5, expires: 0, avgTtlMs: 0 },
    ]);
  });

  it('summarises version, mode, role, memory policy and persistence', () => {
    expect(summarizeServer(info)).toEqual({
      version: '7.2.4',
      mode: 'standalone',
      role: 'master',
      maxmemory: 0,
      maxmemory_policy: 'allkeys-lru',
      used_memory: 1048576,
      persistence: { rdb_last_save_time: 1700000000, rdb_changes_since_last_save: 3, aof_enabled: true },
      connected_replicas: 2,
      uptime_seconds: 120,
    });
  });

  it('lists the masters that serve slots, skipping replicas and failed nodes', () => {
    const text = [
      '07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@31004,host4 slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1426238317239 4 connected',
      '67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@31002 master - 0 1426238316232 2 connected 5461-10922',
      '292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 127.0.0.1:30003@31003 master - 0 1426238318243 3 connected 10923-16383',
      '6ec23923021cf3ffec47632106199cb7f496ce01 127.0.0.1:30005@31005 master,fail - 0 1426238316232 5 connected 1-2',
      'e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca :30001@31001 myself,master - 0 0 1 connected 0-5460',
    ].join('\n');
    expect(parseClusterMasters(text, 'seed.local').map((m) => `${m.host}:${m.port}`)).toEqual([
      '127.0.0.1:30002',
      '127.0.0.1:30003',
      'seed.local:30001',
    ]);
  });
});
