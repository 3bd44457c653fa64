import { ExecutionContext } from '@nestjs/common';
import ipaddr from 'ipaddr.js';

/**
 * Who the client is, the one answer for everything keyed by it: the rate limit, the login lockout,
 * the audit log. Over HTTP that is Express's `req.ip`, which honours TRUST_PROXY (only the hops
 * or proxies it names may speak through X-Forwarded-For); over gRPC the connection's peer.
 */
export function clientAddressOf(context: ExecutionContext): string {
  if (context.getType() === 'http')
    return clientAddressOfRequest(context.switchToHttp().getRequest<HttpClientRequest>());
  // A gRPC handler gets (request, metadata, call); the peer is on the call.
  return clientAddressOfCall(context.getArgByIndex<GrpcPeerCall | undefined>(2));
}

export interface HttpClientRequest {
  ip?: string;
  socket?: { remoteAddress?: string };
}

export interface GrpcPeerCall {
  getPeer?: () => string;
}

export function clientAddressOfRequest(req: HttpClientRequest): string {
  return canonical(req.ip ?? req.socket?.remoteAddress);
}

/** grpc-js peers look like "127.0.0.1:51234", "[::1]:51234" or "ipv4:127.0.0.1:51234". */
export function clientAddressOfCall(call: GrpcPeerCall | undefined): string {
  const peer = typeof call?.getPeer === 'function' ? call.getPeer() : undefined;
  if (!peer) return 'unknown';
  const bare = peer.replace(/^ipv[46]:/, '');
  const bracketed = /^\[(.+)\]:\d+$/.exec(bare);
  if (bracketed) return canonical(bracketed[1]);
  return canonical(ipaddr.isValid(bare) ? bare : bare.replace(/:\d+$/, ''));
}

/** One spelling per address, so "::ffff:127.0.0.1" and "127.0.0.1" count as one client. */
function canonical(address: string | undefined): string {
  if (!address) return 'unknown';
  try {
    return ipaddr.process(address).toString();
  } catch {
    return address;
  }
}
