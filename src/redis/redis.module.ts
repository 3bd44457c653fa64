import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { rateLimitConfig, RateLimitConfig } from '../config/configuration';

export const REDIS = Symbol('REDIS');

/** The shared Redis client when REDIS_URL is set (rate limits and login lockouts shared by replicas), else null. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [rateLimitConfig.KEY],
      useFactory: (cfg: RateLimitConfig) =>
        cfg.redisUrl ? new Redis(cfg.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true }) : null,
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}
