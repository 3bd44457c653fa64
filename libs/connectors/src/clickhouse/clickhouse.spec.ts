import { ConnectorErrorCode } from '../core/errors';
import { columnsSql, databasesSql, tablesSql } from './catalog-sql';
import { assetKindOf, isNullableType, splitExpressionList, ttlOf } from './collect';
import { classifyClickHouseError } from './errors';
import { unwrapType } from './profile';
import { chIdent, chString } from './sql-literal';

/** Reads a ClickHouse single-quoted literal back the way the server's lexer does. */
function unquote(literal: string): string {
  expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
  const body = literal.slice(1, -1);
  const simple: Record<string, string> = { '0': '\0', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === "'") throw new Error(`unescaped quote at ${i} in ${literal}`);
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next === undefined) throw new Error('dangling backslash');
    if (next === 'x') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else out += simple[next] ?? next;
  }
  return out;
}

describe('ClickHouse string literals', () => {
  it('escapes quotes, backslashes and control characters', () => {
    expect(chString("it's")).toBe("'it\\'s'");
    expect(chString('a\\b')).toBe("'a\\\\b'");
    expect(chString('line\nnext\ttab\0nul\u0001')).toBe("'line\\nnext\\ttab\\0nul\\x01'");
    expect(chString('ünïcødé 数据')).toBe("'ünïcødé 数据'");
  });

  it.each([
    "' OR 1=1 --",
    "x') OR ('1'='1",
    "\\'; DROP DATABASE db; --",
    '\\',
    "'",
    "\\\\'",
    "a'\n; SELECT 1 FORMAT TSV",
    "''''",
    '\u0000\u001f\u007f',
  ])('round-trips injection attempt %j as one literal', (attempt) => {
    const literal = chString(attempt);
    expect(unquote(literal)).toBe(attempt);
    expect(literal).not.toMatch(/\n/);
  });

  it('quotes identifiers with backquotes', () => {
    expect(chIdent('events')).toBe('`events`');
    expect(chIdent('we`ird\\')).toBe('`we\\`ird\\\\`');
  });
});

describe('ClickHouse catalog SQL', () => {
  const features = { tables: new Set(['engine_full', 'partition_key', 'create_table_query', 'is_temporary']), columns: new Set(['comment', 'position']) };

  it('writes scope globs as escaped LIKE literals and hides system databases', () => {
    const sql = databasesSql({ includeSchemas: ["sales_*", "o'k"], excludeSchemas: ['tmp?'] });
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
    expect(columnsSql(['db'], {}, { tables: new Set(), columns: new Set() })).toContain('rowNumberInAllBlocks() AS ord');
  });

  it('restricts incremental column reads to the changed tables as escaped tuples', () => {
    expect(columnsSql(['d'], {}, features, [["d", "t'1"]])).toContain("(database, table) IN (('d', 't\\'1'))");
  });
});

describe('ClickHouse catalog helpers', () => {
  it('splits key expressions at top-level commas', () => {
    expect(splitExpressionList('id, s')).toEqual(['id', 's']);
    expect(splitExpressionList("toDate(ts), cityHash64(a, b), 'x,y'")).toEqual(['toDate(ts)', 'cityHash64(a, b)', "'x,y'"]);
    expect(splitExpressionList('')).toEqual([]);
  });

  it('finds the table TTL in engine_full', () => {
    expect(ttlOf('MergeTree ORDER BY id TTL d + toIntervalMonth(1) SETTINGS index_granularity = 8192')).toBe('d + toIntervalMonth(1)');
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

describe('ClickHouse error classification', () => {
  const cases: Array<[string, unknown, ConnectorErrorCode]> = [
    ['18.x wrong password', new Error('Code: 193, e.displayText() = DB::Exception: Wrong password for user x, e.what() = DB::Exception'), ConnectorErrorCode.AuthFailed],
    ['18.x unknown user', new Error('Code: 192, e.displayText() = DB::Exception: Unknown user x'), ConnectorErrorCode.AuthFailed],
    ['new AUTHENTICATION_FAILED', Object.assign(new Error('x: Authentication failed: password is incorrect'), { code: '516', type: 'AUTHENTICATION_FAILED' }), ConnectorErrorCode.AuthFailed],
    ['new ACCESS_DENIED', Object.assign(new Error('Not enough privileges'), { code: '497', type: 'ACCESS_DENIED' }), ConnectorErrorCode.PermissionDenied],
    ['database access denied', new Error('Code: 291, e.displayText() = DB::Exception: Access denied to database t1'), ConnectorErrorCode.PermissionDenied],
    ['unknown database', new Error("Code: 81. DB::Exception: Database x doesn't exist. (UNKNOWN_DATABASE)"), ConnectorErrorCode.InvalidConfig],
    ['timeout exceeded', new Error('Code: 159. DB::Exception: Timeout exceeded. (TIMEOUT_EXCEEDED)'), ConnectorErrorCode.Timeout],
    ['syntax error', new Error('Code: 62. DB::Exception: Syntax error'), ConnectorErrorCode.Protocol],
    ['refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), ConnectorErrorCode.Unreachable],
    ['client timeout', new Error('Timeout error.'), ConnectorErrorCode.Timeout],
    ['tls', Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), ConnectorErrorCode.Tls],
    ['aborted', Object.assign(new Error('The user aborted a request.'), { name: 'AbortError' }), ConnectorErrorCode.Cancelled],
  ];
  it.each(cases)('%s', (_label, err, code) => {
    expect(classifyClickHouseError(err).code).toBe(code);
  });

  it('drops the e.what() tail of 18.x messages', () => {
    expect(classifyClickHouseError(new Error('Code: 193, e.displayText() = DB::Exception: Wrong password for user x, e.what() = DB::Exception')).message).toBe(
      'Code: 193, e.displayText() = DB::Exception: Wrong password for user x',
    );
  });
});
