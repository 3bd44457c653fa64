import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { api, qs } from '../api/client';
import type { DataSource, DataSourceType } from '../api/types';
import { Empty, ErrorNote, Loading, Page, Pager, Status } from '../components/ui';
import { ms, when } from '../lib/format';
import { can } from '../lib/permissions';
import { useResource } from '../lib/use-resource';
import { useSession } from '../session';

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export function DataSources() {
  const { user } = useSession();
  const { query, route } = useLocation();
  const page = Number(query.page ?? '1') || 1;
  const filter = { type: query.type ?? '', status: query.status ?? '', name: query.name ?? '' };
  const list = useResource<{ data_sources: DataSource[]; total: number }>(
    `/datasources${qs({ ...filter, page, page_size: 25 })}`,
  );
  const types = useResource<{ types: DataSourceType[] }>('/datasources/types');
  const [note, setNote] = useState<string>('');
  const [error, setError] = useState<Error | undefined>();
  const go = (f: typeof filter, p = 1) => route(`/datasources${qs({ ...f, page: p > 1 ? p : undefined })}`);

  const exportAll = async () => {
    setError(undefined);
    try {
      const doc = await api<unknown>('POST', '/datasources/export', { format: 'json' });
      download('datasources.json', JSON.stringify(doc, null, 2));
      setNote('Exported (secrets are left out of exports).');
    } catch (e) {
      setError(e as Error);
    }
  };
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setError(undefined);
    try {
      const doc = JSON.parse(await file.text()) as Record<string, unknown>;
      const res = await api<{ message: string; success: number; failed: number }>(
        'POST',
        '/datasources/import?continue_on_error=true',
        doc,
      );
      setNote(`${res.message} (${res.success} imported, ${res.failed} failed)`);
      list.reload();
    } catch (e) {
      setError(e as Error);
    }
  };

  return (
    <Page
      title="Data sources"
      actions={
        can.manageSources(user.role) ? (
          <>
            <a class="button primary" href="/datasources/new">
              Add data source
            </a>
            <button type="button" onClick={() => void exportAll()}>
              Export
            </button>
            <label class="button">
              Import…
              <input
                type="file"
                accept="application/json,.json"
                class="sr-only"
                onChange={(e) => void importFile(e.currentTarget.files?.[0])}
              />
            </label>
          </>
        ) : null
      }
    >
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          go({
            name: String(f.get('name') ?? ''),
            type: String(f.get('type') ?? ''),
            status: String(f.get('status') ?? ''),
          });
        }}
      >
        <label class="grow">
          Name
          <input name="name" type="search" defaultValue={filter.name} />
        </label>
        <label>
          Type
          <select name="type" defaultValue={filter.type}>
            <option value="">Any</option>
            {types.data?.types.map((t) => (
              <option key={t.type} value={t.type}>
                {t.display_name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select name="status" defaultValue={filter.status}>
            <option value="">Any</option>
            {['active', 'inactive', 'error', 'testing'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      {note ? (
        <p class="note" role="status">
          {note}
        </p>
      ) : null}
      <ErrorNote error={error ?? list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.data_sources.length === 0 ? <Empty>No data sources match.</Empty> : null}
      {list.data && list.data.data_sources.length > 0 ? (
        <table>
          <caption class="sr-only">Data sources</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Last test</th>
              <th scope="col" class="num">
                Latency
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.data_sources.map((ds) => (
              <tr key={ds.id}>
                <td>
                  <a href={`/datasources/${ds.id}`}>{ds.name}</a>
                  {ds.last_error ? <div class="small bad-text">{ds.last_error}</div> : null}
                </td>
                <td>{ds.type}</td>
                <td>
                  <Status value={ds.status} />
                </td>
                <td>{when(ds.last_test_at)}</td>
                <td class="num">{ms(ds.last_latency_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list.data ? <Pager page={page} pageSize={25} total={list.data.total} onPage={(p) => go(filter, p)} /> : null}
    </Page>
  );
}
