import { QueryResultRow } from 'pg';
import { PgLane, PgSession } from './session';

/**
 * Catalog statements streamed through server-side cursors (DECLARE … FETCH) in read-only
 * transactions on pooled connections. Every FETCH is a statement of its own, so the source's
 * statement_timeout bounds each fetch rather than a cursor's whole life, and several cursors share
 * a connection when the source allows fewer connections than there are cursors (their fetches then
 * take turns). The cursors of one collection each get a connection while there are enough.
 */
export class CursorLanes {
  private opened = 0;

  private constructor(
    private readonly lanes: PgLane[],
    private readonly signal: AbortSignal,
  ) {}

  static async open(session: PgSession, count: number, signal: AbortSignal): Promise<CursorLanes> {
    const lanes: PgLane[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const lane = await session.reserve(signal);
        lanes.push(lane);
        await lane.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', [], signal, false);
      }
    } catch (err) {
      for (const lane of lanes) lane.release();
      throw err;
    }
    return new CursorLanes(lanes, signal);
  }

  get size(): number {
    return this.lanes.length;
  }

  /**
   * Declares a cursor for the statement on the next connection in turn and yields its rows,
   * `fetchSize` at a time, asking for the next fetch while the caller works on the current one.
   */
  async *stream<R extends QueryResultRow>(sql: string, values: unknown[], fetchSize: number): AsyncGenerator<R[]> {
    const lane = this.lanes[this.opened % this.lanes.length];
    const name = `catalog_${++this.opened}`;
    await lane.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, values, this.signal);
    const fetch = () => {
      const rows = lane.query<R>(`FETCH ${fetchSize} FROM ${name}`, [], this.signal, false);
      // Awaited below; a failure while the caller is busy must not count as unhandled.
      rows.catch(() => undefined);
      return rows;
    };
    let next: Promise<R[]> | undefined = fetch();
    while (next) {
      const rows: R[] = await next;
      next = rows.length === fetchSize ? fetch() : undefined;
      if (rows.length > 0) yield rows;
    }
  }

  /** Ends the transactions (closing their cursors) and returns the connections; broken ones are dropped. */
  async close(): Promise<void> {
    await Promise.allSettled(
      this.lanes.map(async (lane) => {
        try {
          if (!lane.broken) await lane.query('COMMIT', [], new AbortController().signal, false);
        } finally {
          lane.release();
        }
      }),
    );
  }
}
