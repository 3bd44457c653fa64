import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';

export interface WindowCount {
  count: number;
  /** When the current window ends (epoch ms). */
  resetAt: number;
}

/**
 * Fixed-window counters for the login lockout, which needs to look at a count without adding to it
 * and to clear it (the request rate limit is @nestjs/throttler's, see rate-limit.guard.ts): in
 * memory for one instance, in Redis when REDIS_URL is set so every replica sees one count.
 */
@Injectable()
export class HitCounter implements OnModuleDestroy {
  private readonly windows = new Map<string, WindowCount>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(@Inject(REDIS) private readonly redis: Redis | null) {
    this.sweeper = setInterval(() => this.sweep(), 10_000);
    this.sweeper.unref();
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    if (this.redis) {
      const k = `metadata:hits:${key}`;
      const res = await this.redis.multi().incr(k).pexpire(k, windowMs, 'NX').pttl(k).exec();
      const count = Number(res?.[0]?.[1] ?? 1);
      const ttl = Number(res?.[2]?.[1] ?? windowMs);
      return { count, resetAt: Date.now() + (ttl > 0 ? ttl : windowMs) };
    }
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count += 1;
    return { ...w };
  }

  async peek(key: string): Promise<WindowCount | undefined> {
    if (this.redis) {
      const k = `metadata:hits:${key}`;
      const [count, ttl] = await Promise.all([this.redis.get(k), this.redis.pttl(k)]);
      return count === null ? undefined : { count: Number(count), resetAt: Date.now() + Math.max(ttl, 0) };
    }
    const w = this.windows.get(key);
    return w && w.resetAt > Date.now() ? { ...w } : undefined;
  }

  async clear(key: string): Promise<void> {
    if (this.redis) await this.redis.del(`metadata:hits:${key}`);
    else this.windows.delete(key);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}
