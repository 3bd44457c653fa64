import { scopeParameters } from './collect';

describe('PostgreSQL collection scope', () => {
  it('turns the scope into bound LIKE patterns and keeps system schemas out unless named', () => {
    expect(scopeParameters({ includeSchemas: ['sales_*'], excludeTables: ['tmp?'] })).toEqual([
      ['sales\\_%'],
      [],
      ['pg_catalog', 'information_schema', 'pg_toast'],
      [],
      ['tmp_'],
    ]);
    expect(scopeParameters({ includeSchemas: ['pg_catalog'] })[2]).toEqual(['information_schema', 'pg_toast']);
  });
});
