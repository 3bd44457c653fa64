import { ConnectorError, ConnectorErrorCode } from '../core/errors';

interface ErrorLike {
  name?: string;
  message?: string;
  type?: string;
  code?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

/** kafkajs wraps causes (retries exceeded → original error → cause); walk the chain. */
function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let current: unknown = err;
  while (typeof current === 'object' && current !== null && out.length < 6) {
    const e = current as ErrorLike;
    out.push(e);
    current = e.originalError ?? e.cause;
  }
  return out;
}

/** Maps a kafkajs error onto a typed ConnectorError with advice. */
export function classifyKafkaError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const links = chain(err);
  const top = err instanceof Error ? err.message : String(err);
  const has = (test: (e: ErrorLike) => boolean) => links.some(test);

  if (has((e) => e.name === 'KafkaJSSASLAuthenticationError' || e.type === 'SASL_AUTHENTICATION_FAILED')) {
    return new ConnectorError(
      ConnectorErrorCode.AuthFailed,
      `Kafka refused the SASL login: ${top}`,
      'Check sasl_mechanism, sasl_username and sasl_password, and that the listener on this port expects SASL.',
      err,
    );
  }
  if (
    has(
      (e) =>
        e.type === 'UNSUPPORTED_SASL_MECHANISM' ||
        e.type === 'ILLEGAL_SASL_STATE' ||
        /mechanism is not supported/i.test(e.message ?? ''),
    )
  ) {
    return new ConnectorError(
      ConnectorErrorCode.AuthFailed,
      `The broker does not accept this SASL mechanism: ${top}`,
      'Pick the mechanism the listener is configured for (sasl.enabled.mechanisms).',
      err,
    );
  }
  if (has((e) => /AUTHORIZATION_FAILED$/.test(e.type ?? ''))) {
    return new ConnectorError(
      ConnectorErrorCode.PermissionDenied,
      `The Kafka user lacks a permission: ${top}`,
      'Grant DESCRIBE on the cluster, topics and groups and DESCRIBE_CONFIGS on topics.',
      err,
    );
  }
  if (
    has((e) => e.name === 'KafkaJSRequestTimeoutError' || /timeout/i.test(e.message ?? '') || e.code === 'ETIMEDOUT')
  ) {
    return new ConnectorError(
      ConnectorErrorCode.Timeout,
      `Kafka did not answer in time: ${top}`,
      'Raise the timeout; check that advertised listeners are reachable from this service.',
      err,
    );
  }
  if (
    has((e) => e.name === 'KafkaJSConnectionError' || e.code === 'ECONNREFUSED' || e.name === 'KafkaJSBrokerNotFound')
  ) {
    return new ConnectorError(
      ConnectorErrorCode.Unreachable,
      `Kafka is unreachable: ${top}`,
      "Check the brokers list, and that the brokers' advertised listeners resolve and are reachable from this service.",
      err,
    );
  }
  if (has((e) => /certificate|SSL|TLS|EPROTO/i.test(e.message ?? ''))) {
    return new ConnectorError(
      ConnectorErrorCode.Tls,
      `TLS with Kafka failed: ${top}`,
      'Check the ssl setting and the broker certificates.',
      err,
    );
  }
  if (has((e) => e.name === 'KafkaJSServerDoesNotSupportApiKey')) {
    return new ConnectorError(
      ConnectorErrorCode.Unsupported,
      `The broker does not support a request the catalog needs: ${top}`,
      undefined,
      err,
    );
  }
  return new ConnectorError(ConnectorErrorCode.Protocol, `Kafka error: ${top}`, undefined, err);
}
