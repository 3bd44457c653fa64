import { attachTopValues, planProfile, ProfileDialect, readProfile } from './profile';

describe('profile plan and reading', () => {
  const dialect: ProfileDialect = {
    quoteIdent: (n) => `"${n}"`,
    comparable: (t) => !/LOB/.test(t),
    metric: (m, col) => `${m.toUpperCase()}(${col})`,
  };
  const target = {
    namespace: 'S',
    name: 'T',
    fields: [
      { name: 'ID', dataType: 'NUMBER(10,0)' },
      { name: 'NAME', dataType: 'VARCHAR2(20)' },
      { name: 'PASSWORD', dataType: 'VARCHAR2(64)' },
      { name: 'BODY', dataType: 'CLOB' },
      { name: 'CREATED', dataType: 'DATE' },
    ],
  };

  it('chooses metrics by type family and hides values of secret-looking columns', () => {
    const plan = planProfile(target, { topValues: true }, dialect);
    expect(plan.map((c) => [c.name, c.metrics, c.topValues])).toEqual([
      ['ID', ['nonnull', 'distinct', 'min', 'max', 'mean', 'stddev'], true],
      ['NAME', ['nonnull', 'distinct', 'min', 'max', 'min_length', 'max_length', 'avg_length'], true],
      ['PASSWORD', ['nonnull', 'distinct', 'min_length', 'max_length', 'avg_length'], false],
      ['BODY', ['nonnull', 'min_length', 'max_length', 'avg_length'], false],
      ['CREATED', ['nonnull', 'distinct', 'min', 'max'], true],
    ]);
  });

  it('reads an aggregate row (upper-case keys, numbers as strings) into column profiles', () => {
    const plan = planProfile(target, { topValues: true }, dialect);
    const profile = readProfile(
      {
        TOTAL_ROWS: '1000',
        SAMPLE_ROWS: 100,
        C0_NONNULL: 100,
        C0_DISTINCT: 100,
        C0_MIN: 1,
        C0_MAX: '9007199254740993',
        C0_MEAN: 50.5,
        C0_STDDEV: 29.01,
        C1_NONNULL: 80,
        C1_DISTINCT: 8,
        C1_MIN: 'a',
        C1_MAX: 'z',
        C1_MIN_LENGTH: 1,
        C1_MAX_LENGTH: 5,
        C1_AVG_LENGTH: 2.5,
        C2_NONNULL: 100,
        C2_DISTINCT: 100,
        C2_MIN_LENGTH: 64,
        C2_MAX_LENGTH: 64,
        C2_AVG_LENGTH: 64,
        C3_NONNULL: 0,
        C3_MIN_LENGTH: null,
        C3_MAX_LENGTH: null,
        C3_AVG_LENGTH: null,
        C4_NONNULL: 100,
        C4_DISTINCT: 3,
        C4_MIN: new Date('2024-01-01T00:00:00Z'),
        C4_MAX: new Date('2024-02-01T00:00:00Z'),
      },
      plan,
    );
    expect(profile).toMatchObject({ row_count: 1000, sampled: true, sample_rows: 100 });
    expect(profile.columns[0]).toEqual({
      name: 'ID',
      null_count: 0,
      null_ratio: 0,
      distinct_count: 100,
      distinct_ratio: 1,
      min: 1,
      max: '9007199254740993',
      mean: 50.5,
      stddev: 29.01,
    });
    expect(profile.columns[1]).toEqual({
      name: 'NAME',
      null_count: 20,
      null_ratio: 0.2,
      distinct_count: 8,
      distinct_ratio: 0.1,
      min: 'a',
      max: 'z',
      min_length: 1,
      max_length: 5,
      avg_length: 2.5,
    });
    expect(profile.columns[2]).not.toHaveProperty('min');
    expect(profile.columns[3]).toEqual({
      name: 'BODY',
      null_count: 100,
      null_ratio: 1,
      distinct_count: 0,
      distinct_ratio: 0,
      min_length: null,
      max_length: null,
      avg_length: null,
    });
    expect(profile.columns[4]).toMatchObject({ min: '2024-01-01T00:00:00.000Z', max: '2024-02-01T00:00:00.000Z' });

    attachTopValues(
      profile,
      plan,
      [
        { COL_INDEX: 1, V: 'b', N: '3' },
        { COL_INDEX: 1, V: null, N: '20' },
        { COL_INDEX: 1, V: 'a', N: '3' },
        { COL_INDEX: 0, V: 7, N: 1 },
      ],
      2,
    );
    expect(profile.columns[1].top_values).toEqual([
      { value: null, count: 20 },
      { value: 'a', count: 3 },
    ]);
    expect(profile.columns[0].top_values).toEqual([{ value: '7', count: 1 }]);
    expect(profile.columns[2].top_values).toBeUndefined();
  });
});
