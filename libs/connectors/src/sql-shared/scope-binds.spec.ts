import { NamedBinds, scopeCondition } from './scope-binds';

describe('scope conditions with bound patterns', () => {
  it('binds include and exclude globs as LIKE patterns', () => {
    const binds = new NamedBinds('s');
    const sql = scopeCondition('OWNER', ['APP_*', "O'K"], ['APP_TMP?'], binds.add);
    expect(sql).toBe("(OWNER LIKE :s0 ESCAPE '\\' OR OWNER LIKE :s1 ESCAPE '\\') AND OWNER NOT LIKE :s2 ESCAPE '\\'");
    expect(binds.values).toEqual({ s0: 'APP\\_%', s1: "O'K", s2: 'APP\\_TMP_' });
  });

  it('is a no-op without globs and uses the marker asked for', () => {
    expect(scopeCondition('x', undefined, [], new NamedBinds('p').add)).toBe('1=1');
    const at = new NamedBinds('t', '@');
    expect(scopeCondition('name', ['a'], undefined, at.add)).toBe("(name LIKE @t0 ESCAPE '\\')");
  });
});
