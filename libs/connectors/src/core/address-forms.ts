import ipaddr from 'ipaddr.js';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

/** An IPv6 prefix whose addresses carry an IPv4 address, and where it sits. */
interface EmbeddingPrefix {
  name: string;
  range: [IPv6, number];
  /** The carried IPv4 as two 16-bit parts of the IPv6 address. */
  carried: (parts: number[]) => [number, number];
}

const tail = (p: number[]): [number, number] => [p[6], p[7]];

// The routes to an IPv4 host through IPv6; each is checked as the IPv4 it reaches.
const EMBEDDINGS: EmbeddingPrefix[] = [
  { name: 'IPv4-mapped', range: ipaddr.IPv6.parseCIDR('::ffff:0:0/96'), carried: tail },
  { name: 'IPv4-translated', range: ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96'), carried: tail },
  { name: 'IPv4-compatible', range: ipaddr.IPv6.parseCIDR('::/96'), carried: tail },
  { name: 'NAT64', range: ipaddr.IPv6.parseCIDR('64:ff9b::/96'), carried: tail },
  { name: '6to4', range: ipaddr.IPv6.parseCIDR('2002::/16'), carried: (p) => [p[1], p[2]] },
  // Teredo: the client's IPv4 is stored inverted in the last 32 bits.
  { name: 'Teredo', range: ipaddr.IPv6.parseCIDR('2001::/32'), carried: (p) => [p[6] ^ 0xffff, p[7] ^ 0xffff] },
];

const fromParts = ([hi, lo]: [number, number]): IPv4 => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);

/**
 * The IPv4 address an IPv6 address reaches, if any. `::` and `::1` are the IPv6 unspecified and
 * loopback addresses, so they stand for `0.0.0.0` and `127.0.0.1` rather than IPv4-compatible
 * forms of `0.0.0.0`/`0.0.0.1`.
 */
export function carriedIPv4(address: IPv6): IPv4 | null {
  const p = address.parts;
  if (p.slice(0, 7).every((x) => x === 0)) {
    if (p[7] === 0) return ipaddr.IPv4.parse('0.0.0.0');
    if (p[7] === 1) return ipaddr.IPv4.parse('127.0.0.1');
  }
  for (const embedding of EMBEDDINGS) {
    if (address.match(embedding.range)) return fromParts(embedding.carried(p));
  }
  return null;
}

/** Parses an IP literal (brackets and zone id allowed); null when it is not one. */
export function parseAddress(text: string): IPv4 | IPv6 | null {
  const bare = text.replace(/^\[(.*)\]$/, '$1');
  // Only canonical literals: shorthand IPv4 such as `127.1` is a name the resolver answers for.
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (ipaddr.IPv6.isValid(bare)) return ipaddr.IPv6.parse(bare);
  return null;
}

/**
 * Every form under which an address must pass the policy: itself, and for IPv6 the IPv4 address
 * it carries (mapped, compatible, translated, NAT64, 6to4, Teredo), so a denied IPv4 range cannot
 * be reached by spelling it as IPv6.
 */
export function addressForms(address: IPv4 | IPv6): Array<IPv4 | IPv6> {
  if (address.kind() === 'ipv4') return [address];
  const carried = carriedIPv4(address as IPv6);
  return carried ? [address, carried] : [address];
}
