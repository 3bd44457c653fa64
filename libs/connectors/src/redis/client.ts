import Redis from 'ioredis';
import { withDeadline } from '../core/diagnostics';
import { AddressGuard } from '../core/types';
import { RedisSettings } from './config';
import { classifyRedisError } from './errors';

/**
 * Opens one ioredis connection to a host that passed the address guard. No reconnects and no
 * offline queue: a catalog read should fail fast and say why, not retry silently.
 */
export async function openRedis(
  settings: RedisSettings,
  guard: AddressGuard,
  signal: AbortSignal,
  target: { host: string; port: number } = settings,
): Promise<Redis> {
  const [address] = await guard(target.host);
  const client = new Redis({
    host: address,
    port: target.port,
    username: settings.username,
    password: settings.password,
    tls: settings.tls ? { servername: target.host } : undefined,
    lazyConnect: true,
    connectTimeout: settings.timeoutMs,
    commandTimeout: settings.timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // ioredis reports the cause (WRONGPASS, ECONNREFUSED) as an event and rejects connect() with a generic message.
  let cause: unknown;
  client.on('error', (err: unknown) => {
    cause = err;
  });
  try {
    await withDeadline(client.connect(), settings.timeoutMs, signal, 'Connecting to Redis');
    return client;
  } catch (err) {
    client.disconnect();
    throw classifyRedisError(cause ?? err);
  }
}

export async function closeQuietly(client: Redis | undefined): Promise<void> {
  if (!client) return;
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
