import { clientAddressOfCall, clientAddressOfRequest } from './client-address';

describe('client address', () => {
  it('reads the gRPC peer without its port, in every spelling grpc-js uses', () => {
    const peer = (p: string) => clientAddressOfCall({ getPeer: () => p });
    expect(peer('127.0.0.1:51234')).toBe('127.0.0.1');
    expect(peer('ipv4:127.0.0.1:51234')).toBe('127.0.0.1');
    expect(peer('[::1]:51234')).toBe('::1');
    expect(peer('ipv6:[::ffff:10.1.2.3]:51234')).toBe('10.1.2.3');
    expect(clientAddressOfCall(undefined)).toBe('unknown');
  });

  it('spells an HTTP client one way, whatever socket family it came in on', () => {
    expect(clientAddressOfRequest({ ip: '::ffff:127.0.0.1' })).toBe('127.0.0.1');
    expect(clientAddressOfRequest({ ip: '203.0.113.9' })).toBe('203.0.113.9');
    expect(clientAddressOfRequest({ socket: { remoteAddress: '::1' } })).toBe('::1');
    expect(clientAddressOfRequest({})).toBe('unknown');
  });
});
