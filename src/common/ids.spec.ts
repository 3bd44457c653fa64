import { decodeTime } from 'ulid';
import { newId } from './ids';

describe('newId', () => {
  it('is the prefix and a lower-case ULID of the current time', () => {
    const before = Date.now();
    const id = newId('ds');
    expect(id).toMatch(/^ds-[0-9a-hjkmnp-tv-z]{26}$/);
    expect(decodeTime(id.slice(3).toUpperCase())).toBeGreaterThanOrEqual(before);
  });

  it('stays unique and uses the whole alphabet across many ids (the random pool is refilled)', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('req'));
    expect(new Set(ids).size).toBe(ids.length);
    const randomPart = ids.map((id) => id.slice(4 + 10)).join('');
    const counts = new Map<string, number>();
    for (const c of randomPart) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(32);
    // Uniform: each character within 10 % of its expected share (320,000 characters, 10,000 each).
    for (const n of counts.values()) expect(Math.abs(n - randomPart.length / 32)).toBeLessThan(randomPart.length / 320);
  });
});
