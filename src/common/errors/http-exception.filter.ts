import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { requestIdOf } from '../http/request-id';
import { ErrorEnvelope, normalizeError } from './error-envelope';

/** Every HTTP error, thrown anywhere, leaves as the seed's envelope with the request id. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
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
  const body: ErrorEnvelope = { code: error.code, message: error.message, details: error.details ?? '', request_id: requestId };
  res.status(error.status).json(body);
}
