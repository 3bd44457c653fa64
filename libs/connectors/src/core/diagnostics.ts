import { isIP, connect as netConnect, Socket } from 'node:net';
import { connect as tlsConnect, ConnectionOptions } from 'node:tls';
import { ConnectorError, ConnectorErrorCode } from './errors';
import { AddressGuard, TestResult, TestStep, TestStepName } from './types';

export interface ServerIdentity {
  serverInfo?: string;
  version?: string;
}

/** What a connector supplies to the shared step-by-step connection test. */
export interface DiagnosticPlan {
  host: string;
  port: number;
  timeoutMs: number;
  signal: AbortSignal;
  guardAddress: AddressGuard;
  /**
   * `direct`: the server speaks TLS from the first byte, so a handshake is tried on the raw socket.
   * `negotiated`: TLS is negotiated inside the protocol (PostgreSQL, MySQL); it is checked as part of
   * authentication. Omit when TLS is off.
   */
  tls?: { mode: 'direct' | 'negotiated'; options?: ConnectionOptions };
  /** Logs in with the configured account; returns what the server says about itself. */
  authenticate(): Promise<ServerIdentity>;
  /** Reads a little of the catalog with the account, to prove its privileges suffice. */
  readCatalog?(): Promise<string | void>;
  /** Maps a driver error from authenticate/readCatalog onto a typed ConnectorError. */
  classify(err: unknown, step: TestStepName): ConnectorError;
}

const HINTS: Record<string, string> = {
  ENOTFOUND: 'The host name is unknown: check it for typos and that DNS resolves it from this service.',
  EAI_AGAIN: 'DNS did not answer: check the host name and the resolver.',
  ECONNREFUSED: 'Nothing listens on that port: check the port number and that the server is running.',
  EHOSTUNREACH: 'The host is unreachable: check routing and firewalls between this service and the host.',
  ENETUNREACH: 'The network is unreachable from this service.',
  ETIMEDOUT: 'The connection timed out: a firewall may drop the traffic, or the host is down.',
};

function codeOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** Rejects after `ms` or when the signal fires, whichever is first. */
export function withDeadline<T>(work: Promise<T>, ms: number, signal: AbortSignal, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new ConnectorError(
            ConnectorErrorCode.Timeout,
            `${what} timed out after ${ms} ms`,
            "Raise the source's timeout or check that the server is responsive.",
          ),
        ),
      ms,
    );
    const onAbort = () => reject(new ConnectorError(ConnectorErrorCode.Cancelled, `${what} was cancelled`));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}

function openSocket(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: address, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', (err) => {
      socket.destroy();
      const code = codeOf(err) ?? 'ECONNREFUSED';
      reject(
        new ConnectorError(
          code === 'ETIMEDOUT' ? ConnectorErrorCode.Timeout : ConnectorErrorCode.Unreachable,
          `Could not open TCP ${address}:${port}: ${err.message}`,
          HINTS[code] ?? 'Check the host, the port and firewalls.',
          err,
        ),
      );
    });
  });
}

function tlsHandshake(address: string, port: number, servername: string, options?: ConnectionOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    // SNI carries host names only; an IP literal as server name is invalid (RFC 6066).
    const sni = isIP(servername) ? undefined : servername;
    const socket = tlsConnect({ host: address, port, servername: sni, ...options });
    socket.once('secureConnect', () => {
      socket.end();
      resolve();
    });
    socket.once('error', (err) => {
      socket.destroy();
      reject(
        new ConnectorError(
          ConnectorErrorCode.Tls,
          `TLS handshake failed: ${err.message}`,
          'The server may not speak TLS on this port, or its certificate is not trusted: check use_ssl/tls settings and the CA.',
          err,
        ),
      );
    });
  });
}

function asConnectorError(err: unknown, fallback: (e: unknown) => ConnectorError): ConnectorError {
  return err instanceof ConnectorError ? err : fallback(err);
}

/**
 * Runs resolve → TCP → TLS → authenticate → catalog, timing each step and stopping at the first
 * failure, whose message and hint become the result's `message` and `details`.
 */
export async function runDiagnostics(plan: DiagnosticPlan): Promise<TestResult> {
  const started = Date.now();
  const steps: TestStep[] = [];
  let identity: ServerIdentity = {};
  let addresses: string[] = [];

  const step = async <T>(
    name: TestStepName,
    work: () => Promise<T>,
    describe?: (v: T) => string | undefined,
  ): Promise<T> => {
    const t0 = Date.now();
    const remaining = Math.max(1, plan.timeoutMs - (t0 - started));
    try {
      const value = await withDeadline(work(), remaining, plan.signal, `Step "${name}"`);
      steps.push({ name, ok: true, duration_ms: Date.now() - t0, message: describe?.(value) });
      return value;
    } catch (err) {
      const error = asConnectorError(err, (e) => plan.classify(e, name));
      steps.push({ name, ok: false, duration_ms: Date.now() - t0, message: error.message });
      throw error;
    }
  };

  try {
    addresses = await step(
      'resolve',
      () => plan.guardAddress(plan.host),
      (a) => a.join(', '),
    );
    const socket = await step(
      'tcp',
      () => openSocket(addresses[0], plan.port),
      () => `${addresses[0]}:${plan.port}`,
    );
    socket.destroy();
    if (plan.tls?.mode === 'direct') {
      await step('tls', () => tlsHandshake(addresses[0], plan.port, plan.host, plan.tls?.options));
    }
    identity = await step(
      'authenticate',
      () => plan.authenticate(),
      (id) => id.serverInfo,
    );
    if (plan.readCatalog)
      await step(
        'catalog',
        async () => (await plan.readCatalog!()) ?? undefined,
        (v) => v ?? undefined,
      );
    return {
      success: true,
      message: 'Connection successful',
      latency: Date.now() - started,
      server_info: identity.serverInfo,
      version: identity.version,
      steps,
    };
  } catch (err) {
    const error = err as ConnectorError;
    return {
      success: false,
      message: error.message,
      latency: Date.now() - started,
      details: error.hint,
      error_code: error.code,
      server_info: identity.serverInfo,
      version: identity.version,
      steps,
    };
  }
}
