import { retryDelayMs } from './webhook-dispatcher';

describe('retryDelayMs', () => {
  it('doubles per attempt with ±50% jitter, capped', () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 0.5)).toBe(1000);
    expect(retryDelayMs(3, 1000, 60_000, () => 0.5)).toBe(4000);
    expect(retryDelayMs(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(retryDelayMs(3, 1000, 60_000, () => 0.999)).toBeLessThan(6000);
    expect(retryDelayMs(20, 1000, 60_000, () => 0.5)).toBe(60_000);
  });
});
