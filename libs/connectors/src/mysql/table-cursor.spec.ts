import { byNameBytes, rangeStartsStatement, tablesStatement } from './catalog-sql';
import { streamedStatementText } from './flavor';
import { Row } from './session';
import { compareNames, TableCursor } from './table-cursor';

describe('table names in the order the server sorts them', () => {
  it('orders by code point, as MariaDB orders CAST(name AS BINARY), not as UTF-16 or a case-insensitive collation', () => {
    const names = [
      'abc',
      'Abc',
      'ábc',
      'ABC_2',
      '_x',
      'Zed',
      'zeta',
      'b-1',
      'a b',
      '日本',
      'Ωmega',
      '\u{1F600}x',
      '\uFF21',
      't001',
      't0010',
    ];
    const byBytes = [...names].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
    expect([...names].sort(compareNames)).toEqual(byBytes);
    // UTF-16 order puts the emoji (a surrogate pair) before U+FF21; bytes put it after.
    expect([...names].sort()).not.toEqual(byBytes);
  });

  it('sorts names by their bytes in SQL, except on Doris which compares bytes already', () => {
    expect(byNameBytes('TABLE_NAME', 'mariadb')).toBe('CAST(TABLE_NAME AS BINARY)');
    expect(byNameBytes('TABLE_NAME', 'doris')).toBe('TABLE_NAME');
    const chunk = tablesStatement('sales', { names: ['Abc', 'abc'] }, 'mysql', false);
    expect(chunk.sql).toMatch(/TABLE_NAME IN \(\?\)\s+ORDER BY CAST\(TABLE_NAME AS BINARY\)$/);
    expect(chunk.values).toEqual(['sales', ['Abc', 'abc']]);
    const ranged = tablesStatement('sales', { include: ['a*'], range: { from: 'b', before: 'ó' } }, 'mariadb', true);
    expect(ranged.sql).toContain(
      'AND CAST(TABLE_NAME AS BINARY) >= CAST(CONVERT(? USING utf8mb4) AS BINARY) AND CAST(TABLE_NAME AS BINARY) < CAST(CONVERT(? USING utf8mb4) AS BINARY)',
    );
    expect(ranged.values).toEqual(['sales', 'a%', 'b', 'ó']);
    const starts = rangeStartsStatement('sales', { exclude: ['tmp_*'] }, 'mariadb', 4);
    expect(starts.sql).toContain('ROW_NUMBER() OVER (ORDER BY CAST(TABLE_NAME AS BINARY))');
    expect(starts.values).toEqual(['sales', 'tmp\\_%', 4]);
    const whole = tablesStatement('sales', { exclude: ['tmp_*'] }, 'mariadb', true);
    expect(whole.sql).toMatch(/NOT \(TABLE_NAME LIKE \?\)\s+ORDER BY CAST\(TABLE_NAME AS BINARY\)$/);
    expect(whole.sql).toContain('TABLE_ROWS AS table_rows');
  });

  it('lifts the per-statement limit of streamed statements, flavor by flavor', () => {
    const statement = { sql: 'SELECT 1 FROM t', values: [], settings: ["optimizer_switch = 'derived_merge=off'"] };
    expect(streamedStatementText('mariadb', statement)).toBe(
      "SET STATEMENT max_statement_time = 0, net_write_timeout = 86400, optimizer_switch = 'derived_merge=off' FOR SELECT 1 FROM t",
    );
    expect(streamedStatementText('mysql', statement)).toBe('SELECT /*+ MAX_EXECUTION_TIME(86400000) */ 1 FROM t');
    expect(streamedStatementText('doris', statement)).toBe('SELECT /*+ SET_VAR(query_timeout = 86400) */ 1 FROM t');
  });
});

describe('merge join cursor', () => {
  it('takes each table its rows, passes over rows of tables never asked for, across reads', async () => {
    const rows = ['Abc', 'Abc', 'Gone', 'abc', 'ábc', 'ábc', '日本'].map((table, i) => ({ table, i }));
    const parts = [rows.slice(0, 2), rows.slice(2, 5), rows.slice(5)];
    const source = { next: async () => parts.shift(), drain: async () => undefined, close: () => undefined };
    const cursor = new TableCursor(source, (r: Row) => String(r.table));
    const take = async (t: string) => (await cursor.take(t)).map((r) => r.i);
    expect(await take('Abc')).toEqual([0, 1]);
    expect(await take('ABC')).toEqual([]);
    expect(await take('abc')).toEqual([3]);
    expect(await take('ábc')).toEqual([4, 5]);
    expect(await take('zzz')).toEqual([]);
    expect(await take('日本')).toEqual([6]);
    expect(await take('日本語')).toEqual([]);
  });
});
