export enum ConnectorErrorCode {
  AuthFailed = 'AUTH_FAILED',
  Unreachable = 'UNREACHABLE',
  Timeout = 'TIMEOUT',
  PermissionDenied = 'PERMISSION_DENIED',
  Tls = 'TLS',
  Protocol = 'PROTOCOL',
  Unsupported = 'UNSUPPORTED',
  /** The outbound-address policy refused the host; no connection was attempted. */
  AddressRefused = 'ADDRESS_REFUSED',
  /** The configuration is incomplete or malformed. */
  InvalidConfig = 'INVALID_CONFIG',
  /** The run was cancelled by its caller. */
  Cancelled = 'CANCELLED',
}

/** Every failure a connector reports is one of these, with a code and advice on what to try. */
export class ConnectorError extends Error {
  constructor(
    readonly code: ConnectorErrorCode,
    message: string,
    /** What the user could try. */
    readonly hint?: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

export function isConnectorError(err: unknown): err is ConnectorError {
  return err instanceof ConnectorError;
}

/** Throws a CANCELLED ConnectorError if the signal has fired (timeouts become TIMEOUT). */
export function throwIfAborted(signal: AbortSignal): void {
  if (!signal.aborted) return;
  const reason: unknown = signal.reason;
  if (reason instanceof ConnectorError) throw reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    throw new ConnectorError(
      ConnectorErrorCode.Timeout,
      'Operation timed out',
      'Raise the timeout or narrow the scope.',
    );
  }
  throw new ConnectorError(ConnectorErrorCode.Cancelled, 'Operation cancelled');
}
