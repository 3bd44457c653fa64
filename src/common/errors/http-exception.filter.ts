import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { requestIdOf } from '../http/request-id';
import { Observable } from 'rxjs';
import { ErrorEnvelope, normalizeError } from './error-envelope';
import { GrpcExceptionFilter } from './grpc-exception.filter';

/**
 * Every HTTP error, thrown anywhere, leaves as the seed's envelope with the request id. Nest hands a
 * catch-all global filter every error of both transports, so gRPC calls are passed to their filter.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');
  private readonly grpc = new GrpcExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() === 'rpc') return this.grpc.catch(exception, host);
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: unknown }>();
    const res = ctx.getResponse<Response>();
    sendEnvelope(exception, req, res, this.logger);
  }
}

export function sendEnvelope(exception: unknown, req: Request & { id?: unknown }, res: Response, logger: Logger): void {
  const error = normalizeError(exception);
  const requestId = requestIdOf(req) || String(res.getHeader('X-Request-Id') ?? '');
  if (error.unexpected) {
    logger.error({ err: exception, request_id: requestId, route: req.originalUrl }, 'Unhandled error');
  }
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
  const body: ErrorEnvelope = {
    code: error.code,
    ...(error.reason ? { reason: error.reason } : {}),
    message: error.message,
    details: error.details ?? '',
    request_id: requestId,
  };
  res.status(error.status).json(body);
}
