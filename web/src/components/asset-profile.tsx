import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { AssetDetail } from '../api/types';
import { bytes, count, percent, show, when } from '../lib/format';
import { Bar, TopValues } from './charts';
import { Empty } from './ui';

export function ProfilePanel({ asset }: { asset: AssetDetail }) {
  const p = asset.latest_profile;
  const [picked, setPicked] = useState<string | undefined>(p?.columns.find((c) => c.top_values?.length)?.name);
  const column = p?.columns.find((c) => c.name === picked);
  const rows = p?.row_count ?? 0;
  return (
    <div>
      <section aria-labelledby="stats-h">
        <h2 id="stats-h">Statistics</h2>
        <dl class="inline-dl">
          <dt>Rows</dt>
          <dd>{count(asset.statistics?.rows)}</dd>
          <dt>Size</dt>
          <dd>{bytes(asset.statistics?.bytes)}</dd>
          <dt>As of</dt>
          <dd>{when(asset.statistics?.as_of)}</dd>
          <dt>First seen</dt>
          <dd>{when(asset.first_seen_at)}</dd>
          <dt>Last seen</dt>
          <dd>{when(asset.last_seen_at)}</dd>
          {Object.entries(asset.properties ?? {}).map(([k, v]) => (
            <Fragment key={k}>
              <dt>{k}</dt>
              <dd>{show(v)}</dd>
            </Fragment>
          ))}
        </dl>
      </section>
      <section aria-labelledby="profile-h">
        <h2 id="profile-h">Latest profile</h2>
        {!p ? <Empty>No profile yet: run a data_profile task on this source.</Empty> : null}
        {p ? (
          <>
            <p class="muted">
              {when(p.created_at)} · {count(p.row_count)} rows{p.sampled ? ` (sampled ${count(p.sample_rows)})` : ''}
            </p>
            <div class="grid2">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Column</th>
                    <th scope="col">Nulls</th>
                    <th scope="col">Distinct</th>
                    <th scope="col">Min / max</th>
                  </tr>
                </thead>
                <tbody>
                  {p.columns.map((c) => (
                    <tr key={c.name} class={c.name === picked ? 'selected' : ''}>
                      <td>
                        {c.top_values?.length ? (
                          <button
                            type="button"
                            class="link"
                            aria-pressed={c.name === picked}
                            onClick={() => setPicked(c.name)}
                          >
                            {c.name}
                          </button>
                        ) : (
                          c.name
                        )}
                      </td>
                      <td>
                        <Bar ratio={c.null_ratio} label={`${c.name}: ${percent(c.null_ratio)} null`} tone="warn-fill" />{' '}
                        {percent(c.null_ratio)}
                      </td>
                      <td>
                        <Bar
                          ratio={rows ? c.distinct_count / rows : c.distinct_ratio}
                          label={`${c.name}: ${count(c.distinct_count)} distinct`}
                        />{' '}
                        {count(c.distinct_count)}
                      </td>
                      <td class="mono small">
                        {show(c.min)} … {show(c.max)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div>
                {column?.top_values?.length ? (
                  <TopValues values={column.top_values} total={rows} column={column.name} />
                ) : (
                  <Empty>Pick a column with top values to chart them.</Empty>
                )}
              </div>
            </div>
          </>
        ) : null}
      </section>
    </div>
  );
}
