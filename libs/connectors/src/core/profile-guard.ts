/**
 * Column names that suggest secret or personal data. Profiles never publish sample values
 * (top values, minimum, maximum) for such columns, only counts and lengths, so a catalog
 * reader cannot learn a password hash or a card number from a profile.
 */
const SECRET_WORDS = [
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'key',
  'hash',
  'salt',
  'ssn',
  'credit',
  'card',
  'cvv',
  'cvc',
  'iban',
  'pin',
  'otp',
  'credential',
  'auth',
  'signature',
  'private',
  'apikey',
  'sessionid',
];

/** Splits `userPasswordHash`, `api_key`, `X-Auth-Token` into lower-case words. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * True when a column's name looks secret: one of its words is a secret word (`api_key`,
 * `PasswordHash`, `card_no`), or the whole name contains a long secret word (`apikey`,
 * `userpassword`). Short words like `pin` and `key` only count as whole words, so `spinner`
 * and `monkey` pass while `pin_code` and `sort_key` do not.
 */
export function looksSecret(columnName: string): boolean {
  const parts = words(columnName);
  if (parts.some((w) => SECRET_WORDS.includes(w))) return true;
  const squashed = parts.join('');
  return SECRET_WORDS.some((w) => w.length >= 5 && squashed.includes(w));
}

/** Whether a profile may publish values (top values, min/max) of this column. */
export function mayShowValues(columnName: string): boolean {
  return !looksSecret(columnName);
}
