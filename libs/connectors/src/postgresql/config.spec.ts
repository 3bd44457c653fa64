import { validateConfig, withDefaults } from '../core/config-spec';
import { POSTGRES_CONFIG_SPEC, readPgSettings, tlsOptions } from './config';

describe('PostgreSQL configuration', () => {
  it('accepts the seed-style config and fills defaults', () => {
    const config = {
      host: 'db',
      port: 5432,
      username: 'u',
      password: 'p',
      timeout: 30,
      max_conns: 10,
      max_idle_conns: 5,
    };
    expect(validateConfig(POSTGRES_CONFIG_SPEC, config)).toEqual([]);
    expect(withDefaults(POSTGRES_CONFIG_SPEC, config)).toMatchObject({
      database: 'postgres',
      sslmode: 'disable',
      schema: 'public',
    });
    expect(POSTGRES_CONFIG_SPEC.find((f) => f.name === 'password')!.secret).toBe(true);
  });

  it('rejects an unknown sslmode and reads ssl: true as require', () => {
    expect(validateConfig(POSTGRES_CONFIG_SPEC, { host: 'db', sslmode: 'sometimes' })).toEqual([
      { field: 'sslmode', message: expect.stringContaining('must be one of') },
    ]);
    expect(readPgSettings({ host: 'db', ssl: true }).sslmode).toBe('require');
    expect(tlsOptions(readPgSettings({ host: 'db', sslmode: 'require' }))).toEqual({ rejectUnauthorized: false });
    expect(tlsOptions(readPgSettings({ host: 'db', sslmode: 'verify-full' }))).toMatchObject({
      rejectUnauthorized: true,
      servername: 'db',
    });
    expect(tlsOptions(readPgSettings({ host: 'db' }))).toBe(false);
  });
});
