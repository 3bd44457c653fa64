import { assetInScope, assetKey, LineageUpstream } from '@app/connectors';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RunLineageInput, RunLineageOutcome, RunLineagePort } from '../catalog/run/run-lineage';
import { bulkId } from '../catalog/store/bulk-ids';
import { deleteByIds, insertRows, selectByIds, updateByIds } from '../catalog/store/bulk-sql';
import { dialectOf, SqlDialect } from '../catalog/store/sql-dialect';
import { WebhookOutboxService } from '../webhooks/webhook-outbox.service';
import { datasetKey, DatasetSpec, edgeKey } from './lineage-keys';
import { ensureDatasets } from './store/dataset-store';
import { EDGE_COLUMNS, FIELD_EDGE_COLUMNS } from './store/edge-columns';

/** Edges listed in one `lineage.changed` event; the counts always cover all of them. */
const ANNOUNCED_EDGES = 100;
const LISTED_UNRESOLVED = 20;

interface WantedEdge {
  key: string;
  upstreamId: string;
  downstreamId: string;
  upstream: LineageUpstream;
  downstream: { namespace: string; name: string };
}

interface StoredEdge {
  id: string;
  edge_key: string;
  namespace: string;
  name: string;
  up_namespace: string;
  up_name: string;
  kind: string;
}

/**
 * Writes the lineage a collection run declared. Derived edges are those of the collecting data
 * source (`origin_data_source_id`); a successful run replaces them, a failed one only adds.
 */
@Injectable()
export class RunLineageService implements RunLineagePort {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: WebhookOutboxService,
  ) {}

  async apply(input: RunLineageInput): Promise<RunLineageOutcome> {
    const dialect = dialectOf(this.db);
    return this.db.transaction((em) => this.applyIn(em, dialect, input));
  }

  private async applyIn(em: EntityManager, d: SqlDialect, input: RunLineageInput): Promise<RunLineageOutcome> {
    const now = Date.now();
    const ds = input.dataSourceId;
    const own = (namespace: string, name: string): DatasetSpec => ({ dataSourceId: ds, namespace, name });
    const upstreamSpec = (u: LineageUpstream): DatasetSpec =>
      u.address
        ? {
            dataSourceId: null,
            namespace: u.namespace,
            name: u.name,
            olNamespace: u.address,
            olName: `${u.namespace}.${u.name}`,
          }
        : own(u.namespace, u.name);

    const specs: DatasetSpec[] = [];
    for (const r of input.reported.values()) {
      if (!r.lineage) continue;
      specs.push(own(r.namespace, r.name));
      for (const u of r.lineage.upstream) specs.push(upstreamSpec(u));
    }
    const ids = await ensureDatasets(em, d, specs, now);

    const wanted = new Map<string, WantedEdge>();
    for (const r of input.reported.values()) {
      if (!r.lineage) continue;
      const downstreamId = ids.get(datasetKey(own(r.namespace, r.name)))!;
      for (const u of r.lineage.upstream) {
        const upstreamId = ids.get(datasetKey(upstreamSpec(u)))!;
        if (upstreamId === downstreamId) continue;
        const key = edgeKey({ kind: u.kind, originType: 'datasource', origin: ds, upstreamId, downstreamId });
        wanted.set(key, { key, upstreamId, downstreamId, upstream: u, downstream: r });
      }
    }

    const stored = (await em.query(
      `SELECT e.id, e.edge_key, e.kind, dn.namespace, dn.name, up.namespace AS up_namespace, up.name AS up_name
         FROM lineage_edges e
         JOIN lineage_datasets dn ON dn.id = e.downstream_id
         JOIN lineage_datasets up ON up.id = e.upstream_id
        WHERE e.origin_data_source_id = ${d.param(1)} AND e.origin_type = 'datasource'`,
      [ds],
    )) as StoredEdge[];
    const storedByKey = new Map(stored.map((e) => [e.edge_key, e]));

    const inserts = [...wanted.values()].filter((w) => !storedByKey.has(w.key));
    const kept = [...wanted.values()].filter((w) => storedByKey.has(w.key)).map((w) => storedByKey.get(w.key)!.id);
    const removed = input.removeUnseen
      ? stored.filter((e) => {
          if (wanted.has(e.edge_key)) return false;
          const key = assetKey(e.namespace, e.name);
          if (input.reported.has(key)) return true;
          if (input.unchanged.has(key)) return false;
          return assetInScope(input.scope, e.namespace, e.name);
        })
      : [];

    const newIds = new Map<string, string>();
    await insertRows(
      em,
      d,
      'lineage_edges',
      EDGE_COLUMNS,
      inserts.map((w) => {
        const id = bulkId('lne');
        newIds.set(w.key, id);
        return [
          id,
          w.key,
          w.upstreamId,
          w.downstreamId,
          w.upstream.kind,
          'datasource',
          ds,
          ds,
          null,
          null,
          now,
          now,
          input.executionId,
        ];
      }),
    );
    await updateByIds(em, d, 'lineage_edges', { last_seen_at: now, last_execution_id: input.executionId }, kept);
    const removedIds = removed.map((e) => e.id);
    await deleteByIds(em, d, 'lineage_field_edges', removedIds, 'edge_id');
    await deleteByIds(em, d, 'lineage_edges', removedIds);

    // Field edges are rewritten whole for every edge the run declared.
    const edgeIdOf = (w: WantedEdge) => newIds.get(w.key) ?? storedByKey.get(w.key)!.id;
    await deleteByIds(em, d, 'lineage_field_edges', kept, 'edge_id');
    const fieldRows: unknown[][] = [];
    for (const w of wanted.values())
      for (const m of w.upstream.fields ?? [])
        for (const from of m.from)
          fieldRows.push([bulkId('lnf'), edgeIdOf(w), w.upstreamId, from, w.downstreamId, m.field, m.transformation]);
    await insertRows(em, d, 'lineage_field_edges', FIELD_EDGE_COLUMNS, fieldRows);

    const unresolved = await this.recordUnresolved(em, d, input, ids);
    const outcome: RunLineageOutcome = {
      edges_added: inserts.length,
      edges_removed: removed.length,
      unresolved: unresolved.length,
      unresolved_assets: unresolved.slice(0, LISTED_UNRESOLVED),
    };
    if (outcome.edges_added + outcome.edges_removed > 0) {
      const changes = [
        ...inserts.map((w) => ({
          change: 'added',
          kind: w.upstream.kind,
          upstream: { namespace: w.upstream.namespace, name: w.upstream.name },
          downstream: { namespace: w.downstream.namespace, name: w.downstream.name },
        })),
        ...removed.map((e) => ({
          change: 'removed',
          kind: e.kind,
          upstream: { namespace: e.up_namespace, name: e.up_name },
          downstream: { namespace: e.namespace, name: e.name },
        })),
      ];
      await this.outbox.enqueue(em, {
        type: 'lineage.changed',
        dataSourceId: ds,
        data: {
          datasource_id: ds,
          execution_id: input.executionId,
          origin: 'collection',
          edges_added: outcome.edges_added,
          edges_removed: outcome.edges_removed,
          edges: changes.slice(0, ANNOUNCED_EDGES),
        },
      });
    }
    return outcome;
  }

  /** Sets (or clears) the reason a reported asset's lineage is incomplete; returns the unresolved ones. */
  private async recordUnresolved(
    em: EntityManager,
    d: SqlDialect,
    input: RunLineageInput,
    ids: Map<string, string>,
  ): Promise<Array<{ namespace: string; name: string; reason: string }>> {
    const out: Array<{ namespace: string; name: string; reason: string }> = [];
    const clear: string[] = [];
    for (const r of input.reported.values()) {
      const id = ids.get(datasetKey({ dataSourceId: input.dataSourceId, namespace: r.namespace, name: r.name }));
      if (r.lineage?.unresolved) {
        out.push({ namespace: r.namespace, name: r.name, reason: r.lineage.unresolved });
        if (id) await updateByIds(em, d, 'lineage_datasets', { unresolved: r.lineage.unresolved }, [id]);
      } else if (id) clear.push(id);
    }
    if (clear.length > 0) {
      const flagged = await selectByIds<{ id: string }>(
        em,
        d,
        'SELECT id FROM lineage_datasets WHERE unresolved IS NOT NULL AND',
        'id',
        clear,
      );
      await updateByIds(
        em,
        d,
        'lineage_datasets',
        { unresolved: null },
        flagged.map((r) => r.id),
      );
    }
    return out;
  }
}
