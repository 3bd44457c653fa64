import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Delivery, Webhook } from '../api/types';
import { Empty, ErrorNote, Loading, Page, Pager, Status } from '../components/ui';
import { ms, show, when } from '../lib/format';
import { useResource } from '../lib/use-resource';

export function WebhookDetail({ id }: { id: string }) {
  const { route } = useLocation();
  const hook = useResource<Webhook>(`/webhooks/${id}`);
  const [page, setPage] = useState(1);
  const deliveries = useResource<{ deliveries: Delivery[]; total: number }>(
    `/webhooks/${id}/deliveries?page=${page}&page_size=20`,
  );
  const [error, setError] = useState<Error | undefined>();
  const [note, setNote] = useState('');
  if (hook.error) return <ErrorNote error={hook.error} />;
  if (!hook.data) return <Loading />;
  const w = hook.data;
  const run = async (what: () => Promise<unknown>, done: string) => {
    setError(undefined);
    setNote('');
    try {
      await what();
      setNote(done);
      hook.reload();
      deliveries.reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <Page
      title={w.name}
      actions={
        <>
          <button type="button" onClick={() => void run(() => api('POST', `/webhooks/${id}/ping`), 'Ping queued.')}>
            Send ping
          </button>
          <button
            type="button"
            onClick={() =>
              void run(() => api('PUT', `/webhooks/${id}`, { active: !w.active }), w.active ? 'Paused.' : 'Resumed.')
            }
          >
            {w.active ? 'Pause' : 'Resume'}
          </button>
          <button
            type="button"
            onClick={() =>
              void run(async () => {
                const r = await api<Webhook>('POST', `/webhooks/${id}/rotate-secret`);
                setNote(`New signing secret (shown once): ${r.secret ?? ''}`);
              }, '')
            }
          >
            Rotate secret
          </button>
          <button
            type="button"
            class="danger"
            onClick={() =>
              confirm(`Delete the webhook ${w.name}?`) &&
              void run(async () => {
                await api('DELETE', `/webhooks/${id}`);
                route('/webhooks');
              }, '')
            }
          >
            Delete
          </button>
        </>
      }
    >
      <ErrorNote error={error} />
      {note ? (
        <p class="note" role="status">
          {note}
        </p>
      ) : null}
      <dl class="inline-dl">
        <dt>URL</dt>
        <dd class="mono">{w.url}</dd>
        <dt>Events</dt>
        <dd>{w.events.join(', ')}</dd>
        <dt>State</dt>
        <dd>
          <Status value={w.active ? 'active' : 'paused'} /> {w.consecutive_failures} failures in a row{' '}
          {show(w.disabled_reason)}
        </dd>
      </dl>
      <section aria-labelledby="deliveries-h">
        <h2 id="deliveries-h">Deliveries</h2>
        <ErrorNote error={deliveries.error} />
        {deliveries.data && deliveries.data.deliveries.length === 0 ? <Empty>No deliveries yet.</Empty> : null}
        {deliveries.data && deliveries.data.deliveries.length ? (
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Answer</th>
                <th scope="col">Attempts</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.deliveries.map((d) => (
                <tr key={d.id}>
                  <td>{when(d.created_at)}</td>
                  <td>{d.event}</td>
                  <td>
                    <Status value={d.status} />
                  </td>
                  <td class="small">
                    {d.status_code ?? '—'} · {ms(d.latency_ms)}
                    {d.last_error ? <div class="bad-text">{d.last_error}</div> : null}
                  </td>
                  <td>{d.attempts}</td>
                  <td>
                    <button
                      type="button"
                      class="small"
                      aria-label={`Redeliver ${d.event} of ${when(d.created_at)}`}
                      onClick={() =>
                        void run(
                          () => api('POST', `/webhooks/${id}/deliveries/${d.id}/redeliver`),
                          'Redelivery queued.',
                        )
                      }
                    >
                      Redeliver
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {deliveries.data ? <Pager page={page} pageSize={20} total={deliveries.data.total} onPage={setPage} /> : null}
      </section>
    </Page>
  );
}
