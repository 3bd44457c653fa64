import { useLocation } from 'preact-iso';
import { qs } from '../api/client';
import type { AuditEntry } from '../api/types';
import { ErrorNote, Loading, Page, Pager } from '../components/ui';
import { show, when } from '../lib/format';
import { can } from '../lib/permissions';
import { useResource } from '../lib/use-resource';
import { useSession } from '../session';

export function AdminAudit() {
  const { user } = useSession();
  const { query, route } = useLocation();
  const page = Number(query.page ?? '1') || 1;
  const filter = { action: query.action ?? '', resource_type: query.resource_type ?? '' };
  const list = useResource<{ audit_logs: AuditEntry[]; total: number }>(
    can.administer(user.role) ? `/audit-logs${qs({ ...filter, page, page_size: 50 })}` : null,
  );
  if (!can.administer(user.role)) return <Page title="Audit log">Only admins read the audit log.</Page>;
  const go = (f: typeof filter, p = 1) => route(`/admin/audit${qs({ ...f, page: p > 1 ? p : undefined })}`);
  return (
    <Page title="Audit log">
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          go({ action: String(f.get('action') ?? ''), resource_type: String(f.get('resource_type') ?? '') });
        }}
      >
        <label>
          Action
          <input name="action" defaultValue={filter.action} placeholder="auth.login" />
        </label>
        <label>
          Resource type
          <input name="resource_type" defaultValue={filter.resource_type} placeholder="datasource" />
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorNote error={list.error} />
      {!list.data ? <Loading /> : null}
      {list.data ? (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Resource</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {list.data.audit_logs.map((a) => (
                <tr key={a.id}>
                  <td>{when(a.created_at)}</td>
                  <td>{show(a.actor_username)}</td>
                  <td class="mono small">{a.action}</td>
                  <td class="small">
                    {a.resource_type} {show(a.resource_id)}
                  </td>
                  <td class="small">{show(a.ip)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pageSize={50} total={list.data.total} onPage={(p) => go(filter, p)} />
        </>
      ) : null}
    </Page>
  );
}
