import { Logger } from '@nestjs/common';
import { AppConfig, AuthConfig, SecurityConfig } from '../config/configuration';
import { StartupSecretsCheck } from './startup-secrets.check';

function check(nodeEnv: string, auth: Partial<AuthConfig>, security: Partial<SecurityConfig> = {}) {
  return new StartupSecretsCheck(
    { nodeEnv } as AppConfig,
    { adminUsername: 'admin', ...auth } as AuthConfig,
    security as SecurityConfig,
  );
}

describe('StartupSecretsCheck', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('refuses to start in production on a weak ADMIN_PASSWORD, naming it', () => {
    expect(() => check('production', { adminPassword: 'admin-password' }).onModuleInit()).toThrow(
      /ADMIN_PASSWORD: must not contain the username/,
    );
    expect(() => check('production', { adminPassword: 'password1234' }).onModuleInit()).toThrow(
      /commonly used password/,
    );
    expect(() => check('production', { adminPassword: 'kettle-orbit-violet-42' }).onModuleInit()).not.toThrow();
    expect(() => check('production', {}).onModuleInit()).not.toThrow();
  });

  it('outside production warns about a weak ADMIN_PASSWORD and short JWT_SECRET/ENCRYPTION_KEY', () => {
    check('development', { adminPassword: 'short', jwtSecret: 'dev-jwt' }, { encryptionKey: 'dev-key' }).onModuleInit();
    const said = warn.mock.calls.map((c) => String(c[0]));
    expect(said).toEqual([
      expect.stringMatching(/^ADMIN_PASSWORD: must be at least 12 characters/),
      expect.stringMatching(/^JWT_SECRET is shorter than 32 characters/),
      expect.stringMatching(/^ENCRYPTION_KEY is shorter than 32 characters/),
    ]);
  });

  it('says nothing about strong or generated secrets', () => {
    check(
      'development',
      { adminPassword: 'kettle-orbit-violet-42', jwtSecret: 'x'.repeat(32) },
      { encryptionKey: undefined },
    ).onModuleInit();
    expect(warn).not.toHaveBeenCalled();
  });
});
