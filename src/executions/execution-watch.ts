import { Observable } from 'rxjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExecutionDto, ExecutionLogDto } from './dto/execution.dto';
import { FINISHED_STATUSES } from './execution-types';

/** The two reads a watch makes; the caller's service decides who may read what. */
export interface WatchedExecutions {
  get(taskId: string, executionId: string): Promise<ExecutionDto>;
  logs(
    taskId: string,
    executionId: string,
    q: { page: number; page_size: number },
  ): Promise<{ logs: ExecutionLogDto[]; total: number }>;
}

export type ExecutionEvent = { execution: ExecutionDto } | { log: ExecutionLogDto };

export interface WatchOptions {
  /** How often the store is read. Executions may run on another replica, so the store is the source. */
  pollMs: number;
}

const LOG_PAGE = 100;

/** What the watcher shows again only when it changes (duration and changes move on their own). */
function stateOf(e: ExecutionDto): string {
  return JSON.stringify([e.status, e.progress, e.result, e.error, e.started_at, e.end_time]);
}

async function* events(
  executions: WatchedExecutions,
  taskId: string,
  executionId: string,
  options: WatchOptions,
  signal: AbortSignal,
): AsyncGenerator<ExecutionEvent> {
  let shown: string | undefined;
  let logsSeen = 0;
  for (;;) {
    const execution = await executions.get(taskId, executionId);
    const finished = FINISHED_STATUSES.includes(execution.status);
    // The first message is the state the execution is in when the watch begins.
    if (shown === undefined) {
      shown = stateOf(execution);
      yield { execution };
      if (finished) shown = '';
    }
    // Read after the state, so every line written before the run ended comes before its end.
    for (;;) {
      const page = Math.floor(logsSeen / LOG_PAGE) + 1;
      const batch = await executions.logs(taskId, executionId, { page, page_size: LOG_PAGE });
      const fresh = batch.logs.slice(logsSeen - (page - 1) * LOG_PAGE);
      for (const log of fresh) yield { log };
      logsSeen += fresh.length;
      if (fresh.length === 0 || logsSeen >= batch.total) break;
    }
    // The last message is always the final state, even when it was also the first.
    if (stateOf(execution) !== shown) {
      shown = stateOf(execution);
      yield { execution };
    }
    if (finished) return;
    await sleep(options.pollMs, undefined, { signal });
  }
}

/**
 * An execution's state, then its new log lines and state changes as they happen, until it ends.
 * Unsubscribing (the client cancels) stops the polling at once.
 */
export function watchExecution(
  executions: WatchedExecutions,
  taskId: string,
  executionId: string,
  options: WatchOptions,
): Observable<ExecutionEvent> {
  return new Observable<ExecutionEvent>((subscriber) => {
    const abort = new AbortController();
    void (async () => {
      try {
        for await (const event of events(executions, taskId, executionId, options, abort.signal)) {
          if (subscriber.closed) return;
          subscriber.next(event);
        }
        subscriber.complete();
      } catch (err) {
        if (!abort.signal.aborted) subscriber.error(err);
      }
    })();
    return () => abort.abort();
  });
}
