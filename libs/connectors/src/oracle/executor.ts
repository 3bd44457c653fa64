import { Row } from '../sql-shared/row-values';
import { connectDescriptor, OracleSettings } from './config';

/**
 * The seam between the connector and node-oracledb: SQL with named bind variables in, rows as
 * objects (upper-case column names, as Oracle returns them) out. Tests replace it with a fake that
 * answers like the documented dictionary views.
 */
export interface OracleExecutor {
  query(sql: string, binds: Readonly<Record<string, string | number>>, signal: AbortSignal): Promise<Row[]>;
  /** The server's version as reported at login, e.g. `19.3.0.0.0`. */
  serverVersion(signal: AbortSignal): Promise<string>;
  close(): Promise<void>;
}

/** The slice of node-oracledb this connector uses (the package ships no type declarations). */
interface OracleConnection {
  callTimeout: number;
  readonly oracleServerVersionString: string;
  execute(
    sql: string,
    binds: Record<string, unknown>,
    options: { outFormat: number; fetchArraySize?: number },
  ): Promise<{ rows?: Row[] }>;
  break(): Promise<void>;
  close(): Promise<void>;
}
interface OraclePool {
  getConnection(): Promise<OracleConnection>;
  close(drainTime?: number): Promise<void>;
}
interface OracleDb {
  readonly OUT_FORMAT_OBJECT: number;
  createPool(attributes: Record<string, unknown>): Promise<OraclePool>;
}

function loadDriver(): OracleDb {
  // Thin mode (pure JavaScript) is the default as long as initOracleClient() is never called.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('oracledb') as OracleDb;
}

/**
 * A pool of thin-mode connections. Plain TCP connects to the address the policy checked; TCPS keeps
 * the host name so the certificate can be matched against it. Each call has `callTimeout` set to
 * the source's timeout and is broken off (`connection.break()`) when its signal fires.
 */
export function openOraclePool(settings: OracleSettings, checkedAddress: string): OracleExecutor {
  const driver = loadDriver();
  const timeoutSeconds = Math.max(1, Math.ceil(settings.timeoutMs / 1000));
  const pool = driver.createPool({
    user: settings.user,
    password: settings.password,
    connectString: connectDescriptor(settings, settings.tcps ? settings.host : checkedAddress),
    poolMin: 0,
    poolMax: settings.maxConns,
    poolIncrement: 1,
    // Idle connections beyond the wanted number are closed after a minute.
    poolTimeout: settings.maxIdleConns === 0 ? 1 : 60,
    queueTimeout: settings.timeoutMs,
    connectTimeout: timeoutSeconds,
    transportConnectTimeout: timeoutSeconds,
    stmtCacheSize: 30,
  });
  pool.catch(() => undefined);

  async function withConnection<T>(signal: AbortSignal, work: (c: OracleConnection) => Promise<T>): Promise<T> {
    const connection = await (await pool).getConnection();
    connection.callTimeout = settings.timeoutMs;
    const onAbort = () => void connection.break().catch(() => undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await work(connection);
    } finally {
      signal.removeEventListener('abort', onAbort);
      await connection.close().catch(() => undefined);
    }
  }

  return {
    query: (sql, binds, signal) =>
      withConnection(
        signal,
        async (c) =>
          (await c.execute(sql, { ...binds }, { outFormat: driver.OUT_FORMAT_OBJECT, fetchArraySize: 1000 })).rows ??
          [],
      ),
    serverVersion: (signal) => withConnection(signal, async (c) => c.oracleServerVersionString),
    close: async () => {
      await (await pool.catch(() => undefined))?.close(0);
    },
  };
}
