import { schemataStatement, tableNamesStatement } from './catalog-sql';

describe('MySQL catalog statements', () => {
  it('binds scope globs as LIKE patterns and hides system databases unless named', () => {
    const s = schemataStatement(
      ['sales_*', 'mysql'],
      ['sales_tmp?'],
      ['information_schema', 'mysql', 'performance_schema', 'sys'],
    );
    expect(s.sql).toContain(
      '(SCHEMA_NAME LIKE ? OR SCHEMA_NAME LIKE ?) AND NOT (SCHEMA_NAME LIKE ?) AND SCHEMA_NAME NOT IN (?)',
    );
    expect(s.values).toEqual([
      'sales\\_%',
      'mysql',
      'sales\\_tmp_',
      ['information_schema', 'performance_schema', 'sys'],
    ]);
    const names = tableNamesStatement("o'brien", undefined, ['tmp_*']);
    expect(names.sql).not.toContain("o'brien");
    expect(names.values).toEqual(["o'brien", 'tmp\\_%']);
  });
});
