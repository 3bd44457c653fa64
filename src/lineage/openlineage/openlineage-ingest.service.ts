import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { bulkId } from '../../catalog/store/bulk-ids';
import { deleteByIds, insertRows, selectByIds, updateByIds } from '../../catalog/store/bulk-sql';
import { dialectOf, SqlDialect } from '../../catalog/store/sql-dialect';
import { DomainMetrics } from '../../metrics/domain-metrics';
import { WebhookOutboxService } from '../../webhooks/webhook-outbox.service';
import { contentKey, datasetKey, DatasetSpec, edgeKey } from '../lineage-keys';
import { ensureDatasets } from '../store/dataset-store';
import { EDGE_COLUMNS, FIELD_EDGE_COLUMNS } from '../store/edge-columns';
import { insertIgnoring } from '../store/insert-ignore';
import { OpenLineageValidator } from './event-validator';
import { Facets, OlDataset, OlEvent, OlJob, OlRunEvent } from './openlineage-event';
import { SourceAddressBook } from './source-address-book';

/** States that end a run: a late START or RUNNING never reopens it. */
const TERMINAL = new Set(['COMPLETE', 'FAIL', 'ABORT']);

export interface IngestResult {
  event_id: string;
  /** True when this run and event time were already received (nothing was written again). */
  duplicate: boolean;
  job_id: string | null;
  run_id: string | null;
  datasets: Array<{ namespace: string; name: string; node_id: string; datasource_id: string | null }>;
  edges_added: number;
}

interface ColumnLineageField {
  inputFields?: Array<{
    namespace?: string;
    name?: string;
    field?: string;
    transformations?: Array<{ type?: string; subtype?: string }>;
  }>;
  transformationType?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ms = (iso: string): number => new Date(iso).getTime();

/** Facets merged over the stored ones; a facet sent with `_deleted: true` is dropped. */
function mergeFacets(stored: string | null, sent: Facets | undefined): string | null {
  if (!sent) return stored;
  const out = (stored ? JSON.parse(stored) : {}) as Facets;
  for (const [k, v] of Object.entries(sent)) {
    if (isObject(v) && v._deleted === true) delete out[k];
    else out[k] = v;
  }
  return JSON.stringify(out);
}

/** Whether a column-lineage input field is copied unchanged (DIRECT/IDENTITY), computed, or only selects rows. */
function transformationOf(field: ColumnLineageField, input: NonNullable<ColumnLineageField['inputFields']>[number]) {
  const t = input.transformations?.[0];
  // INDIRECT: the field decides which rows (filter, join, sort), not the value.
  if (t) return t.type === 'INDIRECT' ? 'indirect' : t.subtype === 'IDENTITY' ? 'identity' : 'expression';
  return field.transformationType === 'IDENTITY' ? 'identity' : 'expression';
}

/**
 * Receives OpenLineage events (what Marquez accepts at POST /api/v1/lineage): validates them,
 * stores each once per run and event time, keeps jobs and runs with their state and facets,
 * matches datasets to registered sources, and turns inputs → outputs into `job` edges and the
 * column-lineage facet into field edges.
 */
@Injectable()
export class OpenLineageIngestService {
  private readonly validator = new OpenLineageValidator();
  readonly addresses: SourceAddressBook;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: WebhookOutboxService,
    @Optional() private readonly metrics?: DomainMetrics,
  ) {
    this.addresses = new SourceAddressBook(db);
  }

  /** Validates and stores one event, counting it by outcome: accepted, rejected (invalid) or failed. */
  async ingest(body: unknown): Promise<IngestResult> {
    let event: OlEvent;
    try {
      event = this.validator.validate(body);
    } catch (err) {
      this.metrics?.openLineageEvent('rejected');
      throw err;
    }
    try {
      const result = await this.store(event, body);
      this.metrics?.openLineageEvent('accepted');
      return result;
    } catch (err) {
      this.metrics?.openLineageEvent('failed');
      throw err;
    }
  }

  /** `body` is kept as sent, unknown facets and all. */
  private async store(event: OlEvent, body: unknown): Promise<IngestResult> {
    const e = event.event;
    const runId = event.kind === 'RunEvent' ? event.event.run.runId.toLowerCase() : '';
    const eventType = event.kind === 'RunEvent' ? (event.event.eventType ?? 'OTHER') : '';
    const subject =
      event.kind === 'DatasetEvent'
        ? `${event.event.dataset.namespace}\u0000${event.event.dataset.name}`
        : `${event.event.job.namespace}\u0000${event.event.job.name}`;
    const eventKey = contentKey(event.kind, runId, String(ms(e.eventTime)), eventType, subject);

    // Datasets resolve outside the transaction: reading the sources' addresses needs no lock.
    const datasets = await this.resolveDatasets(event);
    const d = dialectOf(this.db);
    return this.db.transaction(async (em) => {
      const id = bulkId('lev');
      await insertIgnoring(
        em,
        d,
        'lineage_events',
        ['id', 'event_key', 'event_type', 'run_id', 'event_time', 'payload', 'received_at'],
        [[id, eventKey, event.kind, null, ms(e.eventTime), JSON.stringify(body), Date.now()]],
      );
      const stored = (await em.query(`SELECT id FROM lineage_events WHERE event_key = ${d.param(1)}`, [
        eventKey,
      ])) as Array<{ id: string }>;
      const ids = await ensureDatasets(em, d, [...datasets.values()]);
      const listed = [...datasets.entries()].map(([k, spec]) => ({
        namespace: k.split('\u0000')[0],
        name: k.split('\u0000')[1],
        node_id: ids.get(datasetKey(spec))!,
        datasource_id: spec.dataSourceId,
      }));
      if (stored[0]?.id !== id)
        return {
          event_id: stored[0]?.id ?? id,
          duplicate: true,
          job_id: null,
          run_id: null,
          datasets: listed,
          edges_added: 0,
        };
      if (event.kind === 'DatasetEvent')
        return { event_id: id, duplicate: false, job_id: null, run_id: null, datasets: listed, edges_added: 0 };

      const job = await this.upsertJob(em, d, event.event.job, e.producer);
      const run = event.kind === 'RunEvent' ? await this.upsertRun(em, d, job, event.event) : null;
      if (run) await em.query(`UPDATE lineage_events SET run_id = ${d.param(1)} WHERE id = ${d.param(2)}`, [run, id]);
      const added = await this.writeEdges(em, d, event.event, job, run, datasets, ids);
      if (added.length > 0)
        await this.outbox.enqueue(em, {
          type: 'lineage.changed',
          data: {
            origin: 'openlineage',
            producer: e.producer,
            job: { id: job, namespace: event.event.job.namespace, name: event.event.job.name },
            run_id: run,
            edges_added: added.length,
            edges_removed: 0,
            edges: added.slice(0, 100),
          },
        });
      return { event_id: id, duplicate: false, job_id: job, run_id: run, datasets: listed, edges_added: added.length };
    });
  }

  private async resolveDatasets(event: OlEvent): Promise<Map<string, DatasetSpec>> {
    const all: OlDataset[] =
      event.kind === 'DatasetEvent'
        ? [event.event.dataset]
        : [...(event.event.inputs ?? []), ...(event.event.outputs ?? [])];
    // Inputs named only by the column-lineage facet are datasets too.
    for (const out of event.kind === 'DatasetEvent' ? [] : (event.event.outputs ?? []))
      for (const f of Object.values(this.columnLineage(out)))
        for (const i of f.inputFields ?? [])
          if (typeof i.namespace === 'string' && typeof i.name === 'string')
            all.push({ namespace: i.namespace, name: i.name });
    const out = new Map<string, DatasetSpec>();
    for (const ds of all) {
      const key = `${ds.namespace}\u0000${ds.name}`;
      if (!out.has(key)) out.set(key, await this.addresses.resolve(ds.namespace, ds.name));
    }
    return out;
  }

  private columnLineage(ds: OlDataset): Record<string, ColumnLineageField> {
    const facet = ds.facets?.columnLineage;
    if (!isObject(facet) || !isObject(facet.fields)) return {};
    const out: Record<string, ColumnLineageField> = {};
    for (const [k, v] of Object.entries(facet.fields)) if (isObject(v)) out[k] = v as ColumnLineageField;
    return out;
  }

  private async upsertJob(em: EntityManager, d: SqlDialect, job: OlJob, producer: string): Promise<string> {
    const key = contentKey('job', job.namespace, job.name);
    const now = Date.now();
    await insertIgnoring(
      em,
      d,
      'lineage_jobs',
      ['id', 'job_key', 'namespace', 'name', 'producer', 'facets', 'latest_run_id', 'created_at', 'updated_at'],
      [[bulkId('lnj'), key, job.namespace, job.name, producer, null, null, now, now]],
    );
    const rows = (await em.query(`SELECT id, facets FROM lineage_jobs WHERE job_key = ${d.param(1)}${d.forUpdate}`, [
      key,
    ])) as Array<{ id: string; facets: string | null }>;
    const { id, facets } = rows[0];
    await updateByIds(em, d, 'lineage_jobs', { facets: mergeFacets(facets, job.facets), producer, updated_at: now }, [
      id,
    ]);
    return id;
  }

  private async upsertRun(em: EntityManager, d: SqlDialect, jobId: string, e: OlRunEvent): Promise<string> {
    const uuid = e.run.runId.toLowerCase();
    const at = ms(e.eventTime);
    const state = e.eventType ?? 'OTHER';
    const now = Date.now();
    await insertIgnoring(
      em,
      d,
      'lineage_runs',
      [
        'id',
        'job_id',
        'run_uuid',
        'state',
        'started_at',
        'ended_at',
        'event_time',
        'facets',
        'error_message',
        'created_at',
        'updated_at',
      ],
      [[bulkId('lnr'), jobId, uuid, 'OTHER', null, null, at, null, null, now, now]],
    );
    const rows = (await em.query(
      `SELECT id, state, started_at, ended_at, event_time, facets FROM lineage_runs WHERE run_uuid = ${d.param(1)}${d.forUpdate}`,
      [uuid],
    )) as Array<{
      id: string;
      state: string;
      started_at: unknown;
      ended_at: unknown;
      event_time: unknown;
      facets: string | null;
    }>;
    const r = rows[0];
    const storedAt = Number(r.event_time);
    const keepsState =
      state === 'OTHER' || (TERMINAL.has(r.state) && !TERMINAL.has(state)) || (TERMINAL.has(r.state) && at < storedAt);
    const errorFacet = e.run.facets?.errorMessage;
    const set: Record<string, unknown> = {
      facets: mergeFacets(r.facets, e.run.facets),
      event_time: Math.max(storedAt, at),
      updated_at: now,
    };
    if (!keepsState) set.state = state;
    if (state === 'START' && (r.started_at === null || at < Number(r.started_at))) set.started_at = at;
    if (TERMINAL.has(state) && !keepsState) set.ended_at = at;
    if (isObject(errorFacet) && typeof errorFacet.message === 'string') set.error_message = errorFacet.message;
    await updateByIds(em, d, 'lineage_runs', set, [r.id]);
    await em.query(`UPDATE lineage_jobs SET latest_run_id = ${d.param(1)} WHERE id = ${d.param(2)}`, [r.id, jobId]);
    return r.id;
  }

  /** inputs × outputs as `job` edges of the job; the outputs' column-lineage facets as field edges. */
  private async writeEdges(
    em: EntityManager,
    d: SqlDialect,
    e: { producer: string; inputs?: OlDataset[]; outputs?: OlDataset[] },
    jobId: string,
    runId: string | null,
    datasets: Map<string, DatasetSpec>,
    ids: Map<string, string>,
  ): Promise<
    Array<{ upstream: { namespace: string; name: string }; downstream: { namespace: string; name: string } }>
  > {
    const nodeOf = (ds: { namespace: string; name: string }) =>
      ids.get(datasetKey(datasets.get(`${ds.namespace}\u0000${ds.name}`)!))!;
    const pairs = new Map<string, { up: OlDataset; down: OlDataset; upId: string; downId: string }>();
    const pair = (up: OlDataset, down: OlDataset) => {
      const upId = nodeOf(up);
      const downId = nodeOf(down);
      if (upId === downId) return;
      const key = edgeKey({
        kind: 'job',
        originType: 'openlineage',
        origin: jobId,
        upstreamId: upId,
        downstreamId: downId,
        jobId,
      });
      if (!pairs.has(key)) pairs.set(key, { up, down, upId, downId });
    };
    for (const down of e.outputs ?? []) {
      for (const up of e.inputs ?? []) pair(up, down);
      for (const f of Object.values(this.columnLineage(down)))
        for (const i of f.inputFields ?? [])
          if (typeof i.namespace === 'string' && typeof i.name === 'string')
            pair({ namespace: i.namespace, name: i.name }, down);
    }
    if (pairs.size === 0) return [];
    const now = Date.now();
    const existing = await selectByIds<{ id: string; edge_key: string }>(
      em,
      d,
      'SELECT id, edge_key FROM lineage_edges WHERE',
      'edge_key',
      [...pairs.keys()],
    );
    const idOf = new Map(existing.map((r) => [r.edge_key, r.id]));
    const inserts: unknown[][] = [];
    const added: Array<{
      upstream: { namespace: string; name: string };
      downstream: { namespace: string; name: string };
    }> = [];
    for (const [key, p] of pairs) {
      if (idOf.has(key)) continue;
      const id = bulkId('lne');
      idOf.set(key, id);
      inserts.push([id, key, p.upId, p.downId, 'job', 'openlineage', e.producer, null, jobId, runId, now, now, null]);
      added.push({
        upstream: { namespace: p.up.namespace, name: p.up.name },
        downstream: { namespace: p.down.namespace, name: p.down.name },
      });
    }
    await insertRows(em, d, 'lineage_edges', EDGE_COLUMNS, inserts);
    await updateByIds(
      em,
      d,
      'lineage_edges',
      { last_seen_at: now, run_id: runId },
      existing.map((r) => r.id),
    );

    // The facet describes the output whole: its field edges are replaced by what this event says.
    const fieldRows: unknown[][] = [];
    const rewritten: string[] = [];
    for (const down of e.outputs ?? []) {
      const fields = this.columnLineage(down);
      if (Object.keys(fields).length === 0) continue;
      const downId = nodeOf(down);
      for (const [key, p] of pairs) if (p.downId === downId) rewritten.push(idOf.get(key)!);
      for (const [column, f] of Object.entries(fields))
        for (const i of f.inputFields ?? []) {
          if (typeof i.namespace !== 'string' || typeof i.name !== 'string' || typeof i.field !== 'string') continue;
          const upId = nodeOf({ namespace: i.namespace, name: i.name });
          const key = edgeKey({
            kind: 'job',
            originType: 'openlineage',
            origin: jobId,
            upstreamId: upId,
            downstreamId: downId,
            jobId,
          });
          const edgeId = idOf.get(key);
          if (edgeId) fieldRows.push([bulkId('lnf'), edgeId, upId, i.field, downId, column, transformationOf(f, i)]);
        }
    }
    await deleteByIds(em, d, 'lineage_field_edges', rewritten, 'edge_id');
    await insertRows(em, d, 'lineage_field_edges', FIELD_EDGE_COLUMNS, fieldRows);
    return added;
  }
}
