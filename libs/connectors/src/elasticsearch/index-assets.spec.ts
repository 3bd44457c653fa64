import { changeSignalOf, settingsSummary, stableJson } from './index-assets';

describe('settingsSummary', () => {
  it('turns string settings into numbers, booleans and ISO dates', () => {
    expect(
      settingsSummary({
        number_of_shards: '3',
        number_of_replicas: '2',
        creation_date: '0',
        hidden: 'true',
        blocks: { write: 'true' },
        lifecycle: { name: 'hot-warm' },
      }),
    ).toEqual({
      number_of_shards: 3,
      number_of_replicas: 2,
      creation_date: '1970-01-01T00:00:00.000Z',
      hidden: true,
      blocks: { write: 'true' },
      lifecycle_policy: 'hot-warm',
    });
  });
});

describe('change signals', () => {
  it('do not depend on key order, and do change with content', () => {
    expect(stableJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
    expect(changeSignalOf({ a: 1, b: 2 })).toBe(changeSignalOf({ b: 2, a: 1 }));
    expect(changeSignalOf({ a: 1 })).not.toBe(changeSignalOf({ a: 2 }));
  });
});
