import { columnsSql, databasesSql, tablesSql } from './catalog-sql';

describe('ClickHouse catalog SQL', () => {
  const features = {
    tables: new Set(['engine_full', 'partition_key', 'create_table_query', 'is_temporary']),
    columns: new Set(['comment', 'position']),
  };

  it('writes scope globs as escaped LIKE literals and hides system databases', () => {
    const sql = databasesSql({ includeSchemas: ['sales_*', "o'k"], excludeSchemas: ['tmp?'] });
    expect(sql).toBe(
      "SELECT name, engine FROM system.databases WHERE (name LIKE 'sales\\\\_%' OR name LIKE 'o\\'k') AND name NOT LIKE 'tmp_' AND name NOT IN ('system', 'INFORMATION_SCHEMA', 'information_schema') ORDER BY name",
    );
    expect(databasesSql({ includeSchemas: ['system'] })).not.toContain("'system',");
  });

  it('selects optional columns only where the server has them', () => {
    const sql = tablesSql(['db'], {}, features);
    expect(sql).toContain('partition_key');
    expect(sql).toContain("'' AS sampling_key");
    expect(sql).toContain('NULL AS total_rows');
    expect(sql).toContain('is_temporary = 0');
    expect(columnsSql(['db'], {}, features)).toContain('toUInt64(position) AS ord');
    expect(columnsSql(['db'], {}, { tables: new Set(), columns: new Set() })).toContain(
      'rowNumberInAllBlocks() AS ord',
    );
  });

  it('restricts incremental column reads to the changed tables as escaped tuples', () => {
    expect(columnsSql(['d'], {}, features, [['d', "t'1"]])).toContain("(database, table) IN (('d', 't\\'1'))");
  });
});
