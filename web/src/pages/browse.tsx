import { useState } from 'preact/hooks';
import { qs } from '../api/client';
import type { AssetSummary, DataSource, MetadataTree } from '../api/types';
import { SourceName } from '../components/source-name';
import { Empty, ErrorNote, Loading, Page, Pager, Status } from '../components/ui';
import { count, when } from '../lib/format';
import { useResource } from '../lib/use-resource';

/** Source → namespace → assets, each level with its counts. */
export function Browse({ source, namespace }: { source?: string; namespace?: string }) {
  if (!source) return <Sources />;
  if (namespace === undefined) return <Namespaces source={source} />;
  return <Assets source={source} namespace={decodeURIComponent(namespace)} />;
}

function SourceCount({ id }: { id: string }) {
  const tree = useResource<MetadataTree>(`/datasources/${id}/metadata`);
  return <>{tree.data ? count(tree.data.asset_count) : '…'}</>;
}

function Sources() {
  const list = useResource<{ data_sources: DataSource[]; total: number }>('/datasources?page_size=100');
  return (
    <Page title="Browse the catalog">
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.data_sources.length === 0 ? (
        <Empty>
          No data sources yet. <a href="/datasources/new">Add one</a> and run a collection task.
        </Empty>
      ) : null}
      {list.data && list.data.data_sources.length > 0 ? (
        <table>
          <caption class="sr-only">Data sources and their assets</caption>
          <thead>
            <tr>
              <th scope="col">Data source</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Assets
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.data_sources.map((ds) => (
              <tr key={ds.id}>
                <td>
                  <a href={`/browse/${ds.id}`}>{ds.name}</a>
                </td>
                <td>{ds.type}</td>
                <td>
                  <Status value={ds.status} />
                </td>
                <td class="num">
                  <SourceCount id={ds.id} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}

function Namespaces({ source }: { source: string }) {
  const tree = useResource<MetadataTree>(`/datasources/${source}/metadata`);
  const t = tree.data;
  return (
    <Page title={t ? t.data_source_name : 'Data source'}>
      <nav aria-label="Breadcrumb" class="crumbs">
        <a href="/">All sources</a> / <span aria-current="page">{t?.data_source_name ?? source}</span>
      </nav>
      <ErrorNote error={tree.error} />
      {tree.loading && !t ? <Loading /> : null}
      {t ? (
        <>
          <p class="muted">
            {count(t.asset_count)} assets ·{' '}
            {Object.entries(t.counts ?? {})
              .map(([k, v]) => `${count(v)} ${k}`)
              .join(' · ')}{' '}
            · last collected {when(t.last_collected_at)} · <a href={`/datasources/${source}`}>source details</a>
          </p>
          {t.namespaces.length === 0 ? <Empty>Nothing collected yet: run a task on this source.</Empty> : null}
          <ul class="cards">
            {t.namespaces.map((ns) => (
              <li key={ns.name} class="card">
                <a href={`/browse/${source}/${encodeURIComponent(ns.name)}`}>{ns.name}</a>
                <div class="muted small">
                  {ns.kind} · {count(ns.asset_count)} assets
                  {Object.entries(ns.counts ?? {}).map(([k, v]) => ` · ${count(v)} ${k}`)}
                </div>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Page>
  );
}

function Assets({ source, namespace }: { source: string; namespace: string }) {
  const [page, setPage] = useState(1);
  const list = useResource<{ assets: AssetSummary[]; total: number; page_size: number }>(
    `/metadata/assets${qs({ datasource_id: source, namespace, page, page_size: 50 })}`,
  );
  return (
    <Page title={namespace}>
      <nav aria-label="Breadcrumb" class="crumbs">
        <a href="/">All sources</a> /{' '}
        <a href={`/browse/${source}`}>
          <SourceName id={source} />
        </a>{' '}
        / <span aria-current="page">{namespace}</span>
      </nav>
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <>
          <table>
            <caption class="sr-only">Assets in {namespace}</caption>
            <thead>
              <tr>
                <th scope="col">Asset</th>
                <th scope="col">Type</th>
                <th scope="col" class="num">
                  Fields
                </th>
                <th scope="col" class="num">
                  Rows
                </th>
                <th scope="col">Changed</th>
              </tr>
            </thead>
            <tbody>
              {list.data.assets.map((a) => (
                <tr key={a.id}>
                  <td>
                    <a href={`/assets/${a.id}`}>{a.name}</a>
                    {a.comment ? <div class="muted small">{a.comment}</div> : null}
                  </td>
                  <td>{a.type}</td>
                  <td class="num">{count(a.field_count)}</td>
                  <td class="num">{count(a.statistics?.rows)}</td>
                  <td>{when(a.changed_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pageSize={50} total={list.data.total} onPage={setPage} />
        </>
      ) : null}
    </Page>
  );
}
