import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, AgentOptions as HttpsAgentOptions } from 'node:https';
import type { LookupAddress } from 'node:dns';
import { isIP, LookupFunction, NetConnectOpts } from 'node:net';
import type { Duplex } from 'node:stream';
import { AddressGuard } from './types';

/**
 * A `lookup` that answers with addresses already checked, never asking DNS: the socket goes
 * exactly where the policy looked.
 */
export function pinnedLookup(addresses: string[]): LookupFunction {
  const all: LookupAddress[] = addresses.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
  return (hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
    if (wanted.length === 0) {
      callback(
        Object.assign(new Error(`No IPv${options.family} address for ${hostname}`), { code: 'ENOTFOUND' }),
        '',
        4,
      );
      return;
    }
    if (options.all) (callback as unknown as (err: null, addresses: LookupAddress[]) => void)(null, wanted);
    else callback(null, wanted[0].address, wanted[0].family);
  };
}

export interface GuardedAgentOptions extends HttpsAgentOptions {
  /** TLS (an https agent) or plain HTTP. */
  secure: boolean;
}

type ConnectionFactory = (
  options: NetConnectOpts,
  callback?: (err: Error | null, socket?: Duplex) => void,
) => Duplex | undefined;

/**
 * An http(s) agent whose every new connection first passes the address guard: the host is
 * resolved and checked once, and the socket connects to the checked address (an IP literal is
 * checked too, where Node would skip `lookup`). The request keeps the name for the Host header,
 * TLS SNI and certificate checks. Drivers that own their HTTP stack take it as their agent.
 */
export function createGuardedAgent(guard: AddressGuard, { secure, ...options }: GuardedAgentOptions): HttpAgent {
  const agent: HttpAgent = secure ? new HttpsAgent(options) : new HttpAgent(options);
  const connect = (agent.createConnection as ConnectionFactory).bind(agent);
  // The asynchronous form Node's Agent documents: no socket returned, one handed to the callback.
  (agent as unknown as { createConnection: ConnectionFactory }).createConnection = (connectOptions, callback) => {
    const host = 'host' in connectOptions && connectOptions.host ? connectOptions.host : 'localhost';
    guard(host).then(
      (addresses) => {
        let socket: Duplex | undefined;
        try {
          socket = connect({ ...connectOptions, lookup: pinnedLookup(addresses) } as NetConnectOpts);
        } catch (err) {
          callback?.(err as Error);
          return;
        }
        callback?.(null, socket);
      },
      (err: Error) => callback?.(err),
    );
    return undefined;
  };
  return agent;
}
