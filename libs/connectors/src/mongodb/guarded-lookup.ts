import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import { AddressGuard } from '../core/types';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the driver's sockets that resolves through the address guard. The driver
 * connects to more hosts than the config names (replica-set members it discovers, SRV targets),
 * and every name it connects to passes the guard; the socket then uses the very addresses the
 * guard checked, so DNS cannot answer differently between check and connect. Members advertised
 * as literal IP addresses skip lookup in Node: MemberGuard checks those.
 */
export function guardedLookup(guard: AddressGuard) {
  return (
    hostname: string,
    options: LookupOneOptions | LookupAllOptions | number | undefined,
    callback: LookupCallback,
  ): void => {
    const opts = typeof options === 'object' && options !== null ? options : { family: options };
    guard(hostname).then(
      (addresses) => {
        const all = addresses.map((address): LookupAddress => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
        const wanted = opts.family === 4 || opts.family === 6 ? all.filter((a) => a.family === opts.family) : all;
        if (wanted.length === 0) {
          callback(Object.assign(new Error(`No IPv${opts.family} address for ${hostname}`), { code: 'ENOTFOUND' }), '');
          return;
        }
        if ('all' in opts && opts.all) callback(null, wanted);
        else callback(null, wanted[0].address, wanted[0].family);
      },
      (err: unknown) => callback(err as NodeJS.ErrnoException, ''),
    );
  };
}
