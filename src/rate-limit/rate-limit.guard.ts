import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request, Response } from 'express';
import { rateLimitConfig, RateLimitConfig } from '../config/configuration';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { HitCounter } from './hit-counter';

export const SKIP_RATE_LIMIT = 'rate-limit:skip';

/** The client a limit is counted for: the caller's IP (HTTP) or peer address (gRPC). */
export function clientKeyOf(context: ExecutionContext): string {
  if (context.getType() === 'http') return context.switchToHttp().getRequest<Request>().ip ?? 'unknown';
  // A gRPC handler gets (request, metadata, call); the peer ("127.0.0.1:51234", "[::1]:51234") is on the call.
  const call = context.getArgByIndex<{ getPeer?: () => string } | undefined>(2);
  const peer = typeof call?.getPeer === 'function' ? call.getPeer() : 'unknown';
  return peer.replace(/^ipv[46]:/, '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
}

/**
 * RATE_LIMIT_PER_SECOND requests per client per second. Sets the seed's headers, with
 * X-RateLimit-Reset as a Unix epoch second, and Retry-After on 429.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly counter: HitCounter,
    private readonly reflector: Reflector,
    @Inject(rateLimitConfig.KEY) private readonly cfg: RateLimitConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(SKIP_RATE_LIMIT, [context.getHandler(), context.getClass()])) return true;
    const limit = this.cfg.perSecond;
    const { count, resetAt } = await this.counter.hit(`rl:${clientKeyOf(context)}`, 1000);
    const remaining = Math.max(0, limit - count);
    const resetEpoch = Math.ceil(resetAt / 1000);
    const retryAfter = String(Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)));
    if (context.getType() === 'http') {
      const res = context.switchToHttp().getResponse<Response>();
      res.setHeader('X-RateLimit-Limit', String(limit));
      res.setHeader('X-RateLimit-Remaining', String(remaining));
      res.setHeader('X-RateLimit-Reset', String(resetEpoch));
    }
    if (count > limit) {
      throw new DomainException(ErrorCode.RateLimited, `Rate limit of ${limit} requests per second exceeded`, `Retry after ${retryAfter} s`, {
        'Retry-After': retryAfter,
      });
    }
    return true;
  }
}
