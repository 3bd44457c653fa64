import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Request, Response } from 'express';
import { concatMap, Observable } from 'rxjs';
import { requestIdOf, requestIdOfRpc } from '../common/http/request-id';
import { clientAddressOf } from '../common/http/client-address';
import { Principal } from '../auth/role';
import { AuditService } from './audit.service';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Authentication records its own entries (with failures); these paths are not changes.
const NOT_CHANGES = new Set(['login', 'refresh']);

// gRPC: the resource type of each service (as REST names its path), and the methods that only read.
const GRPC_RESOURCES: Record<string, string> = {
  DataSourceService: 'datasources',
  TemplateService: 'templates',
  TaskService: 'tasks',
  MetadataService: 'metadata',
  AnnotationService: 'annotations',
};
const GRPC_READS = /^(List|Get|Search|Watch|CanDelete)/;

interface GrpcCall {
  getPath?: () => string;
}

function idIn(value: unknown, key: string): string | null {
  if (!value || typeof value !== 'object' || !(key in value)) return null;
  const id = (value as Record<string, unknown>)[key];
  return typeof id === 'string' ? id : null;
}

function resourceIdOf(req: Request, body: unknown): string | null {
  if (typeof req.params?.id === 'string') return req.params.id;
  if (body && typeof body === 'object' && 'id' in body && typeof (body as { id: unknown }).id === 'string')
    return (body as { id: string }).id;
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
    if (context.getType() === 'rpc') return this.interceptGrpc(context, next);
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & { user?: Principal; id?: unknown }>();
    // Reads are most requests: leave them before any work.
    if (!WRITE_METHODS.has(req.method)) return next.handle();
    const resourceType =
      (req.route?.path as string | undefined)?.replace(/^\/?api\/v1\//, '').split('/')[0] ?? 'unknown';
    if (NOT_CHANGES.has(resourceType)) return next.handle();
    const action = `${resourceType}.${context.getHandler().name}`;
    return next.handle().pipe(
      // Written before the response leaves, so whoever reads the audit log next finds the change.
      concatMap(async (body: unknown) => {
        const res = context.switchToHttp().getResponse<Response>();
        await this.audit
          .record({
            action,
            resourceType,
            resourceId: resourceIdOf(req, body),
            actor: req.user?.id ?? null,
            actorName: req.user?.username ?? null,
            method: req.method,
            path: req.originalUrl,
            statusCode: res.statusCode,
            ip: clientAddressOf(context),
            requestId: requestIdOf(req),
            details:
              req.body && typeof req.body === 'object' && Object.keys(req.body as object).length ? req.body : undefined,
          })
          .catch((err: unknown) => this.logger.error({ err }, 'Could not write audit entry'));
        return body;
      }),
    );
  }

  /** The same record for a successful gRPC call that changes something (method "GRPC", path = the gRPC method). */
  private interceptGrpc(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const path = context.getArgByIndex<GrpcCall | undefined>(2)?.getPath?.() ?? '';
    // "/metadata.v1.DataSourceService/Create"
    const [, qualifiedService = '', rpc = ''] = path.split('/');
    const service = qualifiedService.split('.').pop() ?? '';
    const resourceType = GRPC_RESOURCES[service];
    if (!resourceType || GRPC_READS.test(rpc)) return next.handle();
    const payload: unknown = context.getArgByIndex(0);
    const metadata = context.switchToRpc().getContext<{ user?: Principal } & Parameters<typeof requestIdOfRpc>[0]>();
    return next.handle().pipe(
      // Written before the response leaves, so whoever reads the audit log next finds the change.
      concatMap(async (body: unknown) => {
        await this.audit
          .record({
            action: `${resourceType}.${context.getHandler().name}`,
            resourceType,
            resourceId: idIn(payload, 'id') ?? idIn(body, 'id'),
            actor: metadata?.user?.id ?? null,
            actorName: metadata?.user?.username ?? null,
            method: 'GRPC',
            path,
            statusCode: 0,
            ip: clientAddressOf(context),
            requestId: requestIdOfRpc(metadata),
            details: payload && typeof payload === 'object' && Object.keys(payload).length ? payload : undefined,
          })
          .catch((err: unknown) => this.logger.error({ err }, 'Could not write audit entry'));
        return body;
      }),
    );
  }
}
