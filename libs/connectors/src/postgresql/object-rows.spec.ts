import {
  routineAsset,
  RoutineRow,
  sequenceAsset,
  SequenceRow,
  triggerAsset,
  TriggerRow,
  userTypeAsset,
} from './object-rows';

const trigger = (overrides: Partial<TriggerRow>): TriggerRow => ({
  namespace: 's',
  table_name: 'orders',
  name: 'audit',
  owner: 'postgres',
  comment: null,
  type: 0,
  enabled: 'O',
  function_namespace: 's',
  function_name: 'audit_fn',
  definition: 'CREATE TRIGGER audit …',
  is_constraint: false,
  inherited: false,
  update_columns: [],
  ...overrides,
});

const routine = (overrides: Partial<RoutineRow>): RoutineRow => ({
  namespace: 's',
  name: 'f',
  argument_types: 'integer',
  prokind: 'f',
  owner: 'postgres',
  comment: null,
  language: 'sql',
  volatility: 'v',
  strict: false,
  security_definer: false,
  parallel: 'u',
  returns_set: false,
  returns: 'integer',
  definition: 'CREATE FUNCTION …',
  arguments: [{ name: 'a', type: 'integer', mode: 'i', default: null }],
  ...overrides,
});

describe('PostgreSQL objects beside tables as assets', () => {
  it('reads timing, events and level from pg_trigger.tgtype bits', () => {
    // ROW | BEFORE | INSERT | UPDATE
    expect(triggerAsset(trigger({ type: 1 | 2 | 4 | 16 })).properties).toMatchObject({
      timing: 'BEFORE',
      events: ['INSERT', 'UPDATE'],
      level: 'ROW',
      enabled: true,
    });
    // INSTEAD OF DELETE, per row
    expect(triggerAsset(trigger({ type: 1 | 64 | 8 })).properties).toMatchObject({
      timing: 'INSTEAD OF',
      events: ['DELETE'],
    });
    // AFTER TRUNCATE, per statement, disabled
    const after = triggerAsset(trigger({ type: 32, enabled: 'D' }));
    expect(after).toMatchObject({ name: 'orders.audit', kind: 'trigger' });
    expect(after.properties).toMatchObject({
      timing: 'AFTER',
      events: ['TRUNCATE'],
      level: 'STATEMENT',
      enabled: false,
      fires: 'DISABLED',
    });
  });

  it('names a routine by its signature so overloads stay apart, and gives unnamed arguments their position', () => {
    const one = routineAsset(routine({}));
    const two = routineAsset(
      routine({
        argument_types: 'integer, text',
        arguments: [
          { name: 'a', type: 'integer', mode: 'i', default: null },
          { name: null, type: 'text', mode: 'i', default: "'x'::text" },
          { name: 'total', type: 'numeric', mode: 'o', default: null },
        ],
      }),
    );
    expect([one.name, two.name]).toEqual(['f(integer)', 'f(integer, text)']);
    expect(two.fields.map((f) => [f.ordinal, f.name, f.dataType, f.default, f.properties?.mode])).toEqual([
      [1, 'a', 'integer', null, 'IN'],
      [2, '$2', 'text', "'x'::text", 'IN'],
      [3, 'total', 'numeric', null, 'OUT'],
    ]);
    const procedure = routineAsset(routine({ prokind: 'p', returns: null }));
    expect(procedure.kind).toBe('procedure');
    expect(procedure.properties).not.toHaveProperty('returns');
  });

  it('gives each object a change signal that moves exactly when its entry does', () => {
    const seq: SequenceRow = {
      namespace: 's',
      name: 'ids',
      owner: 'postgres',
      comment: null,
      persistence: 'p',
      data_type: 'bigint',
      start: '1',
      increment: '1',
      min: '1',
      max: '9223372036854775807',
      cache: '1',
      cycle: false,
      owned_namespace: null,
      owned_table: null,
      owned_column: null,
      owned_how: null,
    };
    expect(sequenceAsset(seq).changeSignal).toBe(sequenceAsset({ ...seq }).changeSignal);
    expect(sequenceAsset({ ...seq, max: '100' }).changeSignal).not.toBe(sequenceAsset(seq).changeSignal);
    expect(sequenceAsset(seq).properties!.max).toBe('9223372036854775807');
  });

  it('keeps enum labels in order as fields and a domain’s checks as keys', () => {
    const base = {
      namespace: 's',
      owner: 'postgres',
      comment: null,
      base_type: null,
      default_value: null,
      not_null: false,
      collation: null,
      constraints: null,
      labels: null,
      attributes: null,
      subtype: null,
    };
    const mood = userTypeAsset({ ...base, name: 'mood', typtype: 'e', rendered: 's.mood', labels: ['b', 'a'] });
    expect(mood.fields.map((f) => [f.ordinal, f.name])).toEqual([
      [1, 'b'],
      [2, 'a'],
    ]);
    const positive = userTypeAsset({
      ...base,
      name: 'positive',
      typtype: 'd',
      rendered: 's.positive',
      base_type: 'integer',
      default_value: '1',
      not_null: true,
      constraints: [{ name: 'positive_check', definition: 'CHECK (VALUE > 0)' }],
    });
    expect(positive.properties).toMatchObject({
      type_kind: 'domain',
      base_type: 'integer',
      default: '1',
      not_null: true,
    });
    expect(positive.keys).toEqual([
      { name: 'positive_check', type: 'check', columns: [], definition: 'CHECK (VALUE > 0)' },
    ]);
  });
});
