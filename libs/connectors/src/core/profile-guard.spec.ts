import { looksSecret, mayShowValues } from './profile-guard';

describe('profile guard', () => {
  it.each([
    'password',
    'user_password',
    'PasswordHash',
    'passwd',
    'api_key',
    'apiKey',
    'APIKEY',
    'secret',
    'client_secret',
    'access_token',
    'refreshToken',
    'salt',
    'pw_hash',
    'ssn',
    'credit_card_number',
    'card_no',
    'cvv',
    'pin_code',
    'session_id',
    'private_key',
    'auth',
  ])('treats %s as secret', (name) => {
    expect(looksSecret(name)).toBe(true);
    expect(mayShowValues(name)).toBe(false);
  });

  it.each([
    'id',
    'email',
    'name',
    'created_at',
    'author',
    'spinner',
    'monkey',
    'country',
    'amount',
    'status',
    'hashtag_count',
  ])('lets %s show values', (name) => {
    expect(looksSecret(name)).toBe(false);
    expect(mayShowValues(name)).toBe(true);
  });
});
