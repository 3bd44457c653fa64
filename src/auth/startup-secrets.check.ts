import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { appConfig, AppConfig, authConfig, AuthConfig, securityConfig, SecurityConfig } from '../config/configuration';
import { passwordProblems } from './password-policy';

/** Below this a secret is short for an HMAC or encryption key (production refuses it, see env.schema). */
const MIN_SECRET_LENGTH = 32;

/**
 * Judges the secrets the environment hands in, once at start. Production refuses a weak
 * ADMIN_PASSWORD (short or default JWT_SECRET/ENCRYPTION_KEY are already refused by validateEnv);
 * elsewhere each weakness is a warning, so development stays easy and still hears about it.
 */
@Injectable()
export class StartupSecretsCheck implements OnModuleInit {
  private readonly logger = new Logger('Security');

  constructor(
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
    @Inject(securityConfig.KEY) private readonly security: SecurityConfig,
  ) {}

  onModuleInit(): void {
    const production = this.app.nodeEnv === 'production';
    if (this.auth.adminPassword) {
      const problems = passwordProblems(this.auth.adminPassword, this.auth.adminUsername);
      if (problems.length) {
        const said = `ADMIN_PASSWORD: ${problems.join('; ')}`;
        if (production) throw new Error(`Refusing to start in production:\n  ${said}`);
        this.logger.warn(`${said}. Production refuses to start with it.`);
      }
    }
    if (production) return;
    const secrets = { JWT_SECRET: this.auth.jwtSecret, ENCRYPTION_KEY: this.security.encryptionKey };
    for (const [name, value] of Object.entries(secrets)) {
      if (value !== undefined && value.length < MIN_SECRET_LENGTH) {
        this.logger.warn(
          `${name} is shorter than ${MIN_SECRET_LENGTH} characters. Production refuses to start with it; use a random value (or leave it unset to have one generated).`,
        );
      }
    }
  }
}
