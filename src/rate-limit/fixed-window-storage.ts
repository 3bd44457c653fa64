import { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  count: number;
  /** When the counting window ends (epoch ms). */
  endsAt: number;
  /** When a block ends (epoch ms), 0 when not blocked. */
  blockedUntil: number;
}

/** How often ended windows are dropped, piggybacked on a hit so no timer outlives the app. */
const SWEEP_EVERY_MS = 10_000;

/**
 * The in-memory request counter of one instance: a fixed window per key, O(1) a hit. The
 * throttler's own storage keeps one timestamp per hit and filters them all on every request, so
 * its cost per request grows with the request rate and its memory with the limit.
 */
export class FixedWindowStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private nextSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    _throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    if (now >= this.nextSweep) this.sweep(now);
    let w = this.windows.get(key);
    if (w && w.blockedUntil > now) return Promise.resolve(this.record(w, now, true));
    if (!w || w.endsAt <= now || w.blockedUntil !== 0) {
      w = { count: 0, endsAt: now + ttl, blockedUntil: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    if (w.count > limit) {
      w.blockedUntil = now + (blockDuration > 0 ? blockDuration : ttl);
      return Promise.resolve(this.record(w, now, true));
    }
    return Promise.resolve(this.record(w, now, false));
  }

  /** Keys currently counted (for tests and diagnostics). */
  get size(): number {
    return this.windows.size;
  }

  private record(w: Window, now: number, isBlocked: boolean): ThrottlerStorageRecord {
    return {
      totalHits: w.count,
      timeToExpire: Math.ceil((w.endsAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((w.blockedUntil - now) / 1000) : 0,
    };
  }

  private sweep(now: number): void {
    this.nextSweep = now + SWEEP_EVERY_MS;
    for (const [key, w] of this.windows) if (w.endsAt <= now && w.blockedUntil <= now) this.windows.delete(key);
  }
}
