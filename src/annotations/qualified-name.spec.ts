import { displayName, fromParts, kindOf, partsOf, targetKey } from './qualified-name';

describe('qualified names', () => {
  it('give the same key to the same name, whatever row it lives in now', () => {
    const a = targetKey({ dataSourceId: 'ds-1', namespace: 'public', asset: 'orders' });
    expect(targetKey({ dataSourceId: 'ds-1', namespace: 'public', asset: 'orders' })).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tell every level and every part apart', () => {
    const keys = [
      targetKey({ dataSourceId: 'ds-1' }),
      targetKey({ dataSourceId: 'ds-1', namespace: '' }),
      targetKey({ dataSourceId: 'ds-1', namespace: 'public' }),
      targetKey({ dataSourceId: 'ds-1', namespace: 'public', asset: 'orders' }),
      targetKey({ dataSourceId: 'ds-1', namespace: 'public', asset: 'orders', field: 'id' }),
      targetKey({ dataSourceId: 'ds-2', namespace: 'public', asset: 'orders', field: 'id' }),
      // Joining with a separator would make these two collide.
      targetKey({ dataSourceId: 'ds-1', namespace: 'a.b', asset: 'c' }),
      targetKey({ dataSourceId: 'ds-1', namespace: 'a', asset: 'b.c' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is case-sensitive, as the sources are', () => {
    expect(targetKey({ dataSourceId: 'ds-1', namespace: 'p', asset: 'Orders' })).not.toBe(
      targetKey({ dataSourceId: 'ds-1', namespace: 'p', asset: 'orders' }),
    );
  });

  it('round-trips through the stored parts', () => {
    const q = { dataSourceId: 'ds-1', namespace: 'public', asset: 'orders', field: 'address.city' };
    expect(kindOf(q)).toBe('field');
    expect(fromParts('field', partsOf(q))).toEqual(q);
    expect(fromParts('namespace', partsOf({ dataSourceId: 'ds-1', namespace: 'x' }))).toEqual({
      dataSourceId: 'ds-1',
      namespace: 'x',
    });
    expect(displayName(q)).toBe('ds-1/public/orders#address.city');
  });

  it('refuses a field without its asset', () => {
    expect(() => partsOf({ dataSourceId: 'ds-1', field: 'x' })).toThrow();
  });
});
