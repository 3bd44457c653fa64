/**
 * Bounded sampling of a Redis keyspace: SCAN with a COUNT no larger than the sample size, then
 * pipelined TYPE / PTTL / MEMORY USAGE and one length command per key. Values are never read;
 * for small hashes the field names (HKEYS) and for RedisJSON documents the top-level keys
 * (JSON.OBJKEYS) of a few keys per pattern are, and the consumer groups of a few streams.
 */
import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import { withDeadline } from '../core/diagnostics';
import { throwIfAborted } from '../core/errors';
import { inferKeyPattern, normalizeSegment } from './key-patterns';
import { KeyProbe } from './pattern-stats';
import { parseXinfoGroups } from './stream-groups';

export interface KeySample {
  keys: Buffer[];
  /** True when SCAN walked the whole keyspace, so the sample is every key. */
  complete: boolean;
}

export interface ProbeOptions {
  signal: AbortSignal;
  timeoutMs: number;
  separator: string;
  /** Also read MEMORY USAGE and lengths (skipped for schema-only runs). */
  measure: boolean;
  node?: string;
}

const PIPELINE_CHUNK = 250;
/** Hashes larger than this never have their field names read. */
export const HASH_FIELDS_MAX_LEN = 64;
/** At most this many hashes per inferred pattern have their field names read. */
export const HASH_FIELDS_KEYS_PER_PATTERN = 5;
/** TYPE of a RedisJSON document; only a server with the module holds such keys. */
export const JSON_TYPE = 'ReJSON-RL';
/** At most this many top-level field names are kept per JSON document. */
export const JSON_FIELDS_MAX = 64;
/** At most this many streams per inferred pattern have their consumer groups read. */
export const STREAM_GROUPS_KEYS_PER_PATTERN = 5;

const LENGTH_COMMAND: Record<string, 'strlen' | 'hlen' | 'llen' | 'scard' | 'zcard' | 'xlen'> = {
  string: 'strlen',
  hash: 'hlen',
  list: 'llen',
  set: 'scard',
  zset: 'zcard',
  stream: 'xlen',
};

/** Walks SCAN until `sampleSize` distinct keys are seen or the keyspace ends. Never uses KEYS. */
export async function sampleKeys(
  client: Redis,
  sampleSize: number,
  options: { signal: AbortSignal; timeoutMs: number; match?: string },
): Promise<KeySample> {
  const seen = new Map<string, Buffer>();
  const count = Math.max(1, Math.min(sampleSize, 1000));
  let cursor = '0';
  do {
    throwIfAborted(options.signal);
    const reply = options.match
      ? client.scanBuffer(cursor, 'MATCH', options.match, 'COUNT', count)
      : client.scanBuffer(cursor, 'COUNT', count);
    const [next, keys] = await withDeadline(reply, options.timeoutMs, options.signal, 'SCAN');
    cursor = next.toString();
    for (const key of keys) {
      if (seen.size >= sampleSize) break;
      seen.set(key.toString('latin1'), key);
    }
  } while (cursor !== '0' && seen.size < sampleSize);
  return { keys: [...seen.values()], complete: cursor === '0' };
}

type PipelineResult = Array<[Error | null, unknown]>;

async function run(pipeline: ChainableCommander, options: ProbeOptions, what: string): Promise<PipelineResult> {
  const result = await withDeadline(pipeline.exec(), options.timeoutMs, options.signal, what);
  return (result ?? []) as PipelineResult;
}

function numberOrNull(reply: [Error | null, unknown] | undefined): number | null {
  if (!reply || reply[0]) return null;
  return typeof reply[1] === 'number' ? reply[1] : null;
}

/** Probes every key of the sample in pipelined chunks. */
export async function probeKeys(client: Redis, keys: Buffer[], options: ProbeOptions): Promise<KeyProbe[]> {
  const probes: KeyProbe[] = [];
  const hashReadsPerPattern = new Map<string, number>();
  const streamReadsPerPattern = new Map<string, number>();
  for (let start = 0; start < keys.length; start += PIPELINE_CHUNK) {
    throwIfAborted(options.signal);
    const chunk = keys.slice(start, start + PIPELINE_CHUNK);

    const first = client.pipeline();
    for (const key of chunk) {
      first.type(key);
      first.pttl(key);
      if (options.measure) first.memory('USAGE', key);
    }
    const firstReplies = await run(first, options, 'TYPE/PTTL/MEMORY USAGE');
    const stride = options.measure ? 3 : 2;
    const chunkProbes: KeyProbe[] = chunk.map((key, i) => {
      const typeReply = firstReplies[i * stride];
      return {
        key: key.toString('utf8'),
        type: typeReply && !typeReply[0] ? String(typeReply[1]) : 'none',
        ttlMs: numberOrNull(firstReplies[i * stride + 1]) ?? -1,
        memoryBytes: options.measure ? numberOrNull(firstReplies[i * stride + 2]) : null,
        length: null,
        ...(options.node ? { node: options.node } : {}),
      };
    });

    // Lengths by type, and field names of a few small hashes per pattern.
    const second = client.pipeline();
    const lengthIndex: number[] = [];
    chunkProbes.forEach((probe, i) => {
      const command = LENGTH_COMMAND[probe.type];
      if (command && (options.measure || probe.type === 'hash')) {
        second[command](chunk[i]);
        lengthIndex.push(i);
      }
    });
    if (lengthIndex.length > 0) {
      const lengths = await run(second, options, 'length commands');
      lengthIndex.forEach((probeIndex, replyIndex) => {
        chunkProbes[probeIndex].length = numberOrNull(lengths[replyIndex]);
      });
    }

    const third = client.pipeline();
    const hashIndex: number[] = [];
    chunkProbes.forEach((probe, i) => {
      const isJson = probe.type === JSON_TYPE;
      if (!isJson && (probe.type !== 'hash' || probe.length === null || probe.length > HASH_FIELDS_MAX_LEN)) return;
      const pattern = inferKeyPattern(probe.key, options.separator);
      const reads = hashReadsPerPattern.get(pattern) ?? 0;
      if (reads >= HASH_FIELDS_KEYS_PER_PATTERN) return;
      hashReadsPerPattern.set(pattern, reads + 1);
      // Top-level keys of a JSON document (legacy root path: one flat list; an error when not an object).
      if (isJson) third.call('JSON.OBJKEYS', chunk[i]);
      else third.hkeys(chunk[i]);
      hashIndex.push(i);
    });
    if (hashIndex.length > 0) {
      const fieldReplies = await run(third, options, 'HKEYS/JSON.OBJKEYS');
      hashIndex.forEach((probeIndex, replyIndex) => {
        const reply = fieldReplies[replyIndex];
        if (reply && !reply[0] && Array.isArray(reply[1])) {
          // Field names that are identifiers (`42`, a uuid) collapse like key segments do.
          chunkProbes[probeIndex].hashFields = [
            ...new Set((reply[1] as unknown[]).map((f) => normalizeSegment(String(f)))),
          ].slice(0, JSON_FIELDS_MAX);
        }
      });
    }
    await readStreamGroups(client, chunk, chunkProbes, streamReadsPerPattern, options);
    if (!options.measure) for (const p of chunkProbes) p.length = null;
    probes.push(...chunkProbes);
  }
  return probes;
}

/** XINFO GROUPS for a few streams per pattern; a stream without groups reads as an empty list. */
async function readStreamGroups(
  client: Redis,
  chunk: Buffer[],
  probes: KeyProbe[],
  readsPerPattern: Map<string, number>,
  options: ProbeOptions,
): Promise<void> {
  const pipeline = client.pipeline();
  const streamIndex: number[] = [];
  probes.forEach((probe, i) => {
    if (probe.type !== 'stream') return;
    const pattern = inferKeyPattern(probe.key, options.separator);
    const reads = readsPerPattern.get(pattern) ?? 0;
    if (reads >= STREAM_GROUPS_KEYS_PER_PATTERN) return;
    readsPerPattern.set(pattern, reads + 1);
    pipeline.xinfo('GROUPS', chunk[i]);
    streamIndex.push(i);
  });
  if (streamIndex.length === 0) return;
  const replies = await run(pipeline, options, 'XINFO GROUPS');
  streamIndex.forEach((probeIndex, replyIndex) => {
    const reply = replies[replyIndex];
    // A stream deleted since TYPE, or a user without +xinfo: the groups stay unknown.
    if (reply && !reply[0]) probes[probeIndex].streamGroups = parseXinfoGroups(reply[1]);
  });
}
