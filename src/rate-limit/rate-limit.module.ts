import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import Redis from 'ioredis';
import { rateLimitConfig, RateLimitConfig } from '../config/configuration';
import { REDIS } from '../redis/redis.module';
import { FixedWindowStorage } from './fixed-window-storage';
import { HitCounter } from './hit-counter';
import { RateLimitGuard } from './rate-limit.guard';

/** One second, the window RATE_LIMIT_PER_SECOND counts in; a client over it waits as long. */
const WINDOW_MS = 1000;

@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [rateLimitConfig.KEY, REDIS],
      useFactory: (cfg: RateLimitConfig, redis: Redis | null) => ({
        throttlers: [{ name: 'default', ttl: WINDOW_MS, limit: cfg.perSecond, blockDuration: WINDOW_MS }],
        // In memory for one instance; in Redis (the shared client, its keyPrefix included) so replicas share one count.
        storage: redis ? new ThrottlerStorageRedisService(redis) : new FixedWindowStorage(),
      }),
    }),
  ],
  providers: [HitCounter, { provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [HitCounter],
})
export class RateLimitModule {}
