/**
 * The real servers tests talk to, where they listen, and how a suite declares that it needs one.
 * `global-setup.ts` probes them once per run; a suite whose server is missing fails under CI=true
 * and is skipped with a loud message elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';

export type ServerName =
  'postgres' | 'mariadb' | 'redis' | 'rabbitmq' | 'rabbitmq-management' | 'clickhouse' | 'kcat' | 'redis-server';

const env = (k: string, d: string) => process.env[k] ?? d;

export const SERVER_ENDPOINTS: Record<Exclude<ServerName, 'kcat' | 'redis-server'>, { host: string; port: number }> = {
  postgres: { host: env('TEST_PG_HOST', '127.0.0.1'), port: Number(env('TEST_PG_PORT', '5432')) },
  mariadb: { host: env('TEST_MYSQL_HOST', '127.0.0.1'), port: Number(env('TEST_MYSQL_PORT', '3306')) },
  redis: { host: env('TEST_REDIS_HOST', '127.0.0.1'), port: Number(env('TEST_REDIS_PORT', '6379')) },
  rabbitmq: { host: env('TEST_RABBITMQ_HOST', '127.0.0.1'), port: Number(env('TEST_RABBITMQ_PORT', '5672')) },
  'rabbitmq-management': {
    host: env('TEST_RABBITMQ_HOST', '127.0.0.1'),
    port: Number(env('TEST_RABBITMQ_MGMT_PORT', '15672')),
  },
  // Started by scripts/services/clickhouse.sh on non-default ports.
  clickhouse: { host: '127.0.0.1', port: Number(env('TEST_CLICKHOUSE_HTTP_PORT', '18123')) },
};

function tcpOpen(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function binaryPresent(name: string): boolean {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function probeServers(): Promise<Record<ServerName, boolean>> {
  const entries = await Promise.all(
    Object.entries(SERVER_ENDPOINTS).map(async ([name, ep]) => [name, await tcpOpen(ep.host, ep.port)] as const),
  );
  return {
    ...Object.fromEntries(entries),
    kcat: binaryPresent('kcat'),
    'redis-server': binaryPresent('redis-server'),
  } as Record<ServerName, boolean>;
}

function available(): Record<string, boolean> {
  return JSON.parse(process.env.TEST_SERVERS_AVAILABLE ?? '{}') as Record<string, boolean>;
}

/**
 * `describe` for a suite that needs real servers. Under CI=true a missing server fails the suite;
 * elsewhere the suite is skipped and says so loudly.
 */
export function describeWithServers(servers: ServerName[], title: string, body: () => void): void {
  const status = available();
  const missing = servers.filter((s) => !status[s]);
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  const why = `needs ${missing.join(', ')} (not reachable; see README "Tests")`;
  if (process.env.CI === 'true') {
    describe(title, () => {
      it(`has its servers: ${why}`, () => {
        throw new Error(`CI=true and ${why}`);
      });
    });
    return;
  }
  // Outside CI a developer may lack a server (e.g. no Redis on a laptop): the suite is skipped, loudly,
  // so the rest still runs; under CI=true the branch above fails it instead.
  console.warn(`\n!!!!! SKIPPED "${title}": ${why} !!!!!\n`);
  describe.skip(`${title} [SKIPPED: ${why}]`, body);
}
