/**
 * ClickHouse literals and identifiers written safely into SQL text. Servers older than 19.x have
 * no `query_params`, so values the catalog queries need (database names, LIKE patterns) are
 * written as literals escaped the way ClickHouse's lexer reads them: a backslash escapes the next
 * character, so the quote and the backslash itself are always escaped, and control characters are
 * spelled as escapes so a literal stays on one line.
 */
const CONTROL: Record<string, string> = {
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function escapeBody(value: string, quote: "'" | '`'): string {
  let out = '';
  for (const ch of value) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (CONTROL[ch] !== undefined) out += CONTROL[ch];
    else if (ch < ' ' || ch === '\u007f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** A ClickHouse string literal: `it's` → `'it\'s'`. */
export function chString(value: string): string {
  return `'${escapeBody(value, "'")}'`;
}

/** A backquoted ClickHouse identifier: `` my`table `` → `` `my\`table` ``. */
export function chIdent(name: string): string {
  return `\`${escapeBody(name, '`')}\``;
}

/** A parenthesised list of string literals for `IN`: `('a', 'b')`. Callers skip the query when empty. */
export function chStringList(values: readonly string[]): string {
  return `(${values.map(chString).join(', ')})`;
}
