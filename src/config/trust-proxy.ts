import ipaddr from 'ipaddr.js';

/**
 * Which proxies may tell us the client's address (X-Forwarded-For), in Express's "trust proxy"
 * terms: `false` trusts none, a number trusts that many hops in front of us, a list trusts the
 * proxies whose addresses match. Never `true`: trusting every hop lets a client pick its address.
 */
export type TrustProxy = false | number | string[];

export const MAX_TRUSTED_HOPS = 16;

/** The names Express's proxy-addr understands besides addresses and CIDRs. */
const RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function checkEntry(entry: string): void {
  if (RANGE_NAMES.includes(entry)) return;
  if (entry.includes('/')) {
    const [address] = entry.split('/');
    if (!isAddress(address) || !ipaddr.isValidCIDR(entry)) throw new Error(`"${entry}" is not a valid CIDR range`);
    // A /0 range matches every address: the same as trusting every hop.
    if (ipaddr.parseCIDR(entry)[1] === 0) throw new Error(`"${entry}" would trust every address`);
    return;
  }
  if (!isAddress(entry))
    throw new Error(`"${entry}" is not an IP address, CIDR range or one of ${RANGE_NAMES.join(', ')}`);
}

function isAddress(value: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value);
}

/**
 * Parses TRUST_PROXY: unset, `false` or `0` trust none; `1`…`16` trust that many hops; a comma
 * list trusts those proxy addresses/CIDRs. `true` (the old switch, meant for one reverse proxy)
 * means one hop. Throws a message naming what is wrong.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim();
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return 1;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > MAX_TRUSTED_HOPS) throw new Error(`must be at most ${MAX_TRUSTED_HOPS} hops`);
    return hops;
  }
  const entries = value.split(',').map((e) => e.trim());
  if (entries.some((e) => e === '')) throw new Error('has an empty entry in its list');
  entries.forEach(checkEntry);
  return entries;
}
