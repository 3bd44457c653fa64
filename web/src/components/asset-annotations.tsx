import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Annotations, AssetDetail } from '../api/types';
import { show, when } from '../lib/format';
import { can } from '../lib/permissions';
import { useResource } from '../lib/use-resource';
import { useSession } from '../session';
import { ErrorNote, Loading } from './ui';

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Description, tags, owners, terms and certification: read by everyone, edited by annotators. */
export function AnnotationsEditor({ asset, onSaved }: { asset: AssetDetail; onSaved: () => void }) {
  const { user } = useSession();
  const current = useResource<Annotations>(`/metadata/assets/${asset.id}/annotations`);
  // Kept here: the editor starts afresh (keyed by version) once the saved annotations are read back.
  const [savedVersion, setSavedVersion] = useState<number | undefined>();
  if (current.error) return <ErrorNote error={current.error} />;
  if (!current.data) return <Loading />;
  return can.annotate(user.role) ? (
    <>
      {savedVersion !== undefined ? (
        <p class="note" role="status">
          Saved (version {savedVersion}).
        </p>
      ) : null}
      <Editor
        key={current.data.version}
        assetId={asset.id}
        value={current.data}
        onSaved={(version) => {
          setSavedVersion(version);
          current.reload();
          onSaved();
        }}
      />
    </>
  ) : (
    <ReadOnly value={current.data} />
  );
}

function ReadOnly({ value: a }: { value: Annotations }) {
  return (
    <dl>
      <dt>Description</dt>
      <dd>{show(a.description)}</dd>
      <dt>Tags</dt>
      <dd>{a.tags.join(', ') || '—'}</dd>
      <dt>Owners</dt>
      <dd>{a.owners.map((o) => o.user ?? o.team).join(', ') || '—'}</dd>
      <dt>Glossary terms</dt>
      <dd>{a.terms.join(', ') || '—'}</dd>
      <dt>Certification</dt>
      <dd>
        {a.certification ? `${a.certification.status}${a.certification.note ? ` — ${a.certification.note}` : ''}` : '—'}
      </dd>
      <dt>Last change</dt>
      <dd>
        {show(a.updated_by)} · {when(a.updated_at)}
      </dd>
    </dl>
  );
}

function Editor(props: { assetId: string; value: Annotations; onSaved: (version: number) => void }) {
  const { assetId, value, onSaved } = props;
  const [description, setDescription] = useState(value.description ?? '');
  const [tags, setTags] = useState(value.tags.join(', '));
  const [owners, setOwners] = useState(
    value.owners
      .map((o) => o.user ?? '')
      .filter(Boolean)
      .join(', '),
  );
  const [terms, setTerms] = useState(value.terms.join(', '));
  const [cert, setCert] = useState(value.certification?.status ?? '');
  const [note, setNote] = useState(value.certification?.note ?? '');
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const teams = value.owners.filter((o) => o.team && !o.user);
      const result = await api<Annotations>(
        'PATCH',
        `/metadata/assets/${assetId}/annotations`,
        {
          description: description.trim() ? description : null,
          tags: list(tags),
          owners: [...teams, ...list(owners).map((u) => ({ user: u }))],
          terms: list(terms),
          certification: cert ? { status: cert, ...(note.trim() ? { note } : {}) } : null,
        },
        { 'Content-Type': 'application/merge-patch+json', 'If-Match': `"${value.version}"` },
      );
      onSaved(result.version);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form" onSubmit={save} aria-label="Annotations">
      <label>
        Description
        <textarea
          name="description"
          rows={4}
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
        />
      </label>
      <label>
        Tags <span class="muted small">(comma separated, e.g. PII.email)</span>
        <input name="tags" value={tags} onInput={(e) => setTags(e.currentTarget.value)} />
      </label>
      <label>
        Owners <span class="muted small">(user names, comma separated)</span>
        <input name="owners" value={owners} onInput={(e) => setOwners(e.currentTarget.value)} />
      </label>
      <label>
        Glossary terms <span class="muted small">(fully qualified, comma separated)</span>
        <input name="terms" value={terms} onInput={(e) => setTerms(e.currentTarget.value)} />
      </label>
      <div class="row">
        <label>
          Certification
          <select name="certification" value={cert} onChange={(e) => setCert(e.currentTarget.value)}>
            <option value="">None</option>
            <option value="certified">Certified</option>
            <option value="deprecated">Deprecated</option>
          </select>
        </label>
        <label class="grow">
          Note
          <input
            name="certification_note"
            value={note}
            disabled={!cert}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
        </label>
      </div>
      <ErrorNote error={error} />
      <p class="muted small">
        Version {value.version} · last changed by {show(value.updated_by)} {when(value.updated_at)}
      </p>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save annotations'}
      </button>
    </form>
  );
}
