import { scopeOf } from '../executions/run-config';
import { normalizeConfig } from './task-config';

describe('normalizeConfig', () => {
  it('fills defaults and keeps profile settings for data_profile only', () => {
    const full = normalizeConfig('full_collection', { include_schemas: ['public'] });
    expect(full).toEqual({
      include_schemas: ['public'],
      exclude_schemas: [],
      include_tables: [],
      exclude_tables: [],
      batch_size: 1000,
      timeout: 3600,
      retry_count: 0,
    });
    const profile = normalizeConfig('data_profile', { sample_rows: 500 });
    expect(profile.sample_rows).toBe(500);
    expect(profile.top_values).toBe(true);
    expect(profile.top_n).toBe(10);
  });

  it('keeps top_values on a collection task only when asked (most common values from source statistics)', () => {
    expect(normalizeConfig('full_collection', { top_values: true }).top_values).toBe(true);
    expect(normalizeConfig('incremental_collection', {}).top_values).toBeUndefined();
    expect(normalizeConfig('schema_only', { top_values: true }).top_values).toBeUndefined();
  });

  it('merges an update key by key', () => {
    const base = normalizeConfig('schema_only', {
      include_schemas: ['public'],
      exclude_tables: ['temp_*'],
      timeout: 60,
    });
    const updated = normalizeConfig('schema_only', { batch_size: 2000 }, base);
    expect(updated).toMatchObject({
      include_schemas: ['public'],
      exclude_tables: ['temp_*'],
      timeout: 60,
      batch_size: 2000,
    });
  });

  it('maps globs to the connector scope', () => {
    const c = normalizeConfig('full_collection', { include_schemas: ['s*'], exclude_tables: ['tmp_*'] });
    expect(scopeOf(c)).toEqual({
      includeSchemas: ['s*'],
      excludeSchemas: [],
      includeTables: [],
      excludeTables: ['tmp_*'],
    });
  });
});
