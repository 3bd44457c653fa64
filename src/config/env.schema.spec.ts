import { validateEnv } from './env.schema';

describe('validateEnv', () => {
  it('fills the documented defaults', () => {
    const env = validateEnv({});
    expect(env.PORT).toBe(8080);
    expect(env.GRPC_PORT).toBe(9090);
    expect(env.DATABASE_URL).toBe('sqlite:./data/metadata.db');
    expect(env.JWT_EXPIRES_IN).toBe(3600);
    expect(env.ADMIN_USERNAME).toBe('admin');
    expect(env.RATE_LIMIT_PER_SECOND).toBe(100);
  });

  it('names the bad variable', () => {
    expect(() => validateEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => validateEnv({ DATABASE_URL: 'oracle://x' })).toThrow(/DATABASE_URL/);
    expect(() => validateEnv({ CONNECT_DENY_CIDRS: '10.0.0.0/8,nonsense' })).toThrow(/CONNECT_DENY_CIDRS/);
  });

  it('refuses production on missing or default secrets', () => {
    expect(() => validateEnv({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET: must be set[\s\S]*ENCRYPTION_KEY: must be set/,
    );
    expect(() =>
      validateEnv({ NODE_ENV: 'production', JWT_SECRET: 'change-me', ENCRYPTION_KEY: 'x'.repeat(40) }),
    ).toThrow(/JWT_SECRET: is a default/);
    const ok = validateEnv({ NODE_ENV: 'production', JWT_SECRET: 'a'.repeat(40), ENCRYPTION_KEY: 'b'.repeat(40) });
    expect(ok.NODE_ENV).toBe('production');
  });
});
