import { globToLike } from '../core/scope';

/**
 * Registers one bound value and returns the placeholder to write into the SQL text
 * (e.g. `:s0` for Oracle, `@s0` for SQL Server, an escaped literal for sources without binds).
 */
export type BindValue = (value: string) => string;

/**
 * A SQL condition applying include/exclude globs to `column` as `LIKE … ESCAPE '\'` tests whose
 * patterns are bound through `bind`, so no text the user typed reaches the SQL itself.
 * An empty include list means "everything"; returns `1=1` when there is nothing to filter.
 *
 * `escapeClause` is the text after each pattern; sources whose LIKE already treats `\` as the
 * escape character (ClickHouse) pass an empty string. `toPattern` turns a glob into the dialect's
 * pattern (SQL Server also escapes `[`, which its LIKE reads as a character class).
 */
export function scopeCondition(
  column: string,
  include: readonly string[] | undefined,
  exclude: readonly string[] | undefined,
  bind: BindValue,
  escapeClause = " ESCAPE '\\'",
  toPattern: (glob: string) => string = globToLike,
): string {
  const parts: string[] = [];
  if (include && include.length > 0) {
    parts.push(`(${include.map((g) => `${column} LIKE ${bind(toPattern(g))}${escapeClause}`).join(' OR ')})`);
  }
  for (const g of exclude ?? []) parts.push(`${column} NOT LIKE ${bind(toPattern(g))}${escapeClause}`);
  return parts.length > 0 ? parts.join(' AND ') : '1=1';
}

/** Collects named bind values as a query is built: `const b = new NamedBinds('s'); b.add('x') → ':s0'`. */
export class NamedBinds {
  readonly values: Record<string, string | number> = {};
  private next = 0;

  constructor(
    private readonly prefix: string,
    private readonly marker: ':' | '@' = ':',
  ) {}

  /** Adds a value and returns its placeholder. */
  readonly add = (value: string | number): string => {
    const name = `${this.prefix}${this.next++}`;
    this.values[name] = value;
    return `${this.marker}${name}`;
  };
}
