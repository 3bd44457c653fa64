import { Double, Int32, Long, ObjectId } from 'mongodb';
import { profileField, valuesAt } from './field-profile';

const docs = [
  {
    _id: new ObjectId(),
    status: 'active',
    amount: new Int32(10),
    when: new Date('2024-01-01T00:00:00Z'),
    tags: ['a', 'b'],
    user: { password: 'hunter2', city: 'Oslo' },
  },
  {
    _id: new ObjectId(),
    status: 'active',
    amount: new Double(20.5),
    when: new Date('2024-03-01T00:00:00Z'),
    tags: ['a'],
    user: { password: 'letmein', city: 'Rome' },
  },
  { _id: new ObjectId(), status: 'blocked', amount: Long.fromNumber(30), tags: [], user: { city: null } },
  { _id: new ObjectId(), status: null, amount: null },
];

describe('valuesAt', () => {
  it('follows dotted paths and array elements', () => {
    expect(valuesAt(docs[0], 'user.city')).toEqual(['Oslo']);
    expect(valuesAt(docs[0], 'tags[]')).toEqual(['a', 'b']);
    expect(valuesAt({ items: [{ sku: 'x' }, { sku: 'y' }, {}] }, 'items[].sku')).toEqual(['x', 'y']);
    expect(valuesAt(docs[3], 'user.city')).toEqual([]);
  });
});

describe('profileField', () => {
  const opts = { topValues: true, topN: 2 };

  it('counts nulls (missing paths included), distinct values and string lengths', () => {
    expect(profileField(docs, 'status', opts)).toEqual({
      name: 'status',
      null_count: 1,
      null_ratio: 0.25,
      distinct_count: 2,
      distinct_ratio: 0.666667,
      min_length: 6,
      max_length: 7,
      avg_length: 6.333333,
      top_values: [
        { value: 'active', count: 2 },
        { value: 'blocked', count: 1 },
      ],
    });
  });

  it('computes min, max, mean and stddev over int, double and long alike', () => {
    const amount = profileField(docs, 'amount', { topValues: false, topN: 5 });
    expect(amount).toMatchObject({ null_count: 1, distinct_count: 3, min: 10, max: 30, mean: 20.166667 });
    expect(amount.stddev).toBeCloseTo(8.1683, 3);
    expect(amount.top_values).toBeUndefined();
  });

  it('reports date ranges as ISO text', () => {
    expect(profileField(docs, 'when', opts)).toMatchObject({
      null_count: 2,
      min: '2024-01-01T00:00:00.000Z',
      max: '2024-03-01T00:00:00.000Z',
    });
  });

  it('profiles array elements one observation each', () => {
    // a, b, a as values; the empty array and the missing field count as one null each.
    expect(profileField(docs, 'tags[]', opts)).toMatchObject({
      null_count: 2,
      distinct_count: 2,
      top_values: [
        { value: 'a', count: 2 },
        { value: 'b', count: 1 },
      ],
    });
  });

  it('never shows values of secret-looking fields, only counts and lengths', () => {
    const secret = profileField(docs, 'user.password', opts);
    expect(secret).toEqual({
      name: 'user.password',
      null_count: 2,
      null_ratio: 0.5,
      distinct_count: 2,
      distinct_ratio: 1,
      min_length: 7,
      max_length: 7,
      avg_length: 7,
    });
  });
});
