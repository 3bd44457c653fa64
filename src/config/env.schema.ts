import { z } from 'zod';
import { parseTrustProxy } from './trust-proxy';

/** Values shipped in examples (docker-compose, README) that production must never run on. */
export const KNOWN_DEFAULT_SECRETS = [
  'change-me',
  'changeme',
  'secret',
  'dev-secret',
  'please-change-me-in-production',
];

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const seconds = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const cidrs = z
  .string()
  .optional()
  .refine(
    (v) => !v || v.split(',').every((item) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(item.trim())),
    'must be a comma-separated list of IP addresses or CIDR ranges',
  );

const httpUrl = z
  .string()
  .optional()
  .refine((v) => !v || /^https?:\/\/[^\s/]+/.test(v), 'must be an http:// or https:// URL');

/** Every environment variable the service reads, with its default. The README's table mirrors this. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port(8080),
  GRPC_PORT: port(9090),
  // Largest gRPC request accepted (bytes); larger ones get RESOURCE_EXHAUSTED before any decoding.
  GRPC_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(4 * 1024 * 1024),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/metadata.db')
    .refine(
      (v) => /^(sqlite:|postgres(ql)?:\/\/|mysql:\/\/|mariadb:\/\/)/.test(v),
      'must start with sqlite:, postgres://, mysql:// or mariadb://',
    ),
  DATA_DIR: z.string().default('./data'),
  JWT_SECRET: z.string().min(1).optional(),
  JWT_EXPIRES_IN: seconds(3600),
  JWT_REFRESH_EXPIRES_IN: seconds(7 * 24 * 3600),
  ADMIN_USERNAME: z.string().min(1).max(64).default('admin'),
  // Empty counts as unset (docker-compose passes an unset one through as ""): a password is generated.
  ADMIN_PASSWORD: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(8, 'must be at least 8 characters').optional(),
  ),
  ENCRYPTION_KEY: z.string().min(1).optional(),
  RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).default(100),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCKOUT_SECONDS: seconds(900),
  REDIS_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^rediss?:\/\//.test(v), 'must start with redis:// or rediss://'),
  // Express trust-proxy semantics, never "every hop" (src/config/trust-proxy.ts).
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      try {
        return parseTrustProxy(v);
      } catch (err) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `${(err as Error).message} (a hop count such as 1, or a comma list of proxy addresses/CIDRs)`,
        });
        return z.NEVER;
      }
    }),
  // Unset: /metrics needs no token. An empty value counts as unset.
  METRICS_TOKEN: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
  // How long store-backed gauges (catalog size, backlogs, sources by status) are cached between scrapes.
  METRICS_STORE_REFRESH_SECONDS: z.coerce.number().int().min(0).max(3600).default(15),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z.string().default('1mb'),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(2000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).default(3_600_000),
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).default(5),
  WEBHOOK_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(50).default(500),
  CONNECT_DENY_CIDRS: cidrs,
  CONNECT_ALLOW_CIDRS: cidrs,
  // Collection tasks: scheduler and runner (see src/tasks).
  SCHEDULER_ENABLED: z.enum(['true', 'false']).default('true'),
  SCHEDULER_TICK_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  MAX_CONCURRENT_EXECUTIONS: z.coerce.number().int().min(1).max(256).default(4),
  MAX_CONCURRENT_PER_DATASOURCE: z.coerce.number().int().min(1).max(64).default(1),
  EXECUTION_LEASE_SECONDS: z.coerce.number().int().min(3).max(3600).default(30),
  // A stop asked on another replica reaches the run within one heartbeat: at most 2 s keeps stop under 5 s.
  EXECUTION_HEARTBEAT_MS: z.coerce.number().int().min(100).max(2000).default(1000),
  EXECUTION_LOG_LIMIT: z.coerce.number().int().min(10).max(100_000).default(1000),
  RETRY_BACKOFF_BASE_SECONDS: z.coerce.number().min(0).max(86_400).default(30),
  RETRY_BACKOFF_MAX_SECONDS: z.coerce.number().min(0).max(86_400).default(3600),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
  HEALTH_CHECK_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(300),
  HEALTH_CHECK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  // Ad-hoc connection tests (POST /datasources/test, /datasources/{id}/test): bounded so they cannot pile up sockets.
  CONNECTION_TEST_MAX_CONCURRENT: z.coerce.number().int().min(1).max(1000).default(16),
  CONNECTION_TEST_MAX_PER_USER: z.coerce.number().int().min(1).max(1000).default(4),
  CONNECTION_TEST_MAX_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  // DolphinScheduler as a second scheduler (docs/dolphinscheduler.md). Unset URL: the integration is off.
  DOLPHINSCHEDULER_URL: httpUrl,
  DOLPHINSCHEDULER_TOKEN: z.string().min(1).optional(),
  DOLPHINSCHEDULER_PROJECT: z.string().min(1).max(100).default('metadata-service'),
  DOLPHINSCHEDULER_TENANT: z.string().min(1).max(64).default('default'),
  DOLPHINSCHEDULER_WORKER_GROUP: z.string().min(1).max(64).default('default'),
  DOLPHINSCHEDULER_CALLBACK_URL: httpUrl,
  DOLPHINSCHEDULER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  DOLPHINSCHEDULER_POLL_MS: z.coerce.number().int().min(50).max(3_600_000).default(5000),
  DOLPHINSCHEDULER_POLL_MAX_MS: z.coerce.number().int().min(50).max(3_600_000).default(60_000),
  DOLPHINSCHEDULER_CALLBACK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
});

export type Env = z.infer<typeof envSchema>;

/** Parses and checks the environment; throws one error naming every bad variable. */
export function validateEnv(raw: Record<string, unknown>): Env {
  const result = envSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = result.data;
  const dolphin = ['DOLPHINSCHEDULER_URL', 'DOLPHINSCHEDULER_TOKEN', 'DOLPHINSCHEDULER_CALLBACK_URL'] as const;
  if (dolphin.some((name) => env[name])) {
    const missing = dolphin.filter((name) => !env[name]);
    if (missing.length)
      throw new Error(
        `Invalid configuration:\n${missing.map((m) => `  ${m}: must be set with the other DolphinScheduler settings (${dolphin.join(', ')})`).join('\n')}`,
      );
  }
  if (env.DOLPHINSCHEDULER_POLL_MAX_MS < env.DOLPHINSCHEDULER_POLL_MS) {
    throw new Error(
      'Invalid configuration:\n  DOLPHINSCHEDULER_POLL_MAX_MS: must not be below DOLPHINSCHEDULER_POLL_MS',
    );
  }
  if (env.NODE_ENV === 'production') {
    const problems: string[] = [];
    for (const name of ['JWT_SECRET', 'ENCRYPTION_KEY'] as const) {
      const value = env[name];
      if (!value) problems.push(`  ${name}: must be set when NODE_ENV=production`);
      else if (KNOWN_DEFAULT_SECRETS.includes(value.toLowerCase()))
        problems.push(`  ${name}: is a default example value; set a random secret`);
      else if (value.length < 32) problems.push(`  ${name}: must be at least 32 characters in production`);
    }
    if (problems.length) throw new Error(`Refusing to start in production:\n${problems.join('\n')}`);
  }
  return env;
}
