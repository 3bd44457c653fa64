import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Response } from 'express';

interface CancellableCall {
  cancelled?: boolean;
  once?(event: 'cancelled', listener: () => void): unknown;
}

/**
 * An AbortSignal that fires when the caller goes away before the answer: the HTTP client closes
 * its connection, or the gRPC call is cancelled. Work bound to it (a connection test) is abandoned
 * and its sockets closed instead of running on for nobody.
 */
export const CallerSignal = createParamDecorator((_: unknown, ctx: ExecutionContext): AbortSignal => {
  const controller = new AbortController();
  const gone = () => controller.abort(new Error('The caller went away'));
  if (ctx.getType() === 'http') {
    const res = ctx.switchToHttp().getResponse<Response>();
    res.once('close', () => {
      if (!res.writableFinished) gone();
    });
  } else if (ctx.getType() === 'rpc') {
    const call = ctx.getArgByIndex<CancellableCall | undefined>(2);
    if (call?.cancelled) gone();
    else call?.once?.('cancelled', gone);
  }
  return controller.signal;
});
