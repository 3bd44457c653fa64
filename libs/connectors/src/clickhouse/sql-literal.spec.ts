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
