import { proxyInFront } from './security-headers';

describe('proxyInFront', () => {
  it.each([
    [undefined, false],
    [false, false],
    [0, false],
    ['', false],
    ['false', false],
    [[], false],
    [true, true],
    [1, true],
    [2, true],
    ['true', true],
    [['10.0.0.0/8'], true],
    ['loopback', true],
  ])('TRUST_PROXY as %j means a proxy in front: %s', (value, expected) => {
    expect(proxyInFront(value)).toBe(expected);
  });
});
