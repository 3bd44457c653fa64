import { parseTrustProxy } from './trust-proxy';
import { validateEnv } from './env.schema';

describe('parseTrustProxy', () => {
  it('trusts no proxy when unset, empty, false or 0', () => {
    for (const raw of [undefined, '', ' ', 'false', '0']) expect(parseTrustProxy(raw)).toBe(false);
  });

  it('takes a hop count', () => {
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy(' 2 ')).toBe(2);
    expect(() => parseTrustProxy('17')).toThrow(/at most 16/);
  });

  it('maps the legacy true to one hop, never to every hop', () => {
    expect(parseTrustProxy('true')).toBe(1);
  });

  it('takes a comma list of proxy addresses, CIDRs and proxy-addr range names', () => {
    expect(parseTrustProxy('10.0.0.1')).toEqual(['10.0.0.1']);
    expect(parseTrustProxy('10.0.0.0/8, 192.168.1.7 ,fd00::/8,::1')).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      '::1',
    ]);
    expect(parseTrustProxy('loopback,uniquelocal')).toEqual(['loopback', 'uniquelocal']);
  });

  it('refuses what would trust every address or is not an address', () => {
    expect(() => parseTrustProxy('0.0.0.0/0')).toThrow(/every address/);
    expect(() => parseTrustProxy('::/0')).toThrow(/every address/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/not a valid CIDR/);
    expect(() => parseTrustProxy('proxy.example.com')).toThrow(/not an IP address/);
    expect(() => parseTrustProxy('10.0.0.1,,10.0.0.2')).toThrow(/empty entry/);
    expect(() => parseTrustProxy('-1')).toThrow();
    expect(() => parseTrustProxy('1.5')).toThrow();
    expect(() => parseTrustProxy('yes')).toThrow();
    expect(() => parseTrustProxy('256.1.1.1')).toThrow();
  });

  it('is checked at start with a message naming TRUST_PROXY', () => {
    expect(validateEnv({}).TRUST_PROXY).toBe(false);
    expect(validateEnv({ TRUST_PROXY: '127.0.0.1/32' }).TRUST_PROXY).toEqual(['127.0.0.1/32']);
    expect(() => validateEnv({ TRUST_PROXY: '0.0.0.0/0' })).toThrow(
      /TRUST_PROXY: "0\.0\.0\.0\/0" would trust every address/,
    );
  });
});

describe('METRICS_TOKEN', () => {
  it('is optional, empty counts as unset, and a set one is long enough to guess at no rate', () => {
    expect(validateEnv({}).METRICS_TOKEN).toBeUndefined();
    expect(validateEnv({ METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
    expect(validateEnv({ METRICS_TOKEN: 'm'.repeat(16) }).METRICS_TOKEN).toBe('m'.repeat(16));
    expect(() => validateEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});
