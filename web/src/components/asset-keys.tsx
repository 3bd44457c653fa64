import type { Index, Key } from '../api/types';
import { Empty } from './ui';

export function KeysAndIndexes({ keys, indexes }: { keys: Key[]; indexes: Index[] }) {
  return (
    <div class="grid2">
      <section aria-labelledby="keys-h">
        <h2 id="keys-h">Keys and constraints</h2>
        {keys.length === 0 ? <Empty>No keys.</Empty> : null}
        {keys.length ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Columns</th>
                <th scope="col">References</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.name}>
                  <td>{k.name}</td>
                  <td>{k.type}</td>
                  <td class="mono">{k.columns.join(', ') || k.definition}</td>
                  <td class="mono">
                    {k.references
                      ? `${k.references.namespace ? `${k.references.namespace}.` : ''}${k.references.table} (${k.references.columns.join(', ')})`
                      : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <section aria-labelledby="idx-h">
        <h2 id="idx-h">Indexes</h2>
        {indexes.length === 0 ? <Empty>No indexes.</Empty> : null}
        {indexes.length ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Columns</th>
                <th scope="col">Unique</th>
                <th scope="col">Method</th>
              </tr>
            </thead>
            <tbody>
              {indexes.map((i) => (
                <tr key={i.name}>
                  <td>{i.name}</td>
                  <td class="mono">
                    {i.columns.join(', ')}
                    {i.predicate ? ` WHERE ${i.predicate}` : ''}
                  </td>
                  <td>{i.unique ? 'yes' : 'no'}</td>
                  <td>{i.method ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}
