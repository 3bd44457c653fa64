import { DataSource } from 'typeorm';
import { escapeLike, likeContains } from '../../database/like';
import { buildSearchCountSql, buildSearchSql, ftsPhrase } from './search-sql';
import { dialectOf } from './sql-dialect';

const dialect = (type: string) => dialectOf({ options: { type } } as unknown as DataSource);

/** The placeholders in text order, resolved to the values bound to them. */
function bound(sql: string, params: unknown[], store: string): unknown[] {
  if (store === 'postgres') return [...sql.matchAll(/\$(\d+)/g)].map((m) => params[Number(m[1]) - 1]);
  const count = (sql.match(/\?/g) ?? []).length;
  expect(count).toBe(params.length);
  return params;
}

describe('search SQL', () => {
  it('escapes LIKE wildcards so they match themselves', () => {
    expect(escapeLike('50%_off!')).toBe('50!%!_off!!');
    expect(likeContains('Cust_ID')).toBe('%cust!_id%');
  });

  it('quotes FTS phrases, doubling quotes', () => {
    expect(ftsPhrase('say "hi"')).toBe('"say ""hi"""');
  });

  it.each(['better-sqlite3', 'postgres', 'mysql'])('binds every placeholder in text order on %s', (type) => {
    const d = dialect(type);
    const { sql, params } = buildSearchSql(d, { q: 'Customer', dataSourceId: 'ds-1', limit: 20, offset: 40 });
    const values = bound(sql, params, d.store);
    // The page comes last; the source filter closes each branch.
    expect(values.slice(-2)).toEqual([20, 40]);
    expect(values.filter((v) => v === 'ds-1')).toHaveLength(2);
    expect(values[0]).toBe('customer');
    const count = buildSearchCountSql(d, { q: 'Customer', dataSourceId: 'ds-1' });
    expect(count.sql).not.toMatch(/LIMIT/);
    bound(count.sql, count.params, d.store);
  });

  it('on SQLite, narrows candidates through the trigram tables from three characters on', () => {
    const d = dialect('better-sqlite3');
    const long = buildSearchSql(d, { q: 'cus', limit: 5, offset: 0 });
    expect(long.sql).toContain('catalog_fields_fts MATCH ?');
    // Each MATCH placeholder is immediately followed by the LIKE re-check of the same branch.
    const afterRank = long.params.indexOf('"cus"');
    expect(long.params.slice(afterRank, afterRank + 3)).toEqual(['"cus"', '%cus%', '%cus%']);
    expect(buildSearchSql(d, { q: 'cu', limit: 5, offset: 0 }).sql).not.toContain('MATCH');
  });

  it('searches only assets or only fields when asked', () => {
    const d = dialect('postgres');
    expect(buildSearchSql(d, { q: 'x', type: 'asset', limit: 1, offset: 0 }).sql).not.toContain('catalog_fields');
    expect(buildSearchSql(d, { q: 'x', type: 'field', limit: 1, offset: 0 }).sql).toContain(
      'catalog_fields f JOIN catalog_assets a',
    );
  });
});
