import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Execution, Task } from '../api/types';
import { SourceName } from '../components/source-name';
import { Empty, ErrorNote, Loading, Page, Pager, Status } from '../components/ui';
import { ms, when } from '../lib/format';
import { inZone, nextFirings } from '../lib/next-firings';
import { can } from '../lib/permissions';
import { usePolling, useResource } from '../lib/use-resource';
import { useSession } from '../session';

const LIVE = new Set(['pending', 'running']);

export function TaskDetail({ id }: { id: string }) {
  const { user } = useSession();
  const { route } = useLocation();
  const task = useResource<Task>(`/tasks/${id}`);
  const [page, setPage] = useState(1);
  const runs = useResource<{ executions: Execution[]; total: number }>(
    `/tasks/${id}/executions?page=${page}&page_size=20`,
  );
  const [error, setError] = useState<Error | undefined>();
  const live = !!runs.data?.executions.some((e) => LIVE.has(e.status));
  usePolling(
    () => {
      runs.reload();
      task.reload();
    },
    1500,
    live,
  );
  if (task.error) return <ErrorNote error={task.error} />;
  if (!task.data) return <Loading />;
  const t = task.data;
  const act = async (action: string) => {
    setError(undefined);
    try {
      if (action === 'execute') {
        const res = await api<{ execution_id: string }>('POST', `/tasks/${id}/execute`, {});
        route(`/tasks/${id}/runs/${res.execution_id}`);
        return;
      }
      if (action === 'delete') {
        if (!confirm(`Delete the task ${t.name}?`)) return;
        await api('DELETE', `/tasks/${id}`);
        route('/tasks');
        return;
      }
      await api('POST', `/tasks/${id}/${action}`);
      task.reload();
      runs.reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  const buttons: Array<[string, string, boolean]> = [
    ['execute', 'Run now', true],
    ['start', 'Start', t.status === 'inactive'],
    ['pause', 'Pause', t.status === 'active'],
    ['resume', 'Resume', t.status === 'paused'],
    ['stop', 'Stop', t.status !== 'inactive'],
  ];
  const upcoming = t.status === 'active' ? nextFirings(t.schedule) : [];
  const zone = t.schedule.type === 'cron' ? t.schedule.timezone || 'UTC' : 'UTC';
  return (
    <Page
      title={t.name}
      actions={
        can.manageTasks(user.role) ? (
          <>
            {buttons
              .filter(([, , shown]) => shown)
              .map(([action, label]) => (
                <button
                  key={action}
                  type="button"
                  class={action === 'execute' ? 'primary' : ''}
                  onClick={() => void act(action)}
                >
                  {label}
                </button>
              ))}
            <a class="button" href={`/tasks/${id}/edit`}>
              Edit
            </a>
            <button type="button" class="danger" onClick={() => void act('delete')}>
              Delete
            </button>
          </>
        ) : null
      }
    >
      <ErrorNote error={error} />
      <dl class="inline-dl">
        <dt>Status</dt>
        <dd>
          <Status value={t.status} />
        </dd>
        <dt>Type</dt>
        <dd>{t.type}</dd>
        <dt>Source</dt>
        <dd>
          <a href={`/datasources/${t.datasource_id}`}>
            <SourceName id={t.datasource_id} />
          </a>
        </dd>
        <dt>Schedule</dt>
        <dd class="mono">
          {t.schedule.type}
          {t.schedule.cron_expr ? ` ${t.schedule.cron_expr} (${zone})` : ''}
          {t.schedule.interval ? ` every ${t.schedule.interval} s` : ''}
        </dd>
        <dt>Next firing</dt>
        <dd>{when(t.next_execute_at)}</dd>
      </dl>
      {upcoming.length ? (
        <p class="muted small">Next firings: {upcoming.map((d) => inZone(d, zone)).join(' · ')}</p>
      ) : null}
      <section aria-labelledby="runs-h">
        <h2 id="runs-h">Runs</h2>
        <ErrorNote error={runs.error} />
        {runs.data && runs.data.executions.length === 0 ? <Empty>No runs yet.</Empty> : null}
        {runs.data && runs.data.executions.length ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Status</th>
                <th scope="col">Trigger</th>
                <th scope="col">Progress</th>
                <th scope="col" class="num">
                  Duration
                </th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.executions.map((e) => (
                <tr key={e.id}>
                  <td>
                    <a href={`/tasks/${id}/runs/${e.id}`}>{when(e.start_time)}</a>
                  </td>
                  <td>
                    <Status value={e.status} />
                  </td>
                  <td>
                    {e.trigger}
                    {e.attempt > 1 ? ` (attempt ${e.attempt}/${e.max_attempts})` : ''}
                  </td>
                  <td>{e.progress ? `${Math.round(e.progress.percent)} %` : '—'}</td>
                  <td class="num">{e.duration !== null ? ms(e.duration) : '—'}</td>
                  <td class="bad-text small">{e.error?.message ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {runs.data ? <Pager page={page} pageSize={20} total={runs.data.total} onPage={setPage} /> : null}
      </section>
    </Page>
  );
}
