import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { qs } from '../api/client';
import type { DataSource, SearchResult } from '../api/types';
import { Badge, Empty, ErrorNote, Loading, Page, Pager } from '../components/ui';
import { Highlight } from '../lib/highlight';
import { useResource } from '../lib/use-resource';

const FILTERS = ['q', 'datasource_id', 'type', 'tag', 'owner', 'term', 'certification'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number] | 'page', string>>;

/** Global search; every filter lives in the address so results can be linked and go back/forward. */
export function Search() {
  const { query, route } = useLocation();
  const current: Filters = Object.fromEntries(FILTERS.map((k) => [k, query[k] ?? '']));
  const page = Number(query.page ?? '1') || 1;
  const [draft, setDraft] = useState<Filters>(current);
  const sources = useResource<{ data_sources: DataSource[] }>('/datasources?page_size=100');
  const anything = FILTERS.some((k) => current[k]);
  const results = useResource<{ results: SearchResult[]; total: number }>(
    anything ? `/metadata/search${qs({ ...current, page, page_size: 25 })}` : null,
  );
  const go = (f: Filters, p = 1) => route(`/search${qs({ ...f, page: p > 1 ? p : undefined })}`);
  const set = (k: keyof Filters) => (e: Event) =>
    setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  const sourceName = (id: string) => sources.data?.data_sources.find((s) => s.id === id)?.name ?? id;
  return (
    <Page title="Search">
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go(draft);
        }}
      >
        <label class="grow">
          Name, comment, description or term
          <input type="search" name="q" value={draft.q} onInput={set('q')} placeholder="e.g. orders" />
        </label>
        <label>
          Source
          <select name="datasource_id" value={draft.datasource_id} onChange={set('datasource_id')}>
            <option value="">Any</option>
            {sources.data?.data_sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select name="type" value={draft.type} onChange={set('type')}>
            <option value="">Any</option>
            <option value="asset">Assets</option>
            <option value="field">Fields</option>
          </select>
        </label>
        <label>
          Tag
          <input name="tag" value={draft.tag} onInput={set('tag')} />
        </label>
        <label>
          Owner
          <input name="owner" value={draft.owner} onInput={set('owner')} />
        </label>
        <label>
          Term
          <input name="term" value={draft.term} onInput={set('term')} />
        </label>
        <label>
          Certification
          <select name="certification" value={draft.certification} onChange={set('certification')}>
            <option value="">Any</option>
            <option value="certified">Certified</option>
            <option value="deprecated">Deprecated</option>
          </select>
        </label>
        <button type="submit" class="primary">
          Search
        </button>
      </form>
      <ErrorNote error={results.error} />
      {results.loading ? <Loading what="Searching" /> : null}
      {!anything ? <Empty>Type a name or pick a filter.</Empty> : null}
      {anything && results.data ? (
        <>
          <p role="status" class="muted">
            {results.data.total.toLocaleString()} result{results.data.total === 1 ? '' : 's'}
          </p>
          <ol class="results">
            {results.data.results.map((r) => (
              <li key={`${r.type}-${r.id}`} class="card">
                <a
                  href={`/assets/${r.asset_id}${r.type === 'field' ? `?field=${encodeURIComponent(r.field_name ?? '')}` : ''}`}
                >
                  <Highlight
                    text={r.type === 'field' ? `${r.asset_name}.${r.field_name}` : r.asset_name}
                    needle={current.q ?? ''}
                  />
                </a>{' '}
                <Badge>{r.type === 'field' ? (r.data_type ?? 'field') : r.asset_type}</Badge>
                <div class="muted small">
                  {sourceName(r.data_source_id)} / {r.namespace} · matched {r.match} in {r.matched_in}
                </div>
                {r.matched_text && r.matched_in !== 'name' ? (
                  <div class="small">
                    <Highlight text={r.matched_text} needle={current.q ?? ''} />
                  </div>
                ) : null}
              </li>
            ))}
          </ol>
          <Pager page={page} pageSize={25} total={results.data.total} onPage={(p) => go(current, p)} />
        </>
      ) : null}
    </Page>
  );
}
