import { retryDelaySeconds } from './backoff';

describe('retryDelaySeconds', () => {
  it('doubles from the base for each further attempt', () => {
    expect([2, 3, 4, 5].map((a) => retryDelaySeconds(a, 30, 3600))).toEqual([30, 60, 120, 240]);
  });

  it('is capped', () => {
    expect(retryDelaySeconds(12, 30, 3600)).toBe(3600);
  });
});
