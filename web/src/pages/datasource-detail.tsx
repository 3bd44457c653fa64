import { Fragment } from 'preact';
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { DataSource, Task, TestResult } from '../api/types';
import { TestSteps } from '../components/test-steps';
import { Empty, ErrorNote, Loading, Page, Status } from '../components/ui';
import { ms, show, when } from '../lib/format';
import { can } from '../lib/permissions';
import { useResource } from '../lib/use-resource';
import { useSession } from '../session';

export function DataSourceDetail({ id }: { id: string }) {
  const { user } = useSession();
  const { route } = useLocation();
  const ds = useResource<DataSource>(`/datasources/${id}`);
  const tasks = useResource<{ tasks: Task[] }>(`/tasks?datasource_id=${id}&page_size=100`);
  const [test, setTest] = useState<TestResult | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  if (ds.error) return <ErrorNote error={ds.error} />;
  if (!ds.data) return <Loading />;
  const d = ds.data;
  const runTest = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setTest(await api<TestResult>('POST', `/datasources/${id}/test`));
      ds.reload();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setError(undefined);
    try {
      const check = await api<{ can_delete: boolean; message: string }>('GET', `/datasources/${id}/can-delete`);
      if (!check.can_delete) throw new Error(check.message || 'This data source cannot be deleted now');
      if (!confirm(`Delete the data source ${d.name}?`)) return;
      await api('DELETE', `/datasources/${id}`);
      route('/datasources');
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <Page
      title={d.name}
      actions={
        <>
          <a class="button" href={`/browse/${id}`}>
            Browse assets
          </a>
          {can.manageSources(user.role) ? (
            <>
              <button type="button" onClick={() => void runTest()} disabled={busy}>
                {busy ? 'Testing…' : 'Test connection'}
              </button>
              <a class="button" href={`/datasources/${id}/edit`}>
                Edit
              </a>
            </>
          ) : null}
          {can.deleteSources(user.role) ? (
            <button type="button" class="danger" onClick={() => void remove()}>
              Delete
            </button>
          ) : null}
        </>
      }
    >
      <ErrorNote error={error} />
      {test ? <TestSteps result={test} /> : null}
      <div class="grid2">
        <section class="card" aria-labelledby="health-h">
          <h2 id="health-h">Status and health</h2>
          <dl>
            <dt>Status</dt>
            <dd>
              <Status value={d.status} /> since {when(d.status_changed_at)}
            </dd>
            <dt>Last test</dt>
            <dd>
              {when(d.last_test_at)} · {ms(d.last_latency_ms)}
            </dd>
            <dt>Last error</dt>
            <dd class={d.last_error ? 'bad-text' : ''}>{show(d.last_error)}</dd>
            <dt>Type</dt>
            <dd>{d.type}</dd>
            <dt>Tags</dt>
            <dd>{d.tags.length ? d.tags.join(', ') : '—'}</dd>
            <dt>Description</dt>
            <dd>{show(d.description)}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="config-h">
          <h2 id="config-h">Connection</h2>
          <dl>
            {Object.entries(d.config).map(([k, v]) => (
              <Fragment key={k}>
                <dt>{k}</dt>
                <dd>{show(v)}</dd>
              </Fragment>
            ))}
          </dl>
        </section>
      </div>
      <section aria-labelledby="tasks-h">
        <h2 id="tasks-h">Tasks on this source</h2>
        {tasks.data && tasks.data.tasks.length === 0 ? <Empty>No tasks yet.</Empty> : null}
        <ul>
          {tasks.data?.tasks.map((t) => (
            <li key={t.id}>
              <a href={`/tasks/${t.id}`}>{t.name}</a> · {t.type} · <Status value={t.status} />
            </li>
          ))}
        </ul>
        {can.manageTasks(user.role) ? (
          <a class="button" href={`/tasks/new?datasource_id=${id}`}>
            New task on this source
          </a>
        ) : null}
      </section>
    </Page>
  );
}
