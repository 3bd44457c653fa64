import { ExecutionContext, Injectable } from '@nestjs/common';
import { normalizeIp, ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import { Response } from 'express';
import { clientAddressOf } from '../common/http/client-address';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';

/**
 * RATE_LIMIT_PER_SECOND requests per client address per second, REST and gRPC counted together.
 * Sends the seed's headers (X-RateLimit-Reset as a Unix epoch second, Remaining on every answer,
 * refused ones included) and refuses with the RATE_LIMITED envelope (gRPC RESOURCE_EXHAUSTED)
 * carrying Retry-After.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async handleRequest({
    context,
    limit,
    ttl,
    throttler,
    blockDuration,
  }: ThrottlerRequest): Promise<boolean> {
    const type = context.getType();
    if (type !== 'http' && type !== 'rpc') return true;
    // IPv6 clients are counted per /64, as the throttler does: one host usually owns the whole block.
    const tracker = normalizeIp(clientAddressOf(context), this.ipv6SubnetPrefix);
    const key = this.generateKey(context, tracker, throttler.name ?? 'default');
    const record = await this.storageService.increment(key, ttl, limit, blockDuration, throttler.name ?? 'default');
    const now = Date.now() / 1000;
    const resetIn = record.isBlocked ? Math.max(1, record.timeToBlockExpire) : record.timeToExpire;
    if (type === 'http') {
      const res = context.switchToHttp().getResponse<Response>();
      res.setHeader('X-RateLimit-Limit', String(limit));
      res.setHeader('X-RateLimit-Remaining', String(record.isBlocked ? 0 : Math.max(0, limit - record.totalHits)));
      res.setHeader('X-RateLimit-Reset', String(Math.ceil(now + resetIn)));
    }
    if (record.isBlocked) await this.throwThrottlingException(context, { ...record, limit, ttl, key, tracker });
    return true;
  }

  /** One count per client across every route and both transports (the throttler's default is per route). */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `rate-limit:${name}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfter = String(Math.max(1, detail.timeToBlockExpire));
    throw new DomainException(
      ErrorReason.RateLimited,
      `Rate limit of ${detail.limit} requests per second exceeded`,
      `Retry after ${retryAfter} s`,
      {
        'Retry-After': retryAfter,
      },
    );
  }
}
