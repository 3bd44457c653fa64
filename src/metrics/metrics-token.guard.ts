import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Request } from 'express';
import { bearerTokenOf } from '../auth/bearer-token';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';
import { metricsConfig, MetricsConfig } from '../config/configuration';

/** Compares digests, so neither the token's content nor its length leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** When METRICS_TOKEN is set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(@Inject(metricsConfig.KEY) private readonly cfg: MetricsConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.cfg.token) return true;
    const given = bearerTokenOf(context.switchToHttp().getRequest<Request>().headers.authorization);
    if (given !== undefined && sameSecret(given, this.cfg.token)) return true;
    throw new DomainException(
      ErrorReason.MetricsTokenRequired,
      'Metrics token required',
      'Send Authorization: Bearer <METRICS_TOKEN>',
    );
  }
}
