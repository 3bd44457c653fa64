import { useLocation } from 'preact-iso';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { ConfigField, DataSource, DataSourceType, TestResult } from '../api/types';
import { TestSteps } from '../components/test-steps';
import { ErrorNote, Loading, Page } from '../components/ui';
import { fromText, isAddressing, MASK, toText } from '../lib/config-form';
import { can } from '../lib/permissions';
import { useResource } from '../lib/use-resource';
import { useSession } from '../session';

/** Create or edit a data source with a form generated from /datasources/types. */
export function DataSourceEdit({ id }: { id?: string }) {
  const { user } = useSession();
  const types = useResource<{ types: DataSourceType[] }>('/datasources/types');
  const existing = useResource<DataSource>(id ? `/datasources/${id}` : null);
  if (!can.manageSources(user.role)) return <Page title="Data source">You may not change data sources.</Page>;
  if (types.error || existing.error) return <ErrorNote error={types.error ?? existing.error} />;
  if (!types.data || (id && !existing.data)) return <Loading />;
  return <DataSourceForm types={types.data.types} existing={existing.data} />;
}

function DataSourceForm({ types, existing }: { types: DataSourceType[]; existing?: DataSource }) {
  const { route } = useLocation();
  const [type, setType] = useState(existing?.type ?? 'postgresql');
  const spec = useMemo(() => types.find((t) => t.type === type), [types, type]);
  const [name, setName] = useState(existing?.name ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [tags, setTags] = useState((existing?.tags ?? []).join(', '));
  const initial = (fields: ConfigField[]) =>
    Object.fromEntries(
      fields.map((f) => [
        f.name,
        f.secret ? '' : toText(f, existing?.config[f.name] ?? (existing ? undefined : f.default)),
      ]),
    );
  const [values, setValues] = useState<Record<string, string>>(() => initial(spec?.config_fields ?? []));
  const [error, setError] = useState<Error | undefined>();
  const [test, setTest] = useState<TestResult | undefined>();
  const [busy, setBusy] = useState<'save' | 'test' | undefined>();
  useEffect(() => {
    if (!existing) setValues(initial(spec?.config_fields ?? []));
    setTest(undefined);
  }, [type]);
  if (!spec) return <ErrorNote error={new Error(`Unknown type ${type}`)} />;

  const stored = (f: ConfigField): boolean => !!existing && existing.config[f.name] === MASK;
  const addressChanged =
    !!existing &&
    spec.config_fields.some((f) => isAddressing(f) && values[f.name] !== toText(f, existing.config[f.name]));
  const mustReenter = (f: ConfigField) => f.secret && stored(f) && addressChanged;

  const config = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const f of spec.config_fields) {
      const text = values[f.name] ?? '';
      if (f.secret && text === '' && stored(f)) {
        if (addressChanged) throw new Error(`${f.name}: the address changed, so enter the secret again`);
        out[f.name] = MASK;
        continue;
      }
      const v = fromText(f, text);
      if (v !== undefined) out[f.name] = v;
    }
    return out;
  };

  const runTest = async () => {
    setError(undefined);
    setTest(undefined);
    setBusy('test');
    try {
      const body = { type, config: config(), ...(existing ? { datasource_id: existing.id } : {}) };
      setTest(await api<TestResult>('POST', '/datasources/test', body));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(undefined);
    }
  };
  const save = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setBusy('save');
    try {
      const tagList = tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const saved = existing
        ? await api<DataSource>('PUT', `/datasources/${existing.id}`, {
            name,
            description,
            config: config(),
            tags: tagList,
          })
        : await api<DataSource>('POST', '/datasources', { name, type, description, config: config(), tags: tagList });
      route(`/datasources/${saved.id}`);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Page title={existing ? `Edit ${existing.name}` : 'Add a data source'}>
      <form class="form" onSubmit={save}>
        <label>
          Type
          <select name="type" value={type} disabled={!!existing} onChange={(e) => setType(e.currentTarget.value)}>
            {types.map((t) => (
              <option key={t.type} value={t.type}>
                {t.display_name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input name="name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Description
          <input name="description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
        <label>
          Tags <span class="muted small">(comma separated)</span>
          <input name="tags" value={tags} onInput={(e) => setTags(e.currentTarget.value)} />
        </label>
        <fieldset>
          <legend>{spec.display_name} connection</legend>
          {spec.config_fields.map((f) => (
            <ConfigInput
              key={`${type}-${f.name}`}
              field={f}
              value={values[f.name] ?? ''}
              storedSecret={!!stored(f)}
              reenter={mustReenter(f)}
              onChange={(v) => setValues({ ...values, [f.name]: v })}
            />
          ))}
        </fieldset>
        <ErrorNote error={error} />
        {test ? <TestSteps result={test} /> : null}
        <div class="actions">
          <button type="button" onClick={() => void runTest()} disabled={!!busy}>
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>
          <button type="submit" class="primary" disabled={!!busy}>
            {busy === 'save' ? 'Saving…' : existing ? 'Save changes' : 'Create data source'}
          </button>
        </div>
      </form>
    </Page>
  );
}

function ConfigInput(props: {
  field: ConfigField;
  value: string;
  storedSecret: boolean;
  reenter: boolean;
  onChange: (v: string) => void;
}) {
  const { field: f } = props;
  const id = `cfg-${f.name}`;
  const help = `${id}-help`;
  const label = (
    <>
      {f.name}
      {f.required ? <span aria-hidden="true"> *</span> : null}
    </>
  );
  const hint = (
    <div id={help} class="muted small">
      {f.description}
      {f.default !== undefined ? ` Default: ${JSON.stringify(f.default)}.` : ''}
      {props.storedSecret && !props.reenter ? ' A secret is stored: leave empty to keep it.' : ''}
      {props.reenter ? <strong class="bad-text"> The address changed: enter this secret again.</strong> : null}
    </div>
  );
  if (f.type === 'boolean')
    return (
      <div class="field">
        <label class="check">
          <input
            type="checkbox"
            id={id}
            name={f.name}
            aria-describedby={help}
            checked={props.value === 'true'}
            onChange={(e) => props.onChange(String(e.currentTarget.checked))}
          />
          {label}
        </label>
        {hint}
      </div>
    );
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {f.enum ? (
        <select
          id={id}
          name={f.name}
          aria-describedby={help}
          value={props.value}
          onChange={(e) => props.onChange(e.currentTarget.value)}
        >
          <option value="">(default)</option>
          {f.enum.map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      ) : f.type === 'object' ? (
        <textarea
          id={id}
          name={f.name}
          aria-describedby={help}
          rows={3}
          value={props.value}
          onInput={(e) => props.onChange(e.currentTarget.value)}
        />
      ) : (
        <input
          id={id}
          name={f.name}
          aria-describedby={help}
          type={(f.secret ? 'password' : f.type === 'integer' || f.type === 'number' ? 'number' : 'text') as 'text'}
          autoComplete={f.secret ? 'new-password' : 'off'}
          required={(f.required && !props.storedSecret) || props.reenter}
          min={f.min}
          max={f.max}
          placeholder={props.storedSecret && !props.reenter ? 'stored (unchanged)' : undefined}
          value={props.value}
          onInput={(e) => props.onChange(e.currentTarget.value)}
        />
      )}
      {hint}
    </div>
  );
}
