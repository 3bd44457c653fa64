import { validateConfig, withDefaults } from '../core/config-spec';
import { mysqlConfigSpec } from './config';

describe('MySQL configuration', () => {
  it('accepts the seed config and the template charset', () => {
    const spec = mysqlConfigSpec(3306);
    const config = {
      host: 'h',
      port: 3306,
      database: 'production',
      username: 'admin',
      password: 'secret',
      timeout: 30,
      max_conns: 10,
      max_idle_conns: 5,
      charset: 'utf8mb4',
    };
    expect(validateConfig(spec, config)).toEqual([]);
    expect(withDefaults(spec, { host: 'h' })).toMatchObject({
      port: 3306,
      charset: 'utf8mb4',
      ssl: false,
      ssl_verify: true,
    });
  });
});
