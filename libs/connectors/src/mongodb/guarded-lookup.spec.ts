import { LookupAddress } from 'node:dns';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { guardedLookup } from './guarded-lookup';

function lookupWith(addresses: string[] | Error, hostname: string, options: object) {
  const seen: string[] = [];
  const lookup = guardedLookup(async (host) => {
    seen.push(host);
    if (addresses instanceof Error) throw addresses;
    return addresses;
  });
  return new Promise<{ err: unknown; address: string | LookupAddress[]; family?: number; seen: string[] }>((resolve) =>
    lookup(hostname, options, (err, address, family) => resolve({ err, address, family, seen })),
  );
}

describe('guardedLookup', () => {
  it('answers with the addresses the guard checked, all of them when asked', async () => {
    const all = await lookupWith(['10.1.2.3', 'fd00::5'], 'db.internal', { all: true });
    expect(all).toEqual({
      err: null,
      address: [
        { address: '10.1.2.3', family: 4 },
        { address: 'fd00::5', family: 6 },
      ],
      family: undefined,
      seen: ['db.internal'],
    });
    const one = await lookupWith(['10.1.2.3', 'fd00::5'], 'db.internal', { family: 6 });
    expect(one).toMatchObject({ err: null, address: 'fd00::5', family: 6 });
  });

  it("passes the guard's refusal to the socket", async () => {
    const refusal = new ConnectorError(ConnectorErrorCode.AddressRefused, 'refused');
    const result = await lookupWith(refusal, 'metadata.internal', {});
    expect(result.err).toBe(refusal);
  });

  it('fails like DNS when no address of the wanted family exists', async () => {
    const result = await lookupWith(['10.1.2.3'], 'db.internal', { family: 6 });
    expect(result.err).toMatchObject({ code: 'ENOTFOUND' });
  });
});
