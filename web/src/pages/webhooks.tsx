import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Webhook } from '../api/types';
import { Empty, ErrorNote, Loading, Page, Status } from '../components/ui';
import { can } from '../lib/permissions';
import { useResource } from '../lib/use-resource';
import { useSession } from '../session';

export const WEBHOOK_EVENTS = [
  'datasource.status_changed',
  'datasource.connection_failed',
  'execution.finished',
  'metadata.changed',
  'annotations.changed',
];

export function Webhooks() {
  const { user } = useSession();
  const list = useResource<{ webhooks: Webhook[] }>('/webhooks?page_size=100');
  const [created, setCreated] = useState<Webhook | undefined>();
  if (!can.manageWebhooks(user.role))
    return <Page title="Webhooks">Webhooks are managed by admins and operators.</Page>;
  return (
    <Page title="Webhooks">
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {created?.secret ? (
        <div class="note" role="status">
          Webhook <strong>{created.name}</strong> created. Its signing secret is shown once:{' '}
          <code>{created.secret}</code>
        </div>
      ) : null}
      {list.data && list.data.webhooks.length === 0 ? <Empty>No webhooks yet.</Empty> : null}
      {list.data && list.data.webhooks.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {list.data.webhooks.map((w) => (
              <tr key={w.id}>
                <td>
                  <a href={`/webhooks/${w.id}`}>{w.name}</a>
                </td>
                <td class="mono small">{w.url}</td>
                <td class="small">{w.events.join(', ')}</td>
                <td>
                  <Status value={w.active ? 'active' : 'paused'} />
                  {w.disabled_reason ? <div class="small bad-text">{w.disabled_reason}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <NewWebhook
        onCreated={(w) => {
          setCreated(w);
          list.reload();
        }}
      />
    </Page>
  );
}

function NewWebhook({ onCreated }: { onCreated: (w: Webhook) => void }) {
  const [error, setError] = useState<Error | undefined>();
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    setError(undefined);
    try {
      const w = await api<Webhook>('POST', '/webhooks', {
        name: String(f.get('name')),
        url: String(f.get('url')),
        events: f.getAll('events').map(String),
      });
      form.reset();
      onCreated(w);
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <form class="form card" onSubmit={submit} aria-labelledby="new-webhook-h">
      <h2 id="new-webhook-h">New webhook</h2>
      <label>
        Name
        <input name="name" required />
      </label>
      <label>
        URL
        <input name="url" type="url" required placeholder="https://example.com/hooks/metadata" />
      </label>
      <fieldset>
        <legend>Events</legend>
        {WEBHOOK_EVENTS.map((ev) => (
          <label key={ev} class="check">
            <input type="checkbox" name="events" value={ev} /> {ev}
          </label>
        ))}
      </fieldset>
      <ErrorNote error={error} />
      <button type="submit" class="primary">
        Create webhook
      </button>
    </form>
  );
}
