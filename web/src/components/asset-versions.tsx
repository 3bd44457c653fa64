import { useState } from 'preact/hooks';
import type { Version } from '../api/types';
import { when } from '../lib/format';
import { type AssetDiff, diffRows } from '../lib/diff';
import { useResource } from '../lib/use-resource';
import { Badge, Empty, ErrorNote, Loading, Pager } from './ui';

/** The asset's versions, newest first; the picked one as a side-by-side diff of what its run changed. */
export function VersionsPanel({ assetId }: { assetId: string }) {
  const [page, setPage] = useState(1);
  const list = useResource<{ versions: Version[]; total: number }>(
    `/metadata/assets/${assetId}/versions?page=${page}&page_size=20`,
  );
  const [picked, setPicked] = useState<string | undefined>();
  if (list.error) return <ErrorNote error={list.error} />;
  if (!list.data) return <Loading />;
  const versions = list.data.versions;
  if (versions.length === 0) return <Empty>No versions recorded yet.</Empty>;
  const current = versions.find((v) => v.id === picked) ?? versions[0];
  return (
    <div class="versions">
      <nav aria-label="Versions" class="version-list">
        <ol>
          {versions.map((v) => (
            <li key={v.id}>
              <button
                type="button"
                class="link"
                aria-current={v.id === current.id ? 'true' : undefined}
                onClick={() => setPicked(v.id)}
              >
                {when(v.created_at)}
              </button>{' '}
              <Badge tone={v.change === 'removed' ? 'bad' : v.change === 'added' ? 'ok' : 'info'}>{v.change}</Badge>
              <div class="muted small">
                +{v.fields_added} −{v.fields_removed} ~{v.fields_altered} fields
              </div>
            </li>
          ))}
        </ol>
        <Pager page={page} pageSize={20} total={list.data.total} onPage={setPage} />
      </nav>
      <DiffView version={current} />
    </div>
  );
}

function DiffView({ version }: { version: Version }) {
  const rows = diffRows(version.diff as AssetDiff);
  return (
    <section class="diff" aria-labelledby="diff-h">
      <h2 id="diff-h">
        What the run of {when(version.created_at)} changed{' '}
        {version.execution_id ? <span class="muted small">(execution {version.execution_id})</span> : null}
      </h2>
      {rows.length === 0 ? <Empty>No shape change recorded in this version.</Empty> : null}
      {rows.length ? (
        <table class="diff-table">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} class={r.kind}>
                <th scope="row">
                  <span class="muted small">{r.section}</span> {r.name} <span class="sr-only">{r.kind}</span>
                  <span aria-hidden="true" class="kind">
                    {r.kind === 'added' ? '+' : r.kind === 'removed' ? '−' : '~'}
                  </span>
                </th>
                <td class="before mono">{r.before}</td>
                <td class="after mono">{r.after}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
