import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { addressForms, parseAddress } from './address-forms';
import { ConnectorError, ConnectorErrorCode } from './errors';
import { AddressGuard } from './types';

/** Link-local and cloud metadata ranges, and the unspecified address: refused unless explicitly allowed. */
export const DEFAULT_DENY_CIDRS = [
  '169.254.0.0/16', // IPv4 link-local, incl. 169.254.169.254 (AWS/GCP/Azure metadata)
  '100.100.100.200/32', // Alibaba Cloud metadata
  'fe80::/10', // IPv6 link-local
  'fd00:ec2::254/128', // AWS IPv6 metadata
  '0.0.0.0/8', // "this host": reaches local services
  '::/128', // the IPv6 unspecified address, same as 0.0.0.0
];

export interface AddressPolicy {
  deny: string[];
  allow: string[];
}

/** Resolves a host name to every address it has (the system resolver by default). */
export type HostResolver = (host: string) => Promise<string[]>;

const systemResolver: HostResolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function toRanges(cidrs: string[]): Range[] {
  return cidrs.map((cidr) => {
    const [addr, prefix] = cidr.split('/');
    const parsed = ipaddr.parse(addr);
    return [parsed, prefix === undefined ? (parsed.kind() === 'ipv4' ? 32 : 128) : Number(prefix)];
  });
}

function inRanges(address: ipaddr.IPv4 | ipaddr.IPv6, ranges: Range[]): boolean {
  return ranges.some(([net, bits]) => net.kind() === address.kind() && address.match(net, bits));
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

/** The policy's answer for one address: refused, and under which form (the IPv4 an IPv6 form carries). */
export interface AddressDecision {
  refused: boolean;
  /** The form that was refused, e.g. `169.254.169.254` for `::ffff:a9fe:a9fe`. */
  refusedAs?: string;
}

/**
 * The policy decision for one IP literal. Every form of the address (itself, and the IPv4 an IPv6
 * form carries) must pass: a form is refused when it is in a denied range and not in an allowed
 * one. Allow wins over deny so an operator can open one address inside a denied range.
 */
export function createAddressDecider(policy: AddressPolicy): (address: string) => AddressDecision {
  const deny = toRanges([...DEFAULT_DENY_CIDRS, ...policy.deny]);
  const allow = toRanges(policy.allow);
  return (address) => {
    const parsed = parseAddress(address);
    // Not an IP literal: nothing to connect to, so nothing is let through.
    if (!parsed) return { refused: true, refusedAs: address };
    for (const form of addressForms(parsed)) {
      if (inRanges(form, deny) && !inRanges(form, allow)) return { refused: true, refusedAs: form.toString() };
    }
    return { refused: false };
  };
}

/**
 * Builds the guard every outbound connection passes: it resolves the host once and refuses it if
 * any resolved address is refused by the policy. The caller connects to the addresses it returns,
 * never resolving the name again.
 */
export function createAddressGuard(policy: AddressPolicy, resolve: HostResolver = systemResolver): AddressGuard {
  const decide = createAddressDecider(policy);
  return async (host: string) => {
    const bare = host.replace(/^\[(.*)\]$/, '$1');
    let addresses: string[];
    if (isIP(bare)) addresses = [bare];
    else {
      try {
        addresses = await resolve(bare);
      } catch (err) {
        throw new ConnectorError(
          ConnectorErrorCode.Unreachable,
          `Host "${host}" could not be resolved`,
          'Check the host name for typos and that this service can resolve it (DNS, /etc/hosts).',
          err,
        );
      }
      if (addresses.length === 0) {
        throw new ConnectorError(
          ConnectorErrorCode.Unreachable,
          `Host "${host}" could not be resolved`,
          'Check the host name for typos and that this service can resolve it (DNS, /etc/hosts).',
        );
      }
    }
    for (const address of addresses) {
      const decision = decide(address);
      if (decision.refused) {
        const shown = decision.refusedAs === address ? address : `${address} (${decision.refusedAs})`;
        throw new ConnectorError(
          ConnectorErrorCode.AddressRefused,
          `Connections to ${shown}${address === bare ? '' : ` (${host})`} are refused by the outbound-address policy`,
          'Link-local and cloud metadata addresses are refused by default; an operator can allow an address with CONNECT_ALLOW_CIDRS.',
        );
      }
    }
    return addresses;
  };
}
