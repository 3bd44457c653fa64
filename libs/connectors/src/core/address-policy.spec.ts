import { carriedIPv4, parseAddress } from './address-forms';
import { createAddressDecider, createAddressGuard } from './address-policy';
import { ConnectorErrorCode } from './errors';

// Policy decisions only: nothing here connects anywhere.
describe('address policy', () => {
  const defaults = createAddressDecider({ deny: [], allow: [] });
  const lockedDown = createAddressDecider({
    deny: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '::1/128', 'fc00::/7'],
    allow: [],
  });

  describe('IPv6 forms that carry an IPv4 address are checked as that address', () => {
    it.each([
      ['IPv4-compatible', '::a9fe:a9fe'],
      ['IPv4-compatible, dotted', '::169.254.169.254'],
      ['IPv4-mapped', '::ffff:a9fe:a9fe'],
      ['IPv4-mapped, dotted', '::ffff:169.254.169.254'],
      ['IPv4-mapped, bracketed', '[::ffff:169.254.169.254]'],
      ['IPv4-translated', '::ffff:0:a9fe:a9fe'],
      ['NAT64', '64:ff9b::a9fe:a9fe'],
      ['NAT64, dotted', '64:ff9b::169.254.169.254'],
      ['6to4', '2002:a9fe:a9fe::1'],
      ['Teredo', '2001:0:4136:e378:8000:63bf:5601:5601'],
    ])('%s %s reaching 169.254.169.254 is refused by default', (_form, address) => {
      expect(defaults(address)).toEqual({ refused: true, refusedAs: '169.254.169.254' });
    });

    it.each([
      ['IPv4-compatible', '::8.8.8.8'],
      ['IPv4-mapped', '::ffff:808:808'],
      ['IPv4-translated', '::ffff:0:808:808'],
      ['NAT64', '64:ff9b::808:808'],
      ['6to4', '2002:808:808::1'],
      ['Teredo', '2001:0:4136:e378:8000:63bf:f7f7:f7f7'],
    ])('%s %s reaching an allowed public IPv4 is allowed', (_form, address) => {
      expect(defaults(address)).toEqual({ refused: false });
    });

    it.each([
      ['IPv4-compatible', '::7f00:1'],
      ['IPv4-mapped', '::ffff:127.0.0.1'],
      ['IPv4-translated', '::ffff:0:7f00:1'],
      ['NAT64', '64:ff9b::7f00:1'],
      ['6to4', '2002:7f00:1::'],
      ['IPv4-mapped private', '::ffff:10.1.2.3'],
      ['NAT64 private', '64:ff9b::c0a8:101'],
    ])('%s %s follows an operator-denied IPv4 range', (_form, address) => {
      expect(lockedDown(address).refused).toBe(true);
      expect(defaults(address).refused).toBe(false);
    });

    it('lets an allowed IPv4 through in any spelling, and only that one', () => {
      const policy = createAddressDecider({ deny: ['127.0.0.0/8'], allow: ['127.0.0.5/32'] });
      expect(policy('::ffff:127.0.0.5')).toEqual({ refused: false });
      expect(policy('64:ff9b::7f00:5')).toEqual({ refused: false });
      expect(policy('::ffff:127.0.0.6')).toEqual({ refused: true, refusedAs: '127.0.0.6' });
    });

    it('does not let an allowed IPv6 prefix open a denied IPv4 it carries', () => {
      const policy = createAddressDecider({ deny: [], allow: ['64:ff9b::/96'] });
      expect(policy('64:ff9b::a9fe:a9fe')).toEqual({ refused: true, refusedAs: '169.254.169.254' });
      expect(policy('64:ff9b::808:808')).toEqual({ refused: false });
    });

    it('reads the carried address of each form', () => {
      const carried = (a: string) => carriedIPv4(parseAddress(a) as never)?.toString() ?? null;
      expect(carried('::ffff:a9fe:a9fe')).toBe('169.254.169.254');
      expect(carried('2002:c000:0204::')).toBe('192.0.2.4');
      expect(carried('2001:0:4136:e378:8000:63bf:3fff:fdd2')).toBe('192.0.2.45');
      expect(carried('2001:db8::1')).toBeNull();
    });
  });

  describe('the unspecified and loopback addresses', () => {
    it('refuses :: and 0.0.0.0/8 by default', () => {
      expect(defaults('::').refused).toBe(true);
      expect(defaults('0.0.0.0').refused).toBe(true);
      expect(defaults('0.1.2.3').refused).toBe(true);
    });

    it('keeps loopback allowed by default and refuses ::1 with 127.0.0.0/8', () => {
      expect(defaults('::1')).toEqual({ refused: false });
      expect(defaults('127.0.0.1')).toEqual({ refused: false });
      expect(createAddressDecider({ deny: ['127.0.0.0/8'], allow: [] })('::1')).toEqual({
        refused: true,
        refusedAs: '127.0.0.1',
      });
    });

    it('refuses IPv6 loopback and unique-local addresses under the README lock-down', () => {
      expect(lockedDown('::1').refused).toBe(true);
      expect(lockedDown('fd12:3456::1').refused).toBe(true);
      expect(lockedDown('fc00::1').refused).toBe(true);
      expect(lockedDown('127.0.0.2').refused).toBe(true);
      expect(lockedDown('2001:db8::1').refused).toBe(false);
    });
  });

  it('refuses IPv6 link-local and cloud metadata addresses, with or without a zone', () => {
    expect(defaults('fe80::1').refused).toBe(true);
    expect(defaults('fe80::1%eth0').refused).toBe(true);
    expect(defaults('fd00:ec2::254').refused).toBe(true);
    expect(defaults('169.254.169.254').refused).toBe(true);
    expect(defaults('100.100.100.200').refused).toBe(true);
  });

  describe('the guard', () => {
    it('resolves a name once and refuses it when any address it has is refused, in any form', async () => {
      const asked: string[] = [];
      const guard = createAddressGuard({ deny: [], allow: [] }, async (host) => {
        asked.push(host);
        return ['127.0.0.1', '::ffff:169.254.169.254'];
      });
      await expect(guard('metadata.internal')).rejects.toMatchObject({
        code: ConnectorErrorCode.AddressRefused,
        message: expect.stringContaining('169.254.169.254') as string,
      });
      expect(asked).toEqual(['metadata.internal']);
    });

    it('checks IP literals without resolving them and returns what it checked', async () => {
      const resolve = jest.fn(async () => ['127.0.0.1']);
      const guard = createAddressGuard({ deny: ['127.0.0.2/32'], allow: [] }, resolve);
      await expect(guard('[::1]')).resolves.toEqual(['::1']);
      await expect(guard('127.0.0.2')).rejects.toMatchObject({ code: ConnectorErrorCode.AddressRefused });
      await expect(guard('::ffff:127.0.0.2')).rejects.toMatchObject({ code: ConnectorErrorCode.AddressRefused });
      expect(resolve).not.toHaveBeenCalled();
    });
  });
});
