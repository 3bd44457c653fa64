import { useLocation } from 'preact-iso';
import { useMemo, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { DataSource, DataSourceType, Task, TaskSchedule } from '../api/types';
import { ErrorNote, Loading, Page } from '../components/ui';
import { can } from '../lib/permissions';
import { inZone, nextFirings, timeZones } from '../lib/next-firings';
import { useResource } from '../lib/use-resource';
import { useSession } from '../session';

export function TaskEdit({ id }: { id?: string }) {
  const { user } = useSession();
  const task = useResource<Task>(id ? `/tasks/${id}` : null);
  const sources = useResource<{ data_sources: DataSource[] }>('/datasources?page_size=100');
  const types = useResource<{ types: DataSourceType[] }>('/datasources/types');
  if (!can.manageTasks(user.role)) return <Page title="Task">You may not change tasks.</Page>;
  const error = task.error ?? sources.error ?? types.error;
  if (error) return <ErrorNote error={error} />;
  if ((id && !task.data) || !sources.data || !types.data) return <Loading />;
  return <TaskForm task={task.data} sources={sources.data.data_sources} types={types.data.types} />;
}

const listText = (v: unknown) => (Array.isArray(v) ? v.join(', ') : '');
const toList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const localInput = (iso?: string) => (iso ? new Date(iso).toISOString().slice(0, 16) : '');
const fromLocalInput = (v: string) => (v ? new Date(`${v}:00Z`).toISOString().replace('.000Z', 'Z') : undefined);

function TaskForm(props: { task?: Task; sources: DataSource[]; types: DataSourceType[] }) {
  const { task } = props;
  const { query, route } = useLocation();
  const [name, setName] = useState(task?.name ?? '');
  const [description, setDescription] = useState(task?.description ?? '');
  const [source, setSource] = useState(task?.datasource_id ?? query.datasource_id ?? props.sources[0]?.id ?? '');
  const [type, setType] = useState(task?.type ?? 'full_collection');
  const [schedule, setSchedule] = useState<TaskSchedule>(task?.schedule ?? { type: 'immediate' });
  const [include, setInclude] = useState(listText(task?.config.include_schemas));
  const [tables, setTables] = useState(listText(task?.config.include_tables));
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const sourceType = props.sources.find((s) => s.id === source)?.type;
  const taskTypes = props.types.find((t) => t.type === sourceType)?.capabilities.task_types ?? [type];
  const zones = useMemo(timeZones, []);
  const preview = useMemo(() => {
    try {
      return { dates: nextFirings(schedule) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }, [schedule]);
  const set = (patch: Partial<TaskSchedule>) => setSchedule({ ...schedule, ...patch });

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const s: TaskSchedule = { type: schedule.type };
      if (schedule.type === 'cron')
        Object.assign(s, { cron_expr: schedule.cron_expr, timezone: schedule.timezone || 'UTC' });
      if (schedule.type === 'interval') s.interval = schedule.interval;
      if (schedule.type !== 'immediate') {
        if (schedule.start_time) s.start_time = schedule.start_time;
        if (schedule.end_time && schedule.type !== 'once') s.end_time = schedule.end_time;
      }
      const config: Record<string, unknown> = { ...(task?.config ?? {}) };
      if (toList(include).length) config.include_schemas = toList(include);
      else delete config.include_schemas;
      if (toList(tables).length) config.include_tables = toList(tables);
      else delete config.include_tables;
      const body = { name, description, datasource_id: source, type, schedule: s, config };
      const saved = task ? await api<Task>('PUT', `/tasks/${task.id}`, body) : await api<Task>('POST', '/tasks', body);
      route(`/tasks/${saved.id}`);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={task ? `Edit ${task.name}` : 'New task'}>
      <form class="form" onSubmit={save}>
        <label>
          Name
          <input name="name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Description
          <input name="description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
        <div class="row">
          <label class="grow">
            Data source
            <select name="datasource_id" required value={source} onChange={(e) => setSource(e.currentTarget.value)}>
              {props.sources.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.type})
                </option>
              ))}
            </select>
          </label>
          <label>
            Task type
            <select name="type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
              {taskTypes.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
        </div>
        <div class="row">
          <label class="grow">
            Schemas to include <span class="muted small">(comma separated; empty: all)</span>
            <input name="include_schemas" value={include} onInput={(e) => setInclude(e.currentTarget.value)} />
          </label>
          <label class="grow">
            Tables to include
            <input name="include_tables" value={tables} onInput={(e) => setTables(e.currentTarget.value)} />
          </label>
        </div>
        <fieldset>
          <legend>Schedule</legend>
          <label>
            Kind
            <select
              name="schedule_type"
              value={schedule.type}
              onChange={(e) => set({ type: e.currentTarget.value as TaskSchedule['type'] })}
            >
              <option value="immediate">Immediately when started</option>
              <option value="once">Once</option>
              <option value="cron">Cron</option>
              <option value="interval">Every N seconds</option>
            </select>
          </label>
          {schedule.type === 'cron' ? (
            <div class="row">
              <label class="grow">
                Cron expression
                <input
                  name="cron_expr"
                  class="mono"
                  required
                  placeholder="0 2 * * *"
                  value={schedule.cron_expr ?? ''}
                  onInput={(e) => set({ cron_expr: e.currentTarget.value })}
                />
              </label>
              <label>
                Time zone
                <select
                  name="timezone"
                  value={schedule.timezone ?? 'UTC'}
                  onChange={(e) => set({ timezone: e.currentTarget.value })}
                >
                  {zones.map((z) => (
                    <option key={z}>{z}</option>
                  ))}
                </select>
              </label>
            </div>
          ) : null}
          {schedule.type === 'interval' ? (
            <label>
              Seconds between firings
              <input
                name="interval"
                type="number"
                min={1}
                required
                value={schedule.interval ?? ''}
                onInput={(e) => set({ interval: Number(e.currentTarget.value) || undefined })}
              />
            </label>
          ) : null}
          {schedule.type !== 'immediate' ? (
            <div class="row">
              <label>
                {schedule.type === 'once' ? 'Run at (UTC)' : 'Not before (UTC)'}
                <input
                  name="start_time"
                  type="datetime-local"
                  required={schedule.type === 'once'}
                  value={localInput(schedule.start_time)}
                  onInput={(e) => set({ start_time: fromLocalInput(e.currentTarget.value) })}
                />
              </label>
              {schedule.type !== 'once' ? (
                <label>
                  Not after (UTC)
                  <input
                    name="end_time"
                    type="datetime-local"
                    value={localInput(schedule.end_time)}
                    onInput={(e) => set({ end_time: fromLocalInput(e.currentTarget.value) })}
                  />
                </label>
              ) : null}
            </div>
          ) : null}
          {schedule.type !== 'immediate' ? (
            <div class="preview" aria-live="polite">
              <h2 class="h3">Next five firings</h2>
              {'error' in preview ? <p class="bad-text">{preview.error}</p> : null}
              {'dates' in preview && preview.dates ? (
                preview.dates.length ? (
                  <ol aria-label="Next firings">
                    {preview.dates.map((d) => (
                      <li key={d.getTime()}>
                        {inZone(d, schedule.type === 'cron' ? schedule.timezone || 'UTC' : 'UTC')}
                      </li>
                    ))}
                  </ol>
                ) : (
                  <p class="muted">No firing with these settings.</p>
                )
              ) : null}
            </div>
          ) : null}
        </fieldset>
        <ErrorNote error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : task ? 'Save task' : 'Create task'}
        </button>
      </form>
    </Page>
  );
}
