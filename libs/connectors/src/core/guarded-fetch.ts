import { Agent, IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ConnectorError } from './errors';
import { createGuardedAgent } from './guarded-agent';
import { AddressGuard } from './types';

/** The part of `fetch` the service's HTTP clients use. */
export type FetchLike = (input: string | URL, init?: FetchLikeInit) => Promise<Response>;

export interface FetchLikeInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface GuardedFetchOptions {
  /** Largest response body read, bytes (default 64 MiB). */
  maxBodyBytes?: number;
  /** TLS trust for https: a CA bundle (PEM), or verification off where a source's config says so. */
  tls?: { ca?: string; rejectUnauthorized?: boolean };
}

// Statuses a Response may not carry a body with.
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function toHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      try {
        headers.append(name, v);
      } catch {
        // A header fetch would refuse is dropped, as fetch drops it.
      }
    }
  }
  return headers;
}

/** Rejects as fetch does, so callers keep one error path: the abort reason, or TypeError with a cause. */
function fetchError(err: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  // The address policy's refusal keeps its own code.
  if (err instanceof ConnectorError) return err;
  return new TypeError('fetch failed', { cause: err });
}

/**
 * A fetch for outbound calls to addresses users or operators configure: each connection passes the
 * address guard once and goes to the checked address (see createGuardedAgent), and a redirect is
 * never followed: a 3xx comes back as it is, with its body discarded unread, so neither a refused
 * address nor what it answers can be reached through another server's `Location`.
 */
export function createGuardedFetch(guard: AddressGuard, options: GuardedFetchOptions = {}): FetchLike {
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  // One request per connection: every request resolves and checks its host again, exactly once.
  const agents = {
    http: createGuardedAgent(guard, { secure: false }),
    https: createGuardedAgent(guard, { secure: true, ...options.tls }),
  };
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input));
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        reject(new TypeError('fetch failed', { cause: new Error(`Unsupported protocol ${url.protocol}`) }));
        return;
      }
      const { signal } = init;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const secure = url.protocol === 'https:';
      const headers: Record<string, string> = { ...init.headers };
      if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
      const agent: Agent = secure ? agents.https : agents.http;
      const req = (secure ? httpsRequest : httpRequest)(
        url,
        { method: init.method ?? 'GET', headers, agent, signal },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 599) {
            res.destroy();
            reject(new TypeError('fetch failed', { cause: new Error(`Unusable HTTP status ${status}`) }));
            return;
          }
          const respond = (body: Buffer | null) => {
            try {
              resolve(new Response(body, { status, statusText: res.statusMessage, headers: toHeaders(res) }));
            } catch (err) {
              reject(new TypeError('fetch failed', { cause: err }));
            }
          };
          if ((status >= 300 && status < 400) || NULL_BODY.has(status)) {
            // Not followed and not read: what a redirect says stays with it.
            res.destroy();
            respond(null);
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBodyBytes) res.destroy(new Error(`Response body over ${maxBodyBytes} bytes`));
            else chunks.push(chunk);
          });
          res.on('error', (err) => reject(fetchError(err, signal)));
          res.on('end', () => respond(Buffer.concat(chunks)));
          res.on('close', () => {
            if (!res.complete)
              reject(fetchError(new Error('The connection closed before the whole answer arrived'), signal));
          });
        },
      );
      req.on('error', (err) => reject(fetchError(err, signal)));
      req.end(init.body);
    });
}
