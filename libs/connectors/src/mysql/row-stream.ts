import type { Readable } from 'node:stream';
import { ConnectorError, ConnectorErrorCode, throwIfAborted } from '../core/errors';
import { classifyMysqlError } from './errors';
import type { Row } from './session';

/** Rows of one statement, read as they arrive. */
export interface RowStream {
  /** The next rows (at least one), or undefined once every row was read. */
  next(): Promise<Row[] | undefined>;
  /** Done with the rows wanted: what a statement is still sending is read and dropped, and nothing more is asked for. */
  drain(): Promise<void>;
  /** Stops reading before the end; a statement still sending is stopped. Harmless once ended. */
  close(): void;
}

/** How a stream finished, for whoever lent it a connection. */
export type StreamOutcome = { kind: 'ended' } | { kind: 'failed'; error: ConnectorError } | { kind: 'stopped' };

/** Rows handed over per `next()`: what is buffered, up to this many. */
const MAX_ROWS_PER_READ = 1000;

/** Rows already read whole (drivers without streaming, chunks). */
export function rowsAsStream(rows: Row[]): RowStream {
  let pending: Row[] | undefined = rows.length ? rows : undefined;
  return {
    next: async () => {
      const out = pending;
      pending = undefined;
      return out;
    },
    drain: async () => void (pending = undefined),
    close: () => void (pending = undefined),
  };
}

/** How long to wait for rows: the first ones, which come once the server has gathered the whole result, and each next ones. */
export interface RowWaits {
  firstMs: number;
  nextMs: number;
}

/**
 * Reads a driver's object-mode row stream with back-pressure: rows are taken from its buffer only
 * when asked for, so a paused reader pauses the socket and, through TCP, the server. Each wait for
 * rows is bounded (the first one longer, see RowWaits) and so is the abort signal; the statement
 * as a whole is not.
 */
export class StreamedRows implements RowStream {
  private ended = false;
  private failure?: ConnectorError;
  private finished = false;
  private wake?: () => void;
  private arrived = false;

  constructor(
    private readonly readable: Readable,
    private readonly waits: RowWaits,
    private readonly signal: AbortSignal,
    private readonly onFinish: (outcome: StreamOutcome) => void,
  ) {
    const notify = () => this.wake?.();
    readable.on('readable', notify);
    readable.on('end', () => {
      this.ended = true;
      notify();
    });
    readable.on('error', (err: unknown) => {
      this.failure ??= classifyMysqlError(err);
      notify();
    });
  }

  async next(): Promise<Row[] | undefined> {
    for (;;) {
      if (this.failure) {
        this.finish({ kind: 'failed', error: this.failure });
        throw this.failure;
      }
      if (this.finished) return undefined;
      const rows: Row[] = [];
      while (rows.length < MAX_ROWS_PER_READ) {
        const row = this.readable.read() as Row | null;
        if (row === null) break;
        rows.push(row);
      }
      if (rows.length > 0) {
        this.arrived = true;
        return rows;
      }
      if (this.ended) {
        this.finish({ kind: 'ended' });
        return undefined;
      }
      try {
        await this.arrival();
      } catch (err) {
        this.stop();
        throw err;
      }
    }
  }

  async drain(): Promise<void> {
    while (await this.next());
  }

  close(): void {
    this.stop();
  }

  private stop(): void {
    if (this.finished) return;
    this.readable.destroy();
    this.finish({ kind: 'stopped' });
  }

  private finish(outcome: StreamOutcome): void {
    if (this.finished) return;
    this.finished = true;
    this.onFinish(outcome);
  }

  /** Resolves when rows, the end or an error arrive; rejects once the wait is over or on abort. */
  private arrival(): Promise<void> {
    const waitMs = this.arrived ? this.waits.nextMs : this.waits.firstMs;
    return new Promise((resolve, reject) => {
      const done = (error?: unknown) => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', onAbort);
        this.wake = undefined;
        if (error === undefined) resolve();
        else reject(error);
      };
      const onAbort = () => {
        try {
          throwIfAborted(this.signal);
        } catch (err) {
          done(err);
        }
      };
      const timer = setTimeout(
        () =>
          done(
            new ConnectorError(
              ConnectorErrorCode.Timeout,
              `No rows arrived within ${waitMs} ms`,
              "Raise the source's timeout or narrow the scope.",
            ),
          ),
        waitMs,
      );
      this.wake = () => done();
      this.signal.addEventListener('abort', onAbort, { once: true });
      if (this.signal.aborted) onAbort();
    });
  }
}

/**
 * The rows of several statements, one after another. The next is sent as soon as rows of the
 * current one arrive, so the server prepares it while the current one is read: two at a time.
 */
export function rowsInSequence(parts: Array<() => Promise<RowStream>>): RowStream {
  const opened: Array<Promise<RowStream>> = [];
  const open = (index: number) => {
    const stream = parts[index]();
    // Awaited when its turn comes; until then a failure must not go unhandled.
    stream.catch(() => undefined);
    opened.push(stream);
    return stream;
  };
  let index = 0;
  let current: Promise<RowStream> | undefined = parts.length ? open(0) : undefined;
  let ahead: Promise<RowStream> | undefined;
  return {
    async next() {
      while (current) {
        const rows = await (await current).next();
        if (rows) {
          if (!ahead && index + 1 < parts.length) ahead = open(index + 1);
          return rows;
        }
        index++;
        current = ahead ?? (index < parts.length ? open(index) : undefined);
        ahead = undefined;
      }
      return undefined;
    },
    async drain() {
      for (const stream of opened) await (await stream).drain();
    },
    close() {
      for (const stream of opened)
        stream.then(
          (s) => s.close(),
          () => undefined,
        );
    },
  };
}
