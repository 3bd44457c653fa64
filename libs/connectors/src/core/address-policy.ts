import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ConnectorError, ConnectorErrorCode } from './errors';
import { AddressGuard } from './types';

/** Link-local and cloud metadata ranges: refused unless explicitly allowed. */
export const DEFAULT_DENY_CIDRS = [
  '169.254.0.0/16', // IPv4 link-local, incl. 169.254.169.254 (AWS/GCP/Azure metadata)
  '100.100.100.200/32', // Alibaba Cloud metadata
  'fe80::/10', // IPv6 link-local
  'fd00:ec2::254/128', // AWS IPv6 metadata
  '0.0.0.0/8',
];

export interface AddressPolicy {
  deny: string[];
  allow: string[];
}

function toBlockList(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [addr, prefix] = cidr.split('/');
    const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(addr, family);
    else list.addSubnet(addr, Number(prefix), family);
  }
  return list;
}

/** Throws when a CIDR list holds something that is not an address or subnet. */
export function parseCidrList(raw: string | undefined): string[] {
  if (!raw) return [];
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    const [addr, prefix] = item.split('/');
    const version = isIP(addr);
    const max = version === 6 ? 128 : 32;
    if (!version || (prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= max))) {
      throw new Error(`"${item}" is not an IP address or CIDR range`);
    }
  }
  return items;
}

function unmapV4(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1] : address;
}

/**
 * Builds the guard every outbound connection passes: it resolves the host and refuses it if any
 * resolved address is denied and not explicitly allowed. Allow wins over deny so an operator can
 * open one address inside a denied range.
 */
export function createAddressGuard(policy: AddressPolicy): AddressGuard {
  const deny = toBlockList([...DEFAULT_DENY_CIDRS, ...policy.deny]);
  const allow = toBlockList(policy.allow);
  return async (host: string) => {
    const bare = host.replace(/^\[(.*)\]$/, '$1');
    let addresses: string[];
    if (isIP(bare)) addresses = [bare];
    else {
      try {
        addresses = (await lookup(bare, { all: true, verbatim: true })).map((a) => a.address);
      } catch (err) {
        throw new ConnectorError(
          ConnectorErrorCode.Unreachable,
          `Host "${host}" could not be resolved`,
          'Check the host name for typos and that this service can resolve it (DNS, /etc/hosts).',
          err,
        );
      }
    }
    for (const raw of addresses) {
      const address = unmapV4(raw);
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (deny.check(address, family) && !allow.check(address, family)) {
        throw new ConnectorError(
          ConnectorErrorCode.AddressRefused,
          `Connections to ${address}${address === host ? '' : ` (${host})`} are refused by the outbound-address policy`,
          'Link-local and cloud metadata addresses are refused by default; an operator can allow an address with CONNECT_ALLOW_CIDRS.',
        );
      }
    }
    return addresses;
  };
}
