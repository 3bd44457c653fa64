import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { AddressGuard } from '@app/connectors';

export interface SendResult {
  ok: boolean;
  statusCode?: number;
  latencyMs: number;
  error?: string;
  /** Worth another attempt: network errors, timeouts, 5xx and 429. */
  retryable: boolean;
}

/**
 * POSTs one delivery. Every address the host resolves to passes the outbound-address policy at
 * connect time (so DNS cannot swap in a refused address after validation), and redirects are
 * never followed.
 */
export function send(url: string, headers: Record<string, string>, body: string, timeoutMs: number, guard: AddressGuard): Promise<SendResult> {
  const started = Date.now();
  const target = new URL(url);
  const lookup: LookupFunction = (hostname, options, callback) => {
    guard(hostname).then(
      (addresses) => {
        const address = addresses[0];
        const family = isIP(address) === 6 ? 6 : 4;
        if (typeof options === 'object' && options.all) callback(null, addresses.map((a) => ({ address: a, family: isIP(a) === 6 ? 6 : 4 })));
        else callback(null, address, family);
      },
      (err: Error) => callback(err as NodeJS.ErrnoException, '', 4),
    );
  };
  const doRequest = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const finish = (r: Omit<SendResult, 'latencyMs'>) => resolve({ ...r, latencyMs: Date.now() - started });
    // An IP literal bypasses lookup: check it here.
    const pre = isIP(target.hostname.replace(/^\[|\]$/g, '')) ? guard(target.hostname) : Promise.resolve([]);
    pre.then(
      () => {
        const req = doRequest(
          target,
          { method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(body).toString() }, lookup, timeout: timeoutMs },
          (res) => {
            res.resume();
            res.on('end', () => {
              const code = res.statusCode ?? 0;
              if (code >= 200 && code < 300) finish({ ok: true, statusCode: code, retryable: false });
              else if (code >= 300 && code < 400) finish({ ok: false, statusCode: code, error: `Redirect to ${res.headers.location ?? '?'} not followed`, retryable: false });
              else finish({ ok: false, statusCode: code, error: `Receiver answered ${code}`, retryable: code >= 500 || code === 429 });
            });
          },
        );
        req.on('timeout', () => req.destroy(new Error(`No answer within ${timeoutMs} ms`)));
        req.on('error', (err) => finish({ ok: false, error: err.message, retryable: !/outbound-address policy/.test(err.message) }));
        req.end(body);
      },
      (err: Error) => finish({ ok: false, error: err.message, retryable: false }),
    );
  });
}
