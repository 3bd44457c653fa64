import { Agent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AddressGuard, createGuardedAgent } from '@app/connectors';

export interface SendResult {
  ok: boolean;
  statusCode?: number;
  latencyMs: number;
  error?: string;
  /** Worth another attempt: network errors, timeouts, 5xx and 429. */
  retryable: boolean;
}

// One pair of guarded agents per guard (the app has one): no keep-alive, so each delivery
// resolves and checks its host once and connects to what was checked.
const agentsByGuard = new WeakMap<AddressGuard, { http: Agent; https: Agent }>();

function agentsFor(guard: AddressGuard): { http: Agent; https: Agent } {
  let agents = agentsByGuard.get(guard);
  if (!agents) {
    agents = { http: createGuardedAgent(guard, { secure: false }), https: createGuardedAgent(guard, { secure: true }) };
    agentsByGuard.set(guard, agents);
  }
  return agents;
}

/**
 * POSTs one delivery. The host is resolved and checked against the outbound-address policy once
 * per connection, and the socket goes to the checked address (DNS cannot swap in a refused
 * address); redirects are never followed and what they answer is never read.
 */
export function send(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  guard: AddressGuard,
): Promise<SendResult> {
  const started = Date.now();
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const agents = agentsFor(guard);
  const doRequest = secure ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const finish = (r: Omit<SendResult, 'latencyMs'>) => resolve({ ...r, latencyMs: Date.now() - started });
    const req = doRequest(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': Buffer.byteLength(body).toString() },
        agent: secure ? agents.https : agents.http,
        timeout: timeoutMs,
      },
      (res) => {
        const code = res.statusCode ?? 0;
        if (code >= 300 && code < 400) {
          res.destroy();
          finish({ ok: false, statusCode: code, error: `Redirect (${code}) not followed`, retryable: false });
          return;
        }
        res.resume();
        res.on('end', () => {
          if (code >= 200 && code < 300) finish({ ok: true, statusCode: code, retryable: false });
          else
            finish({
              ok: false,
              statusCode: code,
              error: `Receiver answered ${code}`,
              retryable: code >= 500 || code === 429,
            });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer within ${timeoutMs} ms`)));
    req.on('error', (err) =>
      finish({ ok: false, error: err.message, retryable: !/outbound-address policy/.test(err.message) }),
    );
    req.end(body);
  });
}
