/**
 * RedisJSON documents at the driver boundary (the machine's Redis has no RedisJSON): TYPE answers
 * `ReJSON-RL` and `JSON.OBJKEYS key` the document's top-level keys, as the module's command pages show.
 */
import type Redis from 'ioredis';
import { aggregatePatterns } from './pattern-stats';
import { probeKeys } from './probe';

type Reply = [Error | null, unknown];

/** A client whose pipelines record their commands and answer through `answer`. */
function fakeClient(answer: (command: string, args: unknown[]) => Reply): { client: Redis; sent: string[] } {
  const sent: string[] = [];
  const pipeline = () => {
    const queued: Reply[] = [];
    const target = {
      exec: async () => queued,
      call: (command: string, ...args: unknown[]) => {
        sent.push(`${command} ${args.map(String).join(' ')}`);
        queued.push(answer(command, args));
        return target;
      },
    };
    return new Proxy(target, {
      get: (t, prop: string) =>
        prop in t
          ? t[prop as keyof typeof t]
          : (...args: unknown[]) => {
              sent.push(`${prop} ${args.map(String).join(' ')}`);
              queued.push(answer(prop, args));
              return t;
            },
    });
  };
  return { client: { pipeline } as unknown as Redis, sent };
}

const docs: Record<string, string[] | Error> = {
  'item:1': ['name', 'price', 'tags'],
  'item:2': ['name', 'price'],
  'item:3': new Error('ERR wrong type of path value - expected a container'),
};

describe('probeKeys on RedisJSON documents', () => {
  it('reads top-level keys of JSON documents as fields with their presence', async () => {
    const { client, sent } = fakeClient((command, args) => {
      const key = String(args[0]);
      if (command === 'type') return [null, 'ReJSON-RL'];
      if (command === 'pttl') return [null, -1];
      if (command === 'memory') return [null, 120];
      if (command === 'JSON.OBJKEYS') {
        const d = docs[key];
        return d instanceof Error ? [d, null] : [null, d];
      }
      return [new Error(`unexpected ${command}`), null];
    });
    const probes = await probeKeys(
      client,
      Object.keys(docs).map((k) => Buffer.from(k)),
      { signal: new AbortController().signal, timeoutMs: 1000, separator: ':', measure: true },
    );
    expect(sent.filter((c) => c.startsWith('JSON.OBJKEYS'))).toEqual([
      'JSON.OBJKEYS item:1',
      'JSON.OBJKEYS item:2',
      'JSON.OBJKEYS item:3',
    ]);
    expect(sent.some((c) => c.startsWith('hkeys'))).toBe(false);
    const [pattern] = aggregatePatterns(probes, ':');
    expect(pattern.pattern).toBe('item:{id}');
    expect(pattern.types).toEqual({ 'ReJSON-RL': 3 });
    // A document that is not an object (item:3) has no keys and does not count as read.
    expect(pattern.hashesRead).toBe(2);
    expect([...pattern.hashFields.entries()].sort()).toEqual([
      ['name', 2],
      ['price', 2],
      ['tags', 1],
    ]);
  });
});
