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
    grpcMaxMessageBytes: e.GRPC_MAX_MESSAGE_BYTES,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    /** Express "trust proxy": false, a hop count, or proxy addresses/CIDRs; never true. */
    trustProxy: e.TRUST_PROXY,
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

export const rateLimitConfig = registerAs('rateLimit', () => ({
  perSecond: env().RATE_LIMIT_PER_SECOND,
  redisUrl: env().REDIS_URL,
}));

/** /metrics: when a token is set, scrapers must send it as a bearer token. */
export const metricsConfig = registerAs('metrics', () => ({
  token: env().METRICS_TOKEN,
  storeRefreshSeconds: env().METRICS_STORE_REFRESH_SECONDS,
}));

export const webhooksConfig = registerAs('webhooks', () => {
  const e = env();
  return {
    timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
    retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
    retryMaxMs: e.WEBHOOK_RETRY_MAX_MS,
    disableAfterFailures: e.WEBHOOK_DISABLE_AFTER_FAILURES,
    dispatchIntervalMs: e.WEBHOOK_DISPATCH_INTERVAL_MS,
    connectDenyCidrs: e.CONNECT_DENY_CIDRS,
    connectAllowCidrs: e.CONNECT_ALLOW_CIDRS,
  };
});

/** Data sources: the periodic connection health check (interval 0 turns it off) and the bounds of connection tests. */
export const datasourcesConfig = registerAs('datasources', () => ({
  healthCheckIntervalSeconds: env().HEALTH_CHECK_INTERVAL_SECONDS,
  healthCheckConcurrency: env().HEALTH_CHECK_CONCURRENCY,
  testMaxConcurrent: env().CONNECTION_TEST_MAX_CONCURRENT,
  testMaxPerUser: env().CONNECTION_TEST_MAX_PER_USER,
  testMaxTimeoutSeconds: env().CONNECTION_TEST_MAX_TIMEOUT_SECONDS,
}));

export const tasksConfig = registerAs('tasks', () => {
  const e = env();
  return {
    schedulerEnabled: e.SCHEDULER_ENABLED === 'true',
    tickMs: e.SCHEDULER_TICK_MS,
    maxConcurrent: e.MAX_CONCURRENT_EXECUTIONS,
    maxPerDataSource: e.MAX_CONCURRENT_PER_DATASOURCE,
    leaseSeconds: e.EXECUTION_LEASE_SECONDS,
    heartbeatMs: e.EXECUTION_HEARTBEAT_MS,
    logLimit: e.EXECUTION_LOG_LIMIT,
    retryBaseSeconds: e.RETRY_BACKOFF_BASE_SECONDS,
    retryMaxSeconds: e.RETRY_BACKOFF_MAX_SECONDS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
  };
});

/**
 * DolphinScheduler as an external scheduler. `enabled` only when its URL, token and the callback
 * URL are all set (validateEnv refuses a partial set). The token is a secret: never log this slice.
 */
export const dolphinSchedulerConfig = registerAs('dolphinscheduler', () => {
  const e = env();
  return {
    enabled: Boolean(e.DOLPHINSCHEDULER_URL && e.DOLPHINSCHEDULER_TOKEN && e.DOLPHINSCHEDULER_CALLBACK_URL),
    url: (e.DOLPHINSCHEDULER_URL ?? '').replace(/\/+$/, ''),
    token: e.DOLPHINSCHEDULER_TOKEN ?? '',
    project: e.DOLPHINSCHEDULER_PROJECT,
    tenant: e.DOLPHINSCHEDULER_TENANT,
    workerGroup: e.DOLPHINSCHEDULER_WORKER_GROUP,
    callbackUrl: (e.DOLPHINSCHEDULER_CALLBACK_URL ?? '').replace(/\/+$/, ''),
    timeoutMs: e.DOLPHINSCHEDULER_TIMEOUT_MS,
    pollMs: e.DOLPHINSCHEDULER_POLL_MS,
    pollMaxMs: e.DOLPHINSCHEDULER_POLL_MAX_MS,
    callbackTimeoutSeconds: e.DOLPHINSCHEDULER_CALLBACK_TIMEOUT_SECONDS,
  };
});

export type AppConfig = ReturnType<typeof appConfig>;
export type DatabaseConfig = ReturnType<typeof databaseConfig>;
export type AuthConfig = ReturnType<typeof authConfig>;
export type SecurityConfig = ReturnType<typeof securityConfig>;
export type RateLimitConfig = ReturnType<typeof rateLimitConfig>;
export type MetricsConfig = ReturnType<typeof metricsConfig>;
export type DatasourcesConfig = ReturnType<typeof datasourcesConfig>;
export type WebhooksConfig = ReturnType<typeof webhooksConfig>;
export type TasksConfig = ReturnType<typeof tasksConfig>;
export type DolphinSchedulerConfig = ReturnType<typeof dolphinSchedulerConfig>;
