import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client';

export function ErrorNote({ error }: { error: Error | undefined | null }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : undefined;
  return (
    <div class="note error" role="alert">
      <strong>{api ? `${api.code}: ` : ''}</strong>
      {error.message}
      {api?.details ? <div class="hint">{api.details}</div> : null}
      {api?.requestId ? <div class="muted small">request {api.requestId}</div> : null}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p class="muted" role="status" aria-live="polite">
      {what}…
    </p>
  );
}

export function Badge({ tone, children }: { tone?: string; children: ComponentChildren }) {
  return <span class={`badge ${tone ?? ''}`}>{children}</span>;
}

export const statusTone: Record<string, string> = {
  active: 'ok',
  completed: 'ok',
  succeeded: 'ok',
  certified: 'ok',
  error: 'bad',
  failed: 'bad',
  deprecated: 'warn',
  paused: 'warn',
  running: 'info',
  pending: 'info',
  testing: 'info',
};

export function Status({ value }: { value: string | null | undefined }) {
  if (!value) return <span class="muted">—</span>;
  return <Badge tone={statusTone[value]}>{value}</Badge>;
}

export function Pager(props: { page: number; pageSize: number; total: number; onPage: (p: number) => void }) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>
        Previous
      </button>
      <span>
        Page {props.page} of {pages} ({props.total.toLocaleString()})
      </span>
      <button type="button" disabled={props.page >= pages} onClick={() => props.onPage(props.page + 1)}>
        Next
      </button>
    </nav>
  );
}

export function Tabs(props: { tabs: Array<[string, string]>; current: string; onSelect: (id: string) => void }) {
  return (
    <div class="tabs" role="tablist" aria-label="Sections">
      {props.tabs.map(([id, label]) => (
        <button
          type="button"
          role="tab"
          id={`tab-${id}`}
          aria-selected={props.current === id}
          aria-controls={`panel-${id}`}
          tabIndex={props.current === id ? 0 : -1}
          onClick={() => props.onSelect(id)}
          onKeyDown={(e) => {
            const i = props.tabs.findIndex(([t]) => t === props.current);
            const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
            if (!step) return;
            const next = props.tabs[(i + step + props.tabs.length) % props.tabs.length][0];
            props.onSelect(next);
            document.getElementById(`tab-${next}`)?.focus();
          }}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

export function Page(props: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  document.title = `${props.title} · Metadata console`;
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-head">
        <h1 id="page-title">{props.title}</h1>
        {props.actions ? <div class="actions">{props.actions}</div> : null}
      </header>
      {props.children}
    </section>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty muted">{children}</p>;
}
