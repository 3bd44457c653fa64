import { Socket } from 'node:net';
import { connect as tlsConnect, TLSSocket } from 'node:tls';
import type { ISocketFactory } from 'kafkajs';
import { AddressGuard } from '../core/types';

/**
 * A kafkajs socket factory that passes every broker address through the outbound-address guard,
 * including the brokers the cluster advertises after bootstrap, and connects to the address
 * the guard resolved (so a DNS answer cannot change between the check and the connection).
 */
export function guardedSocketFactory(guard: AddressGuard, onRefused?: (err: unknown) => void): ISocketFactory {
  return ({ host, port, ssl, onConnect }) => {
    const raw = new Socket();
    let secure: TLSSocket | undefined;
    if (ssl) {
      // TLS waits for the raw socket to connect, then handshakes with the broker's own name.
      const options = typeof ssl === 'object' ? ssl : {};
      secure = tlsConnect({ ...options, socket: raw, servername: options.servername ?? host }, onConnect);
    }
    guard(host).then(
      ([address]) => raw.connect({ host: address, port }, secure ? undefined : onConnect),
      (err: Error) => {
        // kafkajs keeps only the message of a socket error; hand the typed error to the connector.
        onRefused?.(err);
        raw.destroy(err);
        secure?.destroy(err);
      },
    );
    return secure ?? raw;
  };
}
