/** Consumer groups of stream keys from `XINFO GROUPS`, parsed from its reply of flat field/value arrays. */
import { replyNumber, replyPairs } from './reply-values';

/** One consumer group as Redis reports it; `entries_read` and `lag` exist from Redis 7.0 on. */
export interface StreamGroup {
  name: string;
  consumers: number | null;
  pending: number | null;
  last_delivered_id: string | null;
  entries_read: number | null;
  /** Entries not yet delivered to the group; null when the server cannot tell (Redis reports nil). */
  lag: number | null;
}

/**
 * `XINFO GROUPS key` answers an array with one flat `[field, value, …]` array per group:
 * name, consumers, pending, last-delivered-id and, from 7.0, entries-read and lag.
 */
export function parseXinfoGroups(reply: unknown): StreamGroup[] {
  if (!Array.isArray(reply)) return [];
  return reply.filter(Array.isArray).map((flat: unknown[]) => {
    const f = replyPairs(flat);
    return {
      name: String(f.name),
      consumers: replyNumber(f.consumers),
      pending: replyNumber(f.pending),
      last_delivered_id: typeof f['last-delivered-id'] === 'string' ? f['last-delivered-id'] : null,
      entries_read: replyNumber(f['entries-read']),
      lag: replyNumber(f.lag),
    };
  });
}

/** What a key pattern's property `consumer_groups` says about the stream keys read. */
export interface StreamGroupSummary {
  /** Stream keys whose groups were read (a few per pattern). */
  keys_read: number;
  groups: Array<StreamGroup & { key: string }>;
  /** Sums over the groups read; lag only over groups that report it. */
  pending: number;
  lag: number | null;
}

export function summarizeStreamGroups(
  perKey: ReadonlyArray<{ key: string; groups: StreamGroup[] }>,
): StreamGroupSummary {
  const groups = perKey.flatMap(({ key, groups: g }) => g.map((group) => ({ key, ...group })));
  const lags = groups.map((g) => g.lag).filter((l): l is number => l !== null);
  return {
    keys_read: perKey.length,
    groups,
    pending: groups.reduce((n, g) => n + (g.pending ?? 0), 0),
    lag: lags.length > 0 ? lags.reduce((a, b) => a + b, 0) : null,
  };
}
