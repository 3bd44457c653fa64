import { registerAs } from '@nestjs/config';
import { validateEnv } from './env.schema';

// Each feature reads only its own slice; nothing else touches process.env.
const env = () => validateEnv(process.env);

export const appConfig = registerAs('app', () => {
  const e = env();
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    grpcPort: e.GRPC_PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    trustProxy: e.TRUST_PROXY === 'true',
    logLevel: e.LOG_LEVEL,
    bodyLimit: e.BODY_LIMIT,
  };
});

export const databaseConfig = registerAs('database', () => ({ url: env().DATABASE_URL, dataDir: env().DATA_DIR }));

export const authConfig = registerAs('auth', () => {
  const e = env();
  return {
    jwtSecret: e.JWT_SECRET,
    accessTtlSeconds: e.JWT_EXPIRES_IN,
    refreshTtlSeconds: e.JWT_REFRESH_EXPIRES_IN,
    adminUsername: e.ADMIN_USERNAME,
    adminPassword: e.ADMIN_PASSWORD,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockoutSeconds: e.LOGIN_LOCKOUT_SECONDS,
    dataDir: e.DATA_DIR,
  };
});

export const securityConfig = registerAs('security', () => {
  const e = env();
  return {
    encryptionKey: e.ENCRYPTION_KEY,
    dataDir: e.DATA_DIR,
    connectDenyCidrs: e.CONNECT_DENY_CIDRS,
    connectAllowCidrs: e.CONNECT_ALLOW_CIDRS,
  };
});

export const rateLimitConfig = registerAs('rateLimit', () => ({ perSecond: env().RATE_LIMIT_PER_SECOND, redisUrl: env().REDIS_URL }));

export type AppConfig = ReturnType<typeof appConfig>;
export type DatabaseConfig = ReturnType<typeof databaseConfig>;
export type AuthConfig = ReturnType<typeof authConfig>;
export type SecurityConfig = ReturnType<typeof securityConfig>;
export type RateLimitConfig = ReturnType<typeof rateLimitConfig>;
