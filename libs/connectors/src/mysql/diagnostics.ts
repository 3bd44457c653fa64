import { runDiagnostics } from '../core/diagnostics';
import { ConnectContext, TestResult } from '../core/types';
import { visibleCatalogStatement } from './catalog-sql';
import { connectionOptions, MysqlSettings } from './config';
import { classifyMysqlError } from './errors';
import { describeMysqlServer } from './flavor';
import { MysqlDriver, SqlConnection } from './session';

/**
 * The step-by-step connection test on a connection of its own (the pool is left alone): the login
 * proves the address, TLS and the account; the catalog step proves the account can see databases.
 */
export async function testMysqlFamily(
  settings: MysqlSettings,
  context: ConnectContext,
  signal: AbortSignal,
  driver: MysqlDriver,
  systemSchemas: string[],
): Promise<TestResult> {
  let conn: (SqlConnection & { end(): Promise<void> }) | undefined;
  let opening: Promise<SqlConnection & { end(): Promise<void> }> | undefined;
  try {
    return await runDiagnostics({
      host: settings.host,
      port: settings.port,
      timeoutMs: settings.timeoutMs,
      signal,
      guardAddress: context.guardAddress,
      tls: settings.ssl ? { mode: 'negotiated' } : undefined,
      authenticate: async () => {
        const [address] = await context.guardAddress(settings.host);
        opening = driver.connect(connectionOptions(settings, address));
        conn = await opening;
        const [rows] = await conn.query({ sql: 'SELECT VERSION() AS version, @@version_comment AS comment' });
        const row = (rows as Array<Record<string, unknown>>)[0] ?? {};
        const { serverInfo, version } = describeMysqlServer(
          String(row.version ?? ''),
          row.comment === null || row.comment === undefined ? null : String(row.comment),
        );
        return { serverInfo, version };
      },
      readCatalog: async () => {
        const statement = visibleCatalogStatement(systemSchemas);
        const [rows] = await conn!.query({ sql: statement.sql, values: statement.values });
        const row = (rows as Array<Record<string, unknown>>)[0] ?? {};
        return `${Number(row.n_schemas ?? 0)} databases, ${Number(row.n_tables ?? 0)} tables visible`;
      },
      classify: (err) => classifyMysqlError(err),
    });
  } finally {
    // The test may stop at its deadline while the login is still under way: end the connection
    // whenever it opens.
    void (opening as Promise<SqlConnection & { end(): Promise<void> }> | undefined)?.then(
      (c) => c.end().catch(() => undefined),
      () => undefined,
    );
  }
}
