import { DomainException } from '../common/errors/domain.exception';
import { assertStrongPassword, passwordProblems } from './password-policy';

describe('password policy', () => {
  it('accepts a long password of unrelated words', () => {
    expect(passwordProblems('kettle-orbit-violet-42', 'alice')).toEqual([]);
  });

  it('refuses a short one, naming the length', () => {
    expect(passwordProblems('k3!xQ9#p', 'alice')).toContain('must be at least 12 characters');
  });

  it('refuses the username and a password containing it, whatever the case', () => {
    expect(passwordProblems('MalloryMallory', 'mallory')).toContain('must not contain the username');
    expect(passwordProblems('mallory-orbit-violet-42', 'Mallory')).toEqual(['must not contain the username']);
    expect(passwordProblems('administrator', 'administrator')).toContain('must not be the username');
  });

  it('refuses commonly used passwords and what is built from them, even when long enough', () => {
    for (const common of ['password1234', 'qwertyuiop123', 'iloveyou1234', 'P@ssw0rd2024!']) {
      const problems = passwordProblems(common, 'alice');
      expect(problems.join(' ')).toMatch(/commonly used password/);
      expect(problems.join(' ')).toMatch(/strength [0-2] of 4, needs 3/);
    }
  });

  it('names repeats and sequences', () => {
    expect(passwordProblems('aaaaaaaaaaaaaaa', 'alice').join(' ')).toContain('repeats the same characters');
    expect(passwordProblems('abcdefghijklmnop', 'alice').join(' ')).toContain('simple sequence');
  });

  it('throws the 400 envelope exception naming the field and every problem', () => {
    let thrown: unknown;
    try {
      assertStrongPassword('bob-secret', 'bob');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DomainException);
    const e = thrown as DomainException;
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toBe('Password too weak');
    expect(e.details).toMatch(/^password: must be at least 12 characters; must not contain the username/);
  });
});
