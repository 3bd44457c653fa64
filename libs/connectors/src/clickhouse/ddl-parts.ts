import { CatalogKey } from '../core/types';

/**
 * What ClickHouse shows only in a table's DDL (system.tables.create_table_query): the target of a
 * materialized view (`… TO db.target …`) and CHECK constraints (`CONSTRAINT c CHECK expr`).
 */

/** One identifier at `from`: bare, or quoted with backticks or double quotes (backslash escapes). */
function identifierAt(text: string, from: number): { name: string; end: number } | undefined {
  const quote = text[from];
  if (quote === '`' || quote === '"') {
    let name = '';
    for (let i = from + 1; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\\') name += text[++i] ?? '';
      else if (ch === quote) return { name, end: i + 1 };
      else name += ch;
    }
    return undefined;
  }
  const m = /^[A-Za-z_][\w$]*/.exec(text.slice(from));
  return m ? { name: m[0], end: from + m[0].length } : undefined;
}

/** `db.table` or `table` at `from`. */
function qualifiedNameAt(text: string, from: number): { database?: string; name: string; end: number } | undefined {
  const first = identifierAt(text, from);
  if (!first) return undefined;
  if (text[first.end] !== '.') return { name: first.name, end: first.end };
  const second = identifierAt(text, first.end + 1);
  return second ? { database: first.name, name: second.name, end: second.end } : undefined;
}

/** The table a materialized view writes to with `TO`, or undefined for one with its own inner table. */
export function materializedViewTarget(createQuery: string): { database?: string; name: string } | undefined {
  const head = /^\s*(?:ATTACH|CREATE)\s+MATERIALIZED\s+VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?/i.exec(createQuery);
  if (!head) return undefined;
  const view = qualifiedNameAt(createQuery, head[0].length);
  if (!view) return undefined;
  const rest = createQuery.slice(view.end);
  const to = /^\s+(?:UUID\s+'[^']*'\s+)?TO\s+(?:INNER\s+)?/i.exec(rest);
  if (!to) return undefined;
  const target = qualifiedNameAt(createQuery, view.end + to[0].length);
  return target && { database: target.database, name: target.name };
}

/** The top-level elements of the parenthesised column list that follows the table name. */
function columnListElements(createQuery: string): string[] {
  const open = createQuery.indexOf('(');
  if (open < 0) return [];
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (let i = open + 1; i < createQuery.length; i++) {
    const ch = createQuery[i];
    if (quote) {
      current += ch;
      if (ch === '\\') current += createQuery[++i] ?? '';
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '`' || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === ')') {
      if (depth === 0) break;
      depth--;
    } else if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** CHECK constraints of a table as keys of type 'check', the expression as the server prints it. */
export function checkConstraints(createQuery: string): CatalogKey[] {
  if (!createQuery) return [];
  const keys: CatalogKey[] = [];
  for (const element of columnListElements(createQuery)) {
    const head = /^CONSTRAINT\s+/i.exec(element);
    if (!head) continue;
    const name = identifierAt(element, head[0].length);
    if (!name) continue;
    const check = /^\s+CHECK\s+/i.exec(element.slice(name.end));
    if (!check) continue;
    keys.push({
      name: name.name,
      type: 'check',
      columns: [],
      definition: `CHECK ${element.slice(name.end + check[0].length).trim()}`,
    });
  }
  return keys;
}
