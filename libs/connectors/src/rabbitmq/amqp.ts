/** The AMQP side of the connection test: log in with amqplib and read the broker's server properties. */
import { connect } from 'amqplib';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { ServerIdentity } from '../core/diagnostics';
import { RabbitSettings } from './config';

export function classifyAmqpError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/403|ACCESS.REFUSED/.test(message)) {
    return new ConnectorError(
      ConnectorErrorCode.AuthFailed,
      `RabbitMQ refused the login: ${message}`,
      'Check username and password; note that the guest user may only log in from localhost unless loopback_users is changed.',
      err,
    );
  }
  if (/530|NOT.ALLOWED|ConnectionClose/.test(message)) {
    return new ConnectorError(
      ConnectorErrorCode.PermissionDenied,
      `RabbitMQ closed the connection while opening the vhost: ${message}`,
      'Check that the vhost exists and that the user has permissions on it (rabbitmqctl set_permissions).',
      err,
    );
  }
  if (/ETIMEDOUT|timed? ?out/i.test(message)) {
    return new ConnectorError(
      ConnectorErrorCode.Timeout,
      `The AMQP handshake did not finish: ${message}`,
      'Check that the port is the AMQP port (5672, or 5671 with ssl) and raise the timeout.',
      err,
    );
  }
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH/.test(message)) {
    return new ConnectorError(
      ConnectorErrorCode.Unreachable,
      `RabbitMQ is unreachable: ${message}`,
      'Check host and port.',
      err,
    );
  }
  if (/certificate|SSL|TLS|EPROTO/i.test(message)) {
    return new ConnectorError(
      ConnectorErrorCode.Tls,
      `TLS with RabbitMQ failed: ${message}`,
      'Check the ssl setting and the broker certificate.',
      err,
    );
  }
  return new ConnectorError(
    ConnectorErrorCode.Protocol,
    `AMQP error: ${message}`,
    'Check that the port speaks AMQP 0-9-1.',
    err,
  );
}

/** Opens and closes one AMQP connection to `address` (already checked by the address guard). */
export async function amqpLogin(settings: RabbitSettings, address: string): Promise<ServerIdentity> {
  const model = await connect(
    {
      protocol: settings.ssl ? 'amqps' : 'amqp',
      hostname: address,
      port: settings.port,
      username: settings.username,
      password: settings.password,
      vhost: settings.vhost,
      heartbeat: 0,
    },
    { timeout: settings.timeoutMs, servername: settings.host },
  );
  try {
    const props = model.connection.serverProperties;
    const version = typeof props.version === 'string' ? props.version : undefined;
    const product = typeof props.product === 'string' ? props.product : 'AMQP broker';
    return { serverInfo: `${product} ${version ?? ''}`.trim(), version };
  } finally {
    await model.close().catch(() => undefined);
  }
}
