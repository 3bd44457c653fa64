import { validateEnv } from '../../config/env.schema';
import { cronForInterval } from './dolphinscheduler.scheduler';

describe('DolphinScheduler configuration', () => {
  it('is off by default, with documented defaults', () => {
    const env = validateEnv({});
    expect(env.DOLPHINSCHEDULER_URL).toBeUndefined();
    expect(env).toMatchObject({
      DOLPHINSCHEDULER_PROJECT: 'metadata-service',
      DOLPHINSCHEDULER_TENANT: 'default',
      DOLPHINSCHEDULER_WORKER_GROUP: 'default',
      DOLPHINSCHEDULER_POLL_MS: 5000,
      DOLPHINSCHEDULER_POLL_MAX_MS: 60000,
    });
  });

  it('wants URL, token and callback URL together, as URLs', () => {
    expect(() => validateEnv({ DOLPHINSCHEDULER_URL: 'http://ds:12345/dolphinscheduler' })).toThrow(
      /DOLPHINSCHEDULER_TOKEN: must be set[\s\S]*DOLPHINSCHEDULER_CALLBACK_URL: must be set/,
    );
    expect(() =>
      validateEnv({
        DOLPHINSCHEDULER_URL: 'ds:12345',
        DOLPHINSCHEDULER_TOKEN: 't',
        DOLPHINSCHEDULER_CALLBACK_URL: 'http://me',
      }),
    ).toThrow(/DOLPHINSCHEDULER_URL: must be an http/);
    expect(() => validateEnv({ DOLPHINSCHEDULER_POLL_MS: '1000', DOLPHINSCHEDULER_POLL_MAX_MS: '500' })).toThrow(
      /DOLPHINSCHEDULER_POLL_MAX_MS/,
    );
    const env = validateEnv({
      DOLPHINSCHEDULER_URL: 'http://ds:12345/dolphinscheduler',
      DOLPHINSCHEDULER_TOKEN: 't',
      DOLPHINSCHEDULER_CALLBACK_URL: 'https://metadata.example.com',
    });
    expect(env.DOLPHINSCHEDULER_CALLBACK_URL).toBe('https://metadata.example.com');
  });

  it('names a cron expression for an interval only when one fires the same', () => {
    expect(cronForInterval(15)).toBe('*/15 * * * * *');
    expect(cronForInterval(300)).toBe('0 */5 * * * *');
    expect(cronForInterval(7200)).toBe('0 0 */2 * * *');
    expect(cronForInterval(86400)).toBe('0 0 0 * * *');
    expect(cronForInterval(7)).toBeNull();
    expect(cronForInterval(5400)).toBeNull();
    expect(cronForInterval(172800)).toBeNull();
  });
});
