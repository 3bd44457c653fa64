import { assetKindOf, isNullableType, splitExpressionList, ttlOf } from './collect';
import { unwrapType } from './profile';

describe('ClickHouse catalog helpers', () => {
  it('splits key expressions at top-level commas', () => {
    expect(splitExpressionList('id, s')).toEqual(['id', 's']);
    expect(splitExpressionList("toDate(ts), cityHash64(a, b), 'x,y'")).toEqual([
      'toDate(ts)',
      'cityHash64(a, b)',
      "'x,y'",
    ]);
    expect(splitExpressionList('')).toEqual([]);
  });

  it('finds the table TTL in engine_full', () => {
    expect(ttlOf('MergeTree ORDER BY id TTL d + toIntervalMonth(1) SETTINGS index_granularity = 8192')).toBe(
      'd + toIntervalMonth(1)',
    );
    expect(ttlOf('MergeTree ORDER BY id TTL d + toIntervalDay(7)')).toBe('d + toIntervalDay(7)');
    expect(ttlOf('MergeTree ORDER BY id SETTINGS index_granularity = 8192')).toBeNull();
  });

  it('maps engines to kinds and reads nullability from the type', () => {
    expect(assetKindOf('ReplicatedMergeTree')).toBe('table');
    expect(assetKindOf('View')).toBe('view');
    expect(assetKindOf('MaterializedView')).toBe('materialized_view');
    expect(assetKindOf('MySQL')).toBe('external_table');
    expect(isNullableType('Nullable(String)')).toBe(true);
    expect(isNullableType('LowCardinality(Nullable(String))')).toBe(true);
    expect(isNullableType('Array(Nullable(String))')).toBe(false);
    expect(unwrapType('LowCardinality(Nullable(String))')).toBe('String');
  });
});
