import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../api/client';
import type { Execution, ExecutionLog } from '../api/types';
import { ErrorNote, Loading, Page, Status } from '../components/ui';
import { count, ms, when } from '../lib/format';
import { usePolling, useResource } from '../lib/use-resource';

const LIVE = new Set(['pending', 'running']);
const PAGE = 100;

/** One run: progress and logs refresh while it runs; the error with its hint when it failed. */
export function RunPage({ id, run }: { id: string; run: string }) {
  const exec = useResource<Execution>(`/tasks/${id}/executions/${run}`);
  const [logs, setLogs] = useState<{ lines: ExecutionLog[]; total: number } | undefined>();
  const [logError, setLogError] = useState<Error | undefined>();
  const live = !exec.data || LIVE.has(exec.data.status);
  const loadLogs = async () => {
    try {
      const base = `/tasks/${id}/executions/${run}/logs?page_size=${PAGE}`;
      let res = await get<{ logs: ExecutionLog[]; total: number }>(base);
      const last = Math.ceil(res.total / PAGE);
      if (last > 1) res = await get<{ logs: ExecutionLog[]; total: number }>(`${base}&page=${last}`);
      setLogs({ lines: res.logs, total: res.total });
    } catch (e) {
      setLogError(e as Error);
    }
  };
  useEffect(() => void loadLogs(), [id, run]);
  usePolling(
    () => {
      exec.reload();
      void loadLogs();
    },
    1000,
    live,
  );
  // Catch the last lines once the run ends.
  const wasLive = useRef(live);
  useEffect(() => {
    if (wasLive.current && !live) void loadLogs();
    wasLive.current = live;
  }, [live]);
  if (exec.error) return <ErrorNote error={exec.error} />;
  if (!exec.data) return <Loading />;
  const e = exec.data;
  const pct = e.progress ? Math.round(e.progress.percent) : e.status === 'completed' ? 100 : 0;
  return (
    <Page title={`Run of ${when(e.start_time)}`}>
      <nav aria-label="Breadcrumb" class="crumbs">
        <a href="/tasks">Tasks</a> / <a href={`/tasks/${id}`}>task</a> / <span aria-current="page">run {e.id}</span>
      </nav>
      <div class="card run-head">
        <p>
          <Status value={e.status} /> {e.trigger} · attempt {e.attempt} of {e.max_attempts} ·{' '}
          {e.duration !== null ? ms(e.duration) : live ? 'running…' : '—'}
        </p>
        <label class="progress">
          <span>
            {e.progress?.phase ?? e.status}: {count(e.progress?.assets_done)} of {count(e.progress?.assets_known)}{' '}
            assets
          </span>
          <progress max={100} value={pct} aria-label="Run progress">
            {pct} %
          </progress>
          <span aria-live="polite" class="pct">
            {pct} %
          </span>
        </label>
        {e.result ? (
          <p class="muted">
            {count(e.result.tables_processed)} assets · {count(e.result.records_processed)} records ·{' '}
            {count(e.result.errors_count)} errors · {count(e.result.warnings_count)} warnings
          </p>
        ) : null}
        {e.error ? (
          <div class="note error" role="alert">
            <strong>{e.error.code}</strong>: {e.error.message}
            {e.error.details ? <div class="hint">{e.error.details}</div> : null}
          </div>
        ) : null}
      </div>
      <section aria-labelledby="logs-h">
        <h2 id="logs-h">Logs</h2>
        <ErrorNote error={logError} />
        {logs ? (
          <>
            <p class="muted small">
              {logs.total > logs.lines.length
                ? `Last ${logs.lines.length} of ${logs.total} lines`
                : `${logs.total} lines`}
              {live ? ' · following' : ''}
            </p>
            <ol class="logs" tabIndex={0} aria-label="Log lines">
              {logs.lines.map((l) => (
                <li key={l.seq} class={`log ${l.level}`}>
                  <time>{new Date(l.time).toLocaleTimeString()}</time> <span class="level">{l.level}</span> {l.message}
                </li>
              ))}
            </ol>
          </>
        ) : (
          <Loading what="Loading logs" />
        )}
      </section>
    </Page>
  );
}
