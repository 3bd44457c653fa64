import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { requestIdOfRpc } from '../common/http/request-id';
import { clientAddressOf } from '../common/http/client-address';

export interface CallClient {
  /** The caller's address, as the rate limit counts it. */
  ip: string;
  requestId: string;
}

/** Who is calling a gRPC method (address and request id), for what REST reads from the request. */
export const CallClient = createParamDecorator((_: unknown, ctx: ExecutionContext): CallClient => ({
  ip: clientAddressOf(ctx),
  requestId: requestIdOfRpc(ctx.switchToRpc().getContext()),
}));
