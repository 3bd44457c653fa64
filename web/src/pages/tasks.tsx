import { useLocation } from 'preact-iso';
import { qs } from '../api/client';
import type { DataSource, Task } from '../api/types';
import { Empty, ErrorNote, Loading, Page, Pager, Status } from '../components/ui';
import { when } from '../lib/format';
import { can } from '../lib/permissions';
import { useResource } from '../lib/use-resource';
import { useSession } from '../session';

export function Tasks() {
  const { user } = useSession();
  const { query, route } = useLocation();
  const page = Number(query.page ?? '1') || 1;
  const list = useResource<{ tasks: Task[]; total: number }>(
    `/tasks${qs({ status: query.status, page, page_size: 25 })}`,
  );
  const sources = useResource<{ data_sources: DataSource[] }>('/datasources?page_size=100');
  const sourceName = (id: string) => sources.data?.data_sources.find((s) => s.id === id)?.name ?? id;
  return (
    <Page
      title="Tasks"
      actions={
        can.manageTasks(user.role) ? (
          <a class="button primary" href="/tasks/new">
            New task
          </a>
        ) : null
      }
    >
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.tasks.length === 0 ? <Empty>No tasks yet.</Empty> : null}
      {list.data && list.data.tasks.length ? (
        <table>
          <caption class="sr-only">Tasks</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Source</th>
              <th scope="col">Type</th>
              <th scope="col">Schedule</th>
              <th scope="col">Status</th>
              <th scope="col">Next firing</th>
              <th scope="col">Last run</th>
            </tr>
          </thead>
          <tbody>
            {list.data.tasks.map((t) => (
              <tr key={t.id}>
                <td>
                  <a href={`/tasks/${t.id}`}>{t.name}</a>
                </td>
                <td>{sourceName(t.datasource_id)}</td>
                <td>{t.type}</td>
                <td class="mono small">
                  {t.schedule.type === 'cron'
                    ? `${t.schedule.cron_expr} ${t.schedule.timezone ?? 'UTC'}`
                    : t.schedule.type}
                  {t.schedule.type === 'interval' ? ` ${t.schedule.interval}s` : ''}
                </td>
                <td>
                  <Status value={t.status} />
                </td>
                <td>{when(t.next_execute_at)}</td>
                <td>{when(t.last_executed_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list.data ? (
        <Pager
          page={page}
          pageSize={25}
          total={list.data.total}
          onPage={(p) => route(`/tasks${qs({ ...query, page: p })}`)}
        />
      ) : null}
    </Page>
  );
}
