import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Request, Response } from 'express';
import { Observable, tap } from 'rxjs';
import { requestIdOf } from '../common/http/request-id';
import { Principal } from '../auth/role';
import { AuditService } from './audit.service';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Authentication records its own entries (with failures); these paths are not changes.
const NOT_CHANGES = new Set(['login', 'refresh']);

function resourceIdOf(req: Request, body: unknown): string | null {
  if (typeof req.params?.id === 'string') return req.params.id;
  if (body && typeof body === 'object' && 'id' in body && typeof (body as { id: unknown }).id === 'string') return (body as { id: string }).id;
  return null;
}

/**
 * Records every successful change made over HTTP: who, what (controller.handler), which resource,
 * when, from where, with the request id and the masked request body.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & { user?: Principal; id?: unknown }>();
    const resourceType = (req.route?.path as string | undefined)?.replace(/^\/?api\/v1\//, '').split('/')[0] ?? 'unknown';
    if (!WRITE_METHODS.has(req.method) || NOT_CHANGES.has(resourceType)) return next.handle();
    const action = `${resourceType}.${context.getHandler().name}`;
    return next.handle().pipe(
      tap((body: unknown) => {
        const res = context.switchToHttp().getResponse<Response>();
        this.audit
          .record({
            action,
            resourceType,
            resourceId: resourceIdOf(req, body),
            actor: req.user?.id ?? null,
            actorName: req.user?.username ?? null,
            method: req.method,
            path: req.originalUrl,
            statusCode: res.statusCode,
            ip: req.ip ?? null,
            requestId: requestIdOf(req),
            details: req.body && typeof req.body === 'object' && Object.keys(req.body as object).length ? req.body : undefined,
          })
          .catch((err: unknown) => this.logger.error({ err }, 'Could not write audit entry'));
      }),
    );
  }
}
