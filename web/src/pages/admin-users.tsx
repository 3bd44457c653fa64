import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Role, User } from '../api/types';
import { ErrorNote, Loading, Page, Pager, Status } from '../components/ui';
import { when } from '../lib/format';
import { can } from '../lib/permissions';
import { useResource } from '../lib/use-resource';
import { useSession } from '../session';

const ROLES: Role[] = ['admin', 'operator', 'steward', 'viewer'];

export function AdminUsers() {
  const { user: me } = useSession();
  const [page, setPage] = useState(1);
  const list = useResource<{ users: User[]; total: number }>(`/users?page=${page}&page_size=50`);
  const [error, setError] = useState<Error | undefined>();
  if (!can.administer(me.role)) return <Page title="Users">Only admins manage users.</Page>;
  const update = async (u: User, patch: Partial<Pick<User, 'role' | 'disabled'>>) => {
    setError(undefined);
    try {
      await api('PUT', `/users/${u.id}`, patch);
      list.reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  const create = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    setError(undefined);
    try {
      await api('POST', '/users', { username: f.get('username'), password: f.get('password'), role: f.get('role') });
      form.reset();
      list.reload();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <Page title="Users">
      <ErrorNote error={error ?? list.error} />
      {!list.data ? <Loading /> : null}
      {list.data ? (
        <table>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">State</th>
              <th scope="col">Last sign-in</th>
            </tr>
          </thead>
          <tbody>
            {list.data.users.map((u) => (
              <tr key={u.id}>
                <td>{u.username}</td>
                <td>
                  <select
                    aria-label={`Role of ${u.username}`}
                    value={u.role}
                    disabled={u.id === me.id}
                    onChange={(e) => void update(u, { role: e.currentTarget.value as Role })}
                  >
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </td>
                <td>
                  <Status value={u.disabled ? 'paused' : 'active'} />{' '}
                  {u.id !== me.id ? (
                    <button type="button" class="small" onClick={() => void update(u, { disabled: !u.disabled })}>
                      {u.disabled ? 'Enable' : 'Disable'}
                      <span class="sr-only"> {u.username}</span>
                    </button>
                  ) : null}
                </td>
                <td>{when(u.last_login_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list.data ? <Pager page={page} pageSize={50} total={list.data.total} onPage={setPage} /> : null}
      <form class="form card" onSubmit={create} aria-labelledby="new-user-h">
        <h2 id="new-user-h">New user</h2>
        <div class="row">
          <label class="grow">
            User name
            <input name="username" required autoComplete="off" />
          </label>
          <label class="grow">
            Password
            <input name="password" type="password" required autoComplete="new-password" />
          </label>
          <label>
            Role
            <select name="role" defaultValue="viewer">
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
        </div>
        <button type="submit" class="primary">
          Create user
        </button>
      </form>
    </Page>
  );
}
