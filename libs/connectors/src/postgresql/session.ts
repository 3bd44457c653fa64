import { Client, Pool, PoolClient, QueryResultRow } from 'pg';
import { withDeadline } from '../core/diagnostics';
import { ConnectorError, ConnectorErrorCode, throwIfAborted } from '../core/errors';
import { LazyClient } from '../core/lazy-client';
import { ConnectContext } from '../core/types';
import { clientConfig, PgSettings, poolConfig } from './config';
import { classifyPgError } from './errors';

/** A connection held for a sequence of statements; release it when done. */
export interface PgLane {
  /** `observed: false` for statements that read no catalog (transaction control, FETCH), which observers do not count. */
  query<R extends QueryResultRow>(
    sql: string,
    values: unknown[],
    signal: AbortSignal,
    observed?: boolean,
  ): Promise<R[]>;
  /** Whether a statement on it failed or was cancelled. */
  readonly broken: boolean;
  release(): void;
}

export interface QueryObserver {
  /** Called once per statement sent to the server (benchmarks count catalog round trips with it). */
  onQuery?: (sql: string) => void;
}

/**
 * One source's connection pool, opened on first use. Every query obeys the caller's abort signal
 * (the server-side statement is cancelled with pg_cancel_backend and the connection dropped) and the
 * source's timeout (statement_timeout on every session).
 */
export class PgSession {
  private address?: string;
  // A refused or unresolvable host is retried on the next call rather than remembered.
  private readonly pool = new LazyClient<Pool>(
    async () => {
      const [address] = await this.context.guardAddress(this.settings.host);
      this.address = address;
      const pool = new Pool(poolConfig(this.settings, address));
      // An idle client losing its connection must not crash the process; the pool replaces it.
      pool.on('error', (err) =>
        this.context.log?.('warn', 'idle PostgreSQL connection failed', { error: err.message }),
      );
      return pool;
    },
    (pool) => pool.end(),
  );
  private closed = false;

  constructor(
    readonly settings: PgSettings,
    private readonly context: ConnectContext,
    private readonly observer: QueryObserver = {},
  ) {}

  private async acquire(signal: AbortSignal): Promise<PoolClient> {
    const pool = await this.pool.get();
    const pending = pool.connect();
    try {
      return await withDeadline(pending, this.settings.timeoutMs, signal, 'Connecting to PostgreSQL');
    } catch (err) {
      pending.then(
        (c) => c.release(),
        () => undefined,
      );
      throw classifyPgError(err);
    }
  }

  async query<R extends QueryResultRow>(sql: string, values: unknown[], signal: AbortSignal): Promise<R[]> {
    const lane = await this.reserve(signal);
    try {
      return await lane.query<R>(sql, values, signal);
    } finally {
      lane.release();
    }
  }

  /**
   * Holds one pooled connection for a sequence of statements (a collection's cursors and their
   * transaction, see cursors.ts).
   */
  async reserve(signal: AbortSignal): Promise<PgLane> {
    throwIfAborted(signal);
    if (this.closed) throw new ConnectorError(ConnectorErrorCode.Cancelled, 'The connection to this source was closed');
    const client = await this.acquire(signal);
    let broken = false;
    let released = false;
    return {
      query: async <R extends QueryResultRow>(
        sql: string,
        values: unknown[],
        querySignal: AbortSignal,
        observed = true,
      ) => {
        try {
          return await this.run<R>(client, sql, values, querySignal, observed);
        } catch (err) {
          broken = true;
          throw err;
        } finally {
          // An abort during the statement sent a cancel request that may reach the server after the
          // statement ended: reused, the connection would see its next statement cancelled.
          if (querySignal.aborted) broken = true;
        }
      },
      get broken() {
        return broken;
      },
      release: () => {
        if (released) return;
        released = true;
        // A failed or cancelled session may be mid-protocol: drop it rather than reuse it.
        client.release(broken);
      },
    };
  }

  private async run<R extends QueryResultRow>(
    client: PoolClient,
    sql: string,
    values: unknown[],
    signal: AbortSignal,
    observed = true,
  ): Promise<R[]> {
    throwIfAborted(signal);
    const pid = (client as unknown as { processID?: unknown }).processID;
    const onAbort = () => void this.cancelBackend(typeof pid === 'number' ? pid : undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (observed) this.observer.onQuery?.(sql);
      const result = await client.query<R>({ text: sql, values });
      return result.rows;
    } catch (err) {
      throwIfAborted(signal);
      throw classifyPgError(err);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Asks the server to stop the statement a pooled session is running (best effort, bounded). */
  private async cancelBackend(pid: number | undefined): Promise<void> {
    if (pid === undefined || !this.address) return;
    const canceller = new Client({ ...clientConfig(this.settings, this.address), connectionTimeoutMillis: 5000 });
    canceller.on('error', () => undefined);
    try {
      await canceller.connect();
      await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
    } catch {
      // The statement is bounded by statement_timeout anyway.
    } finally {
      await canceller.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pool.close();
  }
}
