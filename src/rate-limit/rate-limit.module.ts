import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HitCounter } from './hit-counter';
import { RateLimitGuard } from './rate-limit.guard';

@Global()
@Module({
  providers: [HitCounter, { provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [HitCounter],
})
export class RateLimitModule {}
