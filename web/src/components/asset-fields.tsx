import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Field } from '../api/types';
import { show } from '../lib/format';
import { Highlight } from '../lib/highlight';
import { useVirtualRows } from './virtual-rows';

const ROW = 36;

/** Every field with its type, key, default and comment; only the rows in view are in the page. */
export function FieldsTable({ fields, focus }: { fields: Field[]; focus?: string }) {
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f
      ? fields.filter((x) => x.name.toLowerCase().includes(f) || (x.comment ?? '').toLowerCase().includes(f))
      : fields;
  }, [fields, filter]);
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useVirtualRows(shown.length, ROW, scroller);
  const focusIndex = focus ? shown.findIndex((f) => f.name === focus || f.path === focus) : -1;
  // A search hit on a field opens the asset scrolled to that field.
  useEffect(() => {
    if (focusIndex >= 0) rows.scrollToIndex(focusIndex, { align: 'center' });
  }, [focus]);
  return (
    <div>
      <label class="inline">
        Filter fields
        <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      </label>{' '}
      <span class="muted small" role="status">
        {shown.length.toLocaleString()} of {fields.length.toLocaleString()} fields
      </span>
      <div class="vtable" role="table" aria-label="Fields" aria-rowcount={shown.length + 1}>
        <div role="rowgroup">
          <div role="row" class="vrow head" aria-rowindex={1}>
            <span role="columnheader">#</span>
            <span role="columnheader">Name</span>
            <span role="columnheader">Type</span>
            <span role="columnheader">Null</span>
            <span role="columnheader">Default</span>
            <span role="columnheader">Comment</span>
          </div>
        </div>
        <div ref={scroller} class="vscroll" tabIndex={0} role="rowgroup" aria-label="Field rows (scroll)">
          <div style={{ height: `${rows.getTotalSize()}px`, position: 'relative' }}>
            {rows.getVirtualItems().map((item) => {
              const f = shown[item.index];
              return (
                <div
                  key={f.id}
                  role="row"
                  aria-rowindex={item.index + 2}
                  class={`vrow ${item.index === focusIndex ? 'focus' : ''}`}
                  style={{ transform: `translateY(${item.start}px)`, height: `${ROW}px` }}
                >
                  <span role="cell" class="muted">
                    {f.ordinal}
                  </span>
                  <span role="cell" title={f.path}>
                    <Highlight text={f.name} needle={filter} />
                    {f.primary_key ? (
                      <abbr class="pk" title="primary key">
                        {' '}
                        PK
                      </abbr>
                    ) : null}
                  </span>
                  <span role="cell" class="mono">
                    {f.data_type}
                  </span>
                  <span role="cell">{f.nullable ? 'yes' : 'no'}</span>
                  <span role="cell" class="mono">
                    {show(f.default)}
                  </span>
                  <span role="cell">{f.annotations?.description || f.comment || ''}</span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
