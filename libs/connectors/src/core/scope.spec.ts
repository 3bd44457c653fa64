import { assetInScope, globToLike, globToRegExp } from './scope';

describe('scope globs', () => {
  it('matches * and ? and escapes regex characters', () => {
    expect(globToRegExp('temp_*').test('temp_2024')).toBe(true);
    expect(globToRegExp('temp_*').test('xtemp_')).toBe(false);
    expect(globToRegExp('a.b?').test('a.bc')).toBe(true);
    expect(globToRegExp('a.b?').test('axbc')).toBe(false);
  });

  it('turns globs into LIKE patterns with escaped wildcards', () => {
    expect(globToLike('temp_*')).toBe('temp\\_%');
    expect(globToLike('100%?')).toBe('100\\%_');
  });

  it('applies include then exclude lists to namespace and name', () => {
    const scope = { includeSchemas: ['public'], excludeTables: ['temp_*'] };
    expect(assetInScope(scope, 'public', 'users')).toBe(true);
    expect(assetInScope(scope, 'public', 'temp_x')).toBe(false);
    expect(assetInScope(scope, 'other', 'users')).toBe(false);
  });
});
