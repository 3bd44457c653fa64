/** Aggregates probed keys into per-pattern statistics. Pure; the probing itself is in probe.ts. */
import { inferKeyPattern, mergeHighCardinality } from './key-patterns';
import { StreamGroup, StreamGroupSummary, summarizeStreamGroups } from './stream-groups';

/** What was learnt about one sampled key with TYPE, PTTL, MEMORY USAGE and a length command. */
export interface KeyProbe {
  key: string;
  type: string;
  /** Milliseconds to live; -1 when the key never expires. */
  ttlMs: number;
  memoryBytes: number | null;
  /** STRLEN / HLEN / LLEN / SCARD / ZCARD / XLEN by type; null for other types. */
  length: number | null;
  /** Which node held the key (cluster mode only). */
  node?: string;
  /** Field names of a small hash or top-level keys of a JSON document, when read. */
  hashFields?: string[];
  /** Consumer groups of a stream, when read. */
  streamGroups?: StreamGroup[];
}

export interface SpreadStats {
  min: number;
  max: number;
  avg: number;
  p50: number;
}

export interface PatternStats {
  pattern: string;
  /** Keys of the sample that fell into this pattern. */
  sampled: number;
  types: Record<string, number>;
  ttl: { persistent: number; expiring: number; seconds: SpreadStats | null };
  memory: { sampled_bytes: number; per_key: SpreadStats } | null;
  length: SpreadStats | null;
  nodes?: Record<string, number>;
  /** Hash field names seen in the sampled hashes of this pattern, with how many of them held each. */
  hashFields: Map<string, number>;
  hashesRead: number;
  /** Consumer groups of the stream keys whose groups were read; absent when none were. */
  streamGroups?: StreamGroupSummary;
}

export function spread(values: number[]): SpreadStats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    min: sorted[0],
    max: sorted[sorted.length - 1],
    avg: Math.round((sum / sorted.length) * 100) / 100,
    p50: sorted[Math.floor((sorted.length - 1) / 2)],
  };
}

/** Groups probes by inferred (and merged) pattern, largest first. Keys that vanished (`none`) are dropped. */
export function aggregatePatterns(probes: KeyProbe[], separator: string, mergeThreshold = 8): PatternStats[] {
  const live = probes.filter((p) => p.type !== 'none');
  const raw = live.map((p) => inferKeyPattern(p.key, separator));
  const merged = mergeHighCardinality(new Set(raw), separator, mergeThreshold);
  const groups = new Map<string, KeyProbe[]>();
  live.forEach((probe, i) => {
    const pattern = merged.get(raw[i]) ?? raw[i];
    let group = groups.get(pattern);
    if (!group) groups.set(pattern, (group = []));
    group.push(probe);
  });

  const out: PatternStats[] = [];
  for (const [pattern, group] of groups) {
    const types: Record<string, number> = {};
    const nodes: Record<string, number> = {};
    const hashFields = new Map<string, number>();
    let hashesRead = 0;
    const streams: Array<{ key: string; groups: StreamGroup[] }> = [];
    const ttls: number[] = [];
    const memory: number[] = [];
    const lengths: number[] = [];
    let persistent = 0;
    for (const p of group) {
      types[p.type] = (types[p.type] ?? 0) + 1;
      if (p.node) nodes[p.node] = (nodes[p.node] ?? 0) + 1;
      if (p.ttlMs < 0) persistent++;
      else ttls.push(Math.round(p.ttlMs / 1000));
      if (p.memoryBytes !== null) memory.push(p.memoryBytes);
      if (p.length !== null) lengths.push(p.length);
      if (p.hashFields) {
        hashesRead++;
        for (const f of p.hashFields) hashFields.set(f, (hashFields.get(f) ?? 0) + 1);
      }
      if (p.streamGroups) streams.push({ key: p.key, groups: p.streamGroups });
    }
    const perKey = spread(memory);
    out.push({
      pattern,
      sampled: group.length,
      types,
      ttl: { persistent, expiring: ttls.length, seconds: spread(ttls) },
      memory: perKey ? { sampled_bytes: memory.reduce((a, b) => a + b, 0), per_key: perKey } : null,
      length: spread(lengths),
      ...(Object.keys(nodes).length > 0 ? { nodes } : {}),
      hashFields,
      hashesRead,
      ...(streams.length > 0 ? { streamGroups: summarizeStreamGroups(streams) } : {}),
    });
  }
  return out.sort((a, b) => b.sampled - a.sampled || a.pattern.localeCompare(b.pattern));
}
