import { compileGlob, matchGlob } from './glob-matcher';

/** The backtracking reading of a glob, for cross-checking on inputs too small to hurt. */
function reference(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

describe('glob matcher', () => {
  it.each([
    // glob, name, matches
    ['temp_*', 'temp_2024', true],
    ['temp_*', 'temp_', true],
    ['temp_*', 'xtemp_', false],
    ['*_bak', 'orders_bak', true],
    ['*_bak', 'orders_bak2', false],
    ['a.b?', 'a.bc', true],
    ['a.b?', 'axbc', false],
    ['a.b?', 'a.b', false],
    ['?', '', false],
    ['?', 'x', true],
    ['*', '', true],
    ['*', 'anything at all', true],
    ['', '', true],
    ['', 'x', false],
    ['**', 'ab', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXcYYb', false],
    ['*a*a*a', 'aaa', true],
    ['*a*a*a', 'aa', false],
    ['Users', 'users', false],
    ['USERS*', 'USERS_2024', true],
    ['[abc]', '[abc]', true],
    ['[abc]', 'a', false],
    ['(x|y)+', '(x|y)+', true],
    ['(x|y)+', 'x', false],
    ['100%', '100%', true],
    ['a_b', 'axb', false],
    ['^$\\', '^$\\', true],
    ['line*', 'line\nbreak', true],
  ])('%j against %j is %s', (glob, name, expected) => {
    expect(matchGlob(glob, name)).toBe(expected);
    expect(compileGlob(glob).test(name)).toBe(expected);
  });

  it('agrees with the backtracking reading on every small glob and name', () => {
    const alphabet = ['a', 'b', '*', '?', '.'];
    const words = (max: number): string[] => {
      let level = [''];
      const all = [''];
      for (let len = 1; len <= max; len++) {
        level = level.flatMap((w) => alphabet.map((c) => w + c));
        all.push(...level);
      }
      return all;
    };
    const globs = words(4);
    const names = words(5).filter((w) => !/[*?]/.test(w));
    for (const glob of globs) {
      const re = reference(glob);
      for (const name of names) {
        if (matchGlob(glob, name) !== re.test(name))
          throw new Error(`${JSON.stringify(glob)} vs ${JSON.stringify(name)} disagree`);
      }
    }
  });

  it('answers a 20-star glob against a 10,000-character name at once', () => {
    const glob = `${'*a'.repeat(20)}*b`;
    const name = 'a'.repeat(10_000);
    // A backtracking regex needs ~10,000^20 steps here; the matcher at most 10,000 × 41.
    expect(matchGlob(glob, name)).toBe(false);
    expect(matchGlob(glob, `${name}b`)).toBe(true);
    expect(compileGlob(`${'*?'.repeat(20)}*`).test(name)).toBe(true);
  });
});
