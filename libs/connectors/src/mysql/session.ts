import type { Readable } from 'node:stream';
import mysql from 'mysql2/promise';
import type { Connection as CoreConnection, PoolOptions } from 'mysql2';
import { ConnectorError, ConnectorErrorCode, throwIfAborted } from '../core/errors';
import { withDeadline } from '../core/diagnostics';
import { LazyClient } from '../core/lazy-client';
import { ConnectContext } from '../core/types';
import { connectionOptions, MysqlSettings, poolOptions } from './config';
import { classifyMysqlError } from './errors';
import { describeMysqlServer, ServerDescription, sessionSetup } from './flavor';
import { RowStream, rowsAsStream, RowWaits, StreamedRows, StreamOutcome } from './row-stream';

export type Row = Record<string, unknown>;

/** The little of mysql2 the connectors use, so tests can stand in for the driver at its boundary. */
export interface SqlConnection {
  readonly threadId: number | null;
  query(options: { sql: string; values?: unknown[] }): Promise<[unknown, unknown]>;
  /** The statement's rows as an object-mode stream that pauses the socket when full (absent: rows are read whole). */
  stream?(options: { sql: string; values?: unknown[] }, highWaterMark: number): Readable;
  release(): void;
  destroy(): void;
}

export interface SqlPool {
  getConnection(): Promise<SqlConnection>;
  end(): Promise<void>;
}

export interface MysqlDriver {
  createPool(options: PoolOptions): SqlPool;
  /** A one-off connection outside the pool (connection tests, KILL QUERY). */
  connect(options: PoolOptions): Promise<SqlConnection & { end(): Promise<void> }>;
}

type Mysql2Connection = mysql.Connection & { release?: () => void };

function adapt(conn: Mysql2Connection): SqlConnection & { end(): Promise<void> } {
  return {
    get threadId() {
      return conn.threadId;
    },
    query: (options) => conn.query(options) as Promise<[unknown, unknown]>,
    // The promise wrapper's callback connection: only its Query can stream.
    stream: (options, highWaterMark) =>
      (conn as unknown as { connection: CoreConnection }).connection.query(options).stream({ highWaterMark }),
    release: () => (conn.release ? conn.release() : void conn.end().catch(() => undefined)),
    destroy: () => conn.destroy(),
    end: () => conn.end(),
  };
}

export const mysql2Driver: MysqlDriver = {
  createPool(options) {
    const pool = mysql.createPool(options);
    return { getConnection: async () => adapt(await pool.getConnection()), end: () => pool.end() };
  },
  async connect(options) {
    return adapt(await mysql.createConnection(options));
  },
};

export interface QueryObserver {
  /** Called once per statement sent to the server (benchmarks count catalog round trips with it). */
  onQuery?: (sql: string) => void;
}

/** Errors after which a session cannot be trusted with another statement. */
const FATAL = /PROTOCOL_|ECONNRESET|EPIPE|ETIMEDOUT/;

function healthyAfter(err: unknown): boolean {
  return (
    !(
      err instanceof ConnectorError &&
      (err.code === ConnectorErrorCode.Cancelled || err.code === ConnectorErrorCode.Timeout)
    ) && !FATAL.test(String((err as { cause?: { code?: unknown } }).cause?.code ?? ''))
  );
}

/** Rows a streamed statement buffers before its socket is paused. */
const STREAM_HIGH_WATER_MARK = 500;

/**
 * The first rows of a whole-database statement come only once the server has gathered all of them
 * (information_schema is materialized, results are sorted): on a very large database that takes
 * longer than any single statement should, so the first wait gets this many source timeouts.
 */
const FIRST_ROWS_WAIT_TIMEOUTS = 10;

/**
 * One source's pool, opened on first use. Each session is bounded by the source's timeout on the
 * server (max_statement_time, max_execution_time or query_timeout, by flavor) and on the client;
 * an aborted or overdue statement is killed on the server and its connection destroyed. A
 * streamed statement is bounded per wait for rows instead (see `stream`).
 */
export class MysqlSession {
  private address?: string;
  private readonly pool = new LazyClient<SqlPool>(
    async () => {
      const [address] = await this.context.guardAddress(this.settings.host);
      this.address = address;
      try {
        return this.driver.createPool(poolOptions(this.settings, address));
      } catch (err) {
        throw new ConnectorError(
          ConnectorErrorCode.InvalidConfig,
          err instanceof Error ? err.message : String(err),
          'Check the charset and TLS settings.',
          err,
        );
      }
    },
    (pool) => pool.end(),
  );
  private server?: Promise<ServerDescription>;
  private readonly initialised = new Set<number>();
  private closed = false;

  constructor(
    readonly settings: MysqlSettings,
    private readonly context: ConnectContext,
    private readonly observer: QueryObserver = {},
    private readonly driver: MysqlDriver = mysql2Driver,
  ) {}

  private async acquire(signal: AbortSignal): Promise<SqlConnection> {
    const pool = await this.pool.get();
    const pending = pool.getConnection();
    try {
      return await withDeadline(pending, this.settings.timeoutMs, signal, 'Connecting to the server');
    } catch (err) {
      pending.then(
        (c) => c.release(),
        () => undefined,
      );
      throw classifyMysqlError(err);
    }
  }

  /** What the server is; read once per session, on whichever connection asks first. */
  describe(signal: AbortSignal): Promise<ServerDescription> {
    return this.server ?? this.withConnection(signal, (conn) => this.describeWith(conn, signal), false);
  }

  private describeWith(conn: SqlConnection, signal: AbortSignal): Promise<ServerDescription> {
    if (!this.server) {
      this.server = this.run(conn, 'SELECT VERSION() AS version, @@version_comment AS comment', [], signal).then(
        ([rows]) => {
          const row = rows[0] ?? {};
          return describeMysqlServer(
            String(row.version ?? ''),
            row.comment === null || row.comment === undefined ? null : String(row.comment),
          );
        },
      );
      this.server.catch(() => (this.server = undefined));
    }
    return this.server;
  }

  async query(sql: string, values: unknown[], signal: AbortSignal): Promise<Row[]> {
    return this.withConnection(signal, async (conn) => (await this.run(conn, sql, values, signal))[0]);
  }

  private async withConnection<T>(
    signal: AbortSignal,
    work: (conn: SqlConnection) => Promise<T>,
    initialise = true,
  ): Promise<T> {
    const conn = await this.connection(signal);
    let healthy = true;
    try {
      if (initialise) await this.initialise(conn, signal);
      return await work(conn);
    } catch (err) {
      healthy = healthyAfter(err);
      throw err;
    } finally {
      this.giveBack(conn, healthy);
    }
  }

  private async connection(signal: AbortSignal): Promise<SqlConnection> {
    throwIfAborted(signal);
    if (this.closed) throw new ConnectorError(ConnectorErrorCode.Cancelled, 'The connection to this source was closed');
    return this.acquire(signal);
  }

  private giveBack(conn: SqlConnection, healthy: boolean): void {
    if (healthy) conn.release();
    else {
      if (conn.threadId !== null) this.initialised.delete(conn.threadId);
      conn.destroy();
    }
  }

  /**
   * Sends a statement whose rows are read as they arrive, on a connection it keeps until its rows
   * are read or it is closed (then a statement still sending is killed and its connection dropped).
   * Each wait for rows is bounded by the source's timeout, not the statement as a whole: a read of
   * a whole database may take longer while rows keep coming. `sql` is sent as given, so it must
   * lift the server-side statement limit itself (see streamedStatementText).
   */
  /** Each wait for rows: the source's timeout (and a margin for the network); the first one longer. */
  private rowWaits(): RowWaits {
    const nextMs = this.settings.timeoutMs + 2000;
    return { firstMs: FIRST_ROWS_WAIT_TIMEOUTS * nextMs, nextMs };
  }

  async stream(sql: string, values: unknown[], signal: AbortSignal): Promise<RowStream> {
    const conn = await this.connection(signal);
    let lent = false;
    let healthy = true;
    try {
      await this.initialise(conn, signal);
      // A driver that cannot stream (test stand-ins): the rows are read whole.
      if (!conn.stream) return rowsAsStream((await this.run(conn, sql, values, signal))[0]);
      this.observer.onQuery?.(sql);
      const rows = new StreamedRows(
        conn.stream({ sql, values }, STREAM_HIGH_WATER_MARK),
        this.rowWaits(),
        signal,
        (outcome: StreamOutcome) => {
          if (outcome.kind === 'stopped') void this.kill(conn.threadId);
          this.giveBack(conn, outcome.kind === 'ended' || (outcome.kind === 'failed' && healthyAfter(outcome.error)));
        },
      );
      lent = true;
      return rows;
    } catch (err) {
      healthy = healthyAfter(err);
      throw err;
    } finally {
      if (!lent) this.giveBack(conn, healthy);
    }
  }

  /** Prepares a new session: the source's timeout on the server side, and the flavor's settings. */
  private async initialise(conn: SqlConnection, signal: AbortSignal): Promise<void> {
    if (conn.threadId === null || this.initialised.has(conn.threadId)) return;
    const server = await this.describeWith(conn, signal);
    for (const statement of sessionSetup(server.flavor, this.settings.timeoutMs)) {
      try {
        await this.run(conn, statement.sql, statement.values, signal);
      } catch (err) {
        // Older servers lack some variables; the client-side deadline still bounds every statement.
        this.context.log?.('debug', 'session setting not applied', {
          sql: statement.sql,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
    this.initialised.add(conn.threadId);
  }

  /** Runs one statement with the client-side deadline and the abort signal. */
  private run(conn: SqlConnection, sql: string, values: unknown[], signal: AbortSignal): Promise<[Row[], unknown]> {
    this.observer.onQuery?.(sql);
    // The server-side limit should fire first; the client-side one catches a silent network.
    const deadline = this.settings.timeoutMs + 2000;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        fn();
      };
      const stop = (error: ConnectorError) =>
        finish(() => {
          void this.kill(conn.threadId);
          reject(error);
        });
      const timer = setTimeout(
        () =>
          stop(
            new ConnectorError(
              ConnectorErrorCode.Timeout,
              `The statement did not finish within ${deadline} ms`,
              "Raise the source's timeout or narrow the scope.",
            ),
          ),
        deadline,
      );
      const onAbort = () => {
        try {
          throwIfAborted(signal);
        } catch (err) {
          stop(err as ConnectorError);
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      conn.query({ sql, values }).then(
        ([rows, fields]) => finish(() => resolve([Array.isArray(rows) ? (rows as Row[]) : [], fields])),
        (err: unknown) => finish(() => reject(classifyMysqlError(err))),
      );
    });
  }

  /** Stops a statement on the server from a separate connection (best effort, bounded). */
  private async kill(threadId: number | null): Promise<void> {
    if (threadId === null || !this.address) return;
    try {
      const killer = await this.driver.connect({
        ...connectionOptions(this.settings, this.address),
        connectTimeout: 5000,
      });
      try {
        await killer.query({ sql: 'KILL QUERY ?', values: [threadId] });
      } finally {
        await killer.end().catch(() => undefined);
      }
    } catch {
      // The server-side statement limit bounds it anyway.
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pool.close();
  }
}
