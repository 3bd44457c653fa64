import { groupByUrlLength, isSystemName } from './collect';

describe('groupByUrlLength', () => {
  it('keeps each index list under the request-line budget and loses no name', () => {
    const names = Array.from({ length: 400 }, (_, i) => `logs-service-${String(i).padStart(4, '0')}`);
    const groups = groupByUrlLength(names);
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.flat()).toEqual(names);
    for (const group of groups) expect(encodeURIComponent(group.join(',')).length).toBeLessThanOrEqual(3000);
  });

  it('puts one over-long name in a group of its own', () => {
    expect(groupByUrlLength(['a'.repeat(5000), 'b'])).toEqual([['a'.repeat(5000)], ['b']]);
  });
});

describe('isSystemName', () => {
  it('treats dot-prefixed names as system names', () => {
    expect(isSystemName('.kibana')).toBe(true);
    expect(isSystemName('kibana')).toBe(false);
  });
});
