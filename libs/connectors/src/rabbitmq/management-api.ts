/**
 * A small client for RabbitMQ's management HTTP API (the rabbitmq_management plugin): basic
 * auth, the config timeout and the caller's cancel signal on every request, paged listings.
 */
import { ConnectorError, ConnectorErrorCode, throwIfAborted } from '../core/errors';
import { createGuardedFetch, FetchLike } from '../core/guarded-fetch';
import { AddressGuard } from '../core/types';

export interface Page<T> {
  items: T[];
  page: number;
  page_count: number;
  total_count?: number;
}

function causeCode(err: unknown): string | undefined {
  const cause = err instanceof Error ? (err as Error & { cause?: unknown }).cause : undefined;
  return typeof cause === 'object' && cause !== null && 'code' in cause
    ? String((cause as { code: unknown }).code)
    : undefined;
}

export class ManagementApi {
  private readonly fetch: FetchLike;

  constructor(
    private readonly baseUrl: string,
    private readonly username: string,
    private readonly password: string,
    private readonly timeoutMs: number,
    guard: AddressGuard,
  ) {
    // Every connection passes the address guard; redirects are never followed.
    this.fetch = createGuardedFetch(guard);
  }

  /** GET a path below /api (segments must already be encoded); resolves to the parsed JSON. */
  async get<T>(path: string, signal: AbortSignal): Promise<T> {
    throwIfAborted(signal);
    let url: URL;
    try {
      url = new URL(`${this.baseUrl}/api${path}`);
    } catch (err) {
      throw new ConnectorError(
        ConnectorErrorCode.InvalidConfig,
        `management_url "${this.baseUrl}" is not a URL`,
        'Use a URL such as http://broker:15672.',
        err,
      );
    }
    let response: Response;
    try {
      response = await this.fetch(url, {
        headers: {
          authorization: `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`,
          accept: 'application/json',
        },
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]),
      });
    } catch (err) {
      throw this.networkError(err, signal);
    }
    if (response.status === 401) {
      throw new ConnectorError(
        ConnectorErrorCode.AuthFailed,
        `The management API refused the credentials (401 at ${url.pathname})`,
        'Check management_username and management_password (they default to username/password); the user needs the management or monitoring tag.',
      );
    }
    if (response.status === 403) {
      throw new ConnectorError(
        ConnectorErrorCode.PermissionDenied,
        `The management API denied ${url.pathname} (403)`,
        'Give the management user the monitoring tag and permissions on the vhost.',
      );
    }
    if (response.status >= 300 && response.status < 400) {
      throw new ConnectorError(
        ConnectorErrorCode.Protocol,
        `The management API answered ${response.status} (a redirect) for ${url.pathname}; redirects are not followed`,
        'Point management_url at the management plugin itself (scheme, host and port it answers on), not at an address that redirects.',
      );
    }
    if (!response.ok) {
      throw new ConnectorError(
        ConnectorErrorCode.Protocol,
        `The management API answered ${response.status} for ${url.pathname}`,
        response.status === 404
          ? 'Check management_url: it should point at the management plugin (port 15672 by default).'
          : undefined,
      );
    }
    try {
      return (await response.json()) as T;
    } catch (err) {
      throw new ConnectorError(
        ConnectorErrorCode.Protocol,
        `The management API sent something other than JSON for ${url.pathname}`,
        'Check that management_url points at the RabbitMQ management plugin.',
        err,
      );
    }
  }

  /** Walks a paged listing (`?page=N&page_size=M`, RabbitMQ 3.6+), one page at a time. */
  async *pages<T>(path: string, pageSize: number, signal: AbortSignal): AsyncGenerator<Page<T>> {
    let page = 1;
    for (;;) {
      const separator = path.includes('?') ? '&' : '?';
      const result = await this.get<Page<T>>(`${path}${separator}page=${page}&page_size=${pageSize}`, signal);
      yield result;
      if (page >= result.page_count) return;
      page++;
    }
  }

  private networkError(err: unknown, signal: AbortSignal): ConnectorError {
    if (err instanceof ConnectorError && !signal.aborted) return err;
    if (signal.aborted) {
      try {
        throwIfAborted(signal);
      } catch (e) {
        return e as ConnectorError;
      }
    }
    // fetch rejects with the signal's reason, a DOMException (not an Error subclass in Node 20).
    const name =
      typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new ConnectorError(
        ConnectorErrorCode.Timeout,
        `The management API did not answer within ${this.timeoutMs} ms`,
        'Raise the timeout or check the broker load.',
        err,
      );
    }
    const code = causeCode(err);
    return new ConnectorError(
      ConnectorErrorCode.Unreachable,
      `The management API at ${this.baseUrl} is unreachable${code ? ` (${code})` : ''}`,
      'Check management_url and that the rabbitmq_management plugin is enabled (rabbitmq-plugins enable rabbitmq_management).',
      err,
    );
  }
}

/** Encodes a vhost or object name as one path segment (`/` → `%2F`). */
export const seg = (name: string): string => encodeURIComponent(name);
