import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';

/**
 * Asks the SQL Server Browser (UDP 1434, [MC-SQLR]) which TCP port a named instance listens on:
 * CLNT_UCAST_INST (0x04 + instance name + NUL) answered by SVR_RESP (0x05, 2-byte length, then
 * `ServerName;…;InstanceName;…;tcp;<port>;;`). Doing it here lets the connection test check the
 * instance's real port and name the Browser as the culprit when it does not answer.
 */
export function instanceRequest(instanceName: string): Buffer {
  return Buffer.concat([Buffer.from([0x04]), Buffer.from(instanceName, 'latin1'), Buffer.from([0x00])]);
}

export function parseInstancePort(response: Buffer, instanceName: string): number | null {
  if (response.length < 3 || response[0] !== 0x05) return null;
  const size = response.readUInt16LE(1);
  const text = response.subarray(3, 3 + size).toString('latin1');
  // A response may describe several instances; pick the one asked for.
  for (const record of text.split(';;')) {
    const parts = record.split(';');
    const fields = new Map<string, string>();
    for (let i = 0; i + 1 < parts.length; i += 2) fields.set(parts[i].toLowerCase(), parts[i + 1]);
    if ((fields.get('instancename') ?? '').toLowerCase() !== instanceName.toLowerCase()) continue;
    const port = Number(fields.get('tcp'));
    return Number.isInteger(port) && port > 0 ? port : null;
  }
  return null;
}

export function lookupInstancePort(
  address: string,
  instanceName: string,
  timeoutMs: number,
  browserPort = 1434,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
    const done = (err: Error | null, port?: number) => {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(port!);
    };
    const timer = setTimeout(
      () =>
        done(
          new ConnectorError(
            ConnectorErrorCode.Unreachable,
            `SQL Server Browser on ${address}:${browserPort}/udp did not answer for instance "${instanceName}"`,
            'Start the SQL Server Browser service and open UDP 1434, or give the instance port and leave instance_name empty.',
          ),
        ),
      Math.min(timeoutMs, 5000),
    );
    socket.on('error', (err) =>
      done(
        new ConnectorError(
          ConnectorErrorCode.Unreachable,
          `SQL Server Browser lookup failed: ${err.message}`,
          undefined,
          err,
        ),
      ),
    );
    socket.on('message', (msg) => {
      const port = parseInstancePort(msg, instanceName);
      if (port === null) {
        done(
          new ConnectorError(
            ConnectorErrorCode.InvalidConfig,
            `Instance "${instanceName}" is unknown to the SQL Server Browser or has no TCP port`,
            'Check instance_name and that TCP/IP is enabled for the instance.',
          ),
        );
      } else done(null, port);
    });
    socket.send(instanceRequest(instanceName), browserPort, address);
  });
}
