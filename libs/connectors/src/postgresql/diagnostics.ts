import { Client } from 'pg';
import { runDiagnostics, ServerIdentity } from '../core/diagnostics';
import { ConnectContext, TestResult } from '../core/types';
import { VISIBLE_CATALOG_SQL } from './catalog-sql';
import { clientConfig, PgSettings } from './config';
import { classifyPgError } from './errors';

/** `15.19 (Debian 15.19-0+deb12u1)` → server_info "PostgreSQL 15.19", version "15.19". */
export function describePgServer(serverVersion: string): ServerIdentity {
  const version = /^\d+(\.\d+)*/.exec(serverVersion.trim())?.[0] ?? serverVersion.trim();
  return { serverInfo: `PostgreSQL ${version}`, version };
}

/**
 * The step-by-step connection test on a client of its own (the pool is left alone): the login
 * proves the address, TLS and the account; the catalog step proves the account can see schemas.
 */
export async function testPostgres(
  settings: PgSettings,
  context: ConnectContext,
  signal: AbortSignal,
): Promise<TestResult> {
  let client: Client | undefined;
  try {
    return await runDiagnostics({
      host: settings.host,
      port: settings.port,
      timeoutMs: settings.timeoutMs,
      signal,
      guardAddress: context.guardAddress,
      tls: settings.sslmode === 'disable' ? undefined : { mode: 'negotiated' },
      authenticate: async () => {
        const [address] = await context.guardAddress(settings.host);
        client = new Client(clientConfig(settings, address));
        client.on('error', () => undefined);
        await client.connect();
        const result = await client.query<{ server_version: string }>('SHOW server_version');
        return describePgServer(result.rows[0].server_version);
      },
      readCatalog: async () => {
        const result = await client!.query<{ schemas: number; tables: number }>(VISIBLE_CATALOG_SQL);
        const { schemas, tables } = result.rows[0];
        return `${schemas} schemas, ${tables} tables visible in database ${settings.database}`;
      },
      classify: (err) => classifyPgError(err),
    });
  } finally {
    await (client as Client | undefined)?.end().catch(() => undefined);
  }
}
