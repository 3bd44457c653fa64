import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';

export const MIN_PASSWORD_LENGTH = 12;
/** zxcvbn's 0…4 scale: 3 is "safely unguessable" (about 10^8 guesses and up). */
const MIN_SCORE = 3;

// The common-password list and keyboard layouts; no language dictionaries, so the check stays
// language-neutral. Set once for the process.
zxcvbnOptions.setOptions({ dictionary, graphs: adjacencyGraphs });

/** zxcvbn's warning keys, said the way the envelope says things. */
const WARNINGS: Record<string, string> = {
  topTen: 'is one of the most used passwords',
  topHundred: 'is one of the most used passwords',
  common: 'is a commonly used password',
  similarToCommon: 'is a commonly used password or too close to one',
  straightRow: 'is a row of keys on the keyboard',
  keyPattern: 'is a keyboard pattern',
  simpleRepeat: 'repeats the same characters',
  extendedRepeat: 'repeats the same characters',
  sequences: 'is a simple sequence such as abc or 123',
  recentYears: 'is mostly a recent year',
  dates: 'is mostly a date',
  userInputs: 'is too close to the username',
};

/**
 * What is wrong with a password, one phrase per problem (empty when it is good enough): at least
 * MIN_PASSWORD_LENGTH characters, not the username nor containing it, and not guessable (zxcvbn
 * score ≥ 3, which refuses common passwords and what is built from them).
 */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) problems.push(`must be at least ${MIN_PASSWORD_LENGTH} characters`);
  const name = username.trim().toLowerCase();
  if (name && password.toLowerCase().includes(name))
    problems.push(password.toLowerCase() === name ? 'must not be the username' : 'must not contain the username');
  const result = zxcvbn(password, name ? [name] : []);
  if (result.score < MIN_SCORE) {
    const common = result.sequence.some((m) => m.pattern === 'dictionary' && m.dictionaryName === 'passwords');
    const warning = result.feedback.warning ? WARNINGS[result.feedback.warning] : undefined;
    const said = warning ?? (common ? 'is a commonly used password or built from one' : 'is too easy to guess');
    const repeatsUsername = result.feedback.warning === 'userInputs' && problems.some((p) => p.includes('username'));
    if (!repeatsUsername)
      problems.push(
        `${said} (strength ${result.score} of 4, needs ${MIN_SCORE}; a few unrelated words or a generated password will do)`,
      );
  }
  return problems;
}

/** 400 in the envelope naming every problem, for user create, password change, and the like. */
export function assertStrongPassword(password: string, username: string, field = 'password'): void {
  const problems = passwordProblems(password, username);
  if (!problems.length) return;
  throw new DomainException(ErrorReason.PasswordTooWeak, 'Password too weak', `${field}: ${problems.join('; ')}`);
}
