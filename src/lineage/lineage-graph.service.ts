import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { selectByIds } from '../catalog/store/bulk-sql';
import { dialectOf, SqlDialect } from '../catalog/store/sql-dialect';
import {
  LineageDirection,
  LineageEdgeDto,
  LineageGraphDto,
  LineageGraphQueryDto,
  LineageNodeDto,
} from './dto/lineage-query.dto';
import { datasetKey } from './lineage-keys';
import { LineageException } from './lineage.exception';
import { ensureDatasets } from './store/dataset-store';
import { ExternalAdoptionService } from './openlineage/external-adoption.service';

interface EdgeRow {
  id: string;
  upstream_id: string;
  downstream_id: string;
  kind: string;
  origin_type: string;
  origin: string;
  job_id: string | null;
  run_id: string | null;
  first_seen_at: unknown;
  last_seen_at: unknown;
}

interface FieldEdgeRow {
  edge_id: string;
  upstream_id: string;
  upstream_field: string;
  downstream_id: string;
  downstream_field: string;
  transformation: string;
}

interface NodeRow {
  id: string;
  data_source_id: string | null;
  namespace: string;
  name: string;
  ol_namespace: string | null;
  ol_name: string | null;
  unresolved: string | null;
  asset_id: string | null;
  kind: string | null;
  ds_name: string | null;
  ds_type: string | null;
}

const EDGE_SELECT =
  'SELECT id, upstream_id, downstream_id, kind, origin_type, origin, job_id, run_id, first_seen_at, last_seen_at FROM lineage_edges WHERE';
const isoOf = (ms: unknown) => new Date(Number(ms)).toISOString();

/** One walk in one direction: which node was reached at which hop, by which edges. */
interface Walk {
  depthOf: Map<string, number>;
  edges: Map<string, EdgeRow>;
  fields: Map<string, FieldEdgeRow[]>;
  hasMore: Set<string>;
}

/**
 * Reads the lineage graph around a node, one query per hop and direction, so the cost follows
 * the nodes reached rather than the size of the graph. Every node is expanded once (cycles end
 * there); each node lists at most `limit` neighbours per direction and says when it has more.
 */
@Injectable()
export class LineageGraphService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly adoption: ExternalAdoptionService,
  ) {}

  async graph(q: LineageGraphQueryDto): Promise<LineageGraphDto> {
    const d = dialectOf(this.db);
    const direction: LineageDirection = q.direction ?? 'both';
    const depth = q.depth ?? 3;
    const limit = q.limit ?? 100;
    await this.adoption.adoptIfSourcesChanged();
    const root = await this.rootNode(d, q.asset_id);
    const walks: Array<[LineageDirection, Walk]> = [];
    for (const dir of ['upstream', 'downstream'] as const)
      if (direction === 'both' || direction === dir)
        walks.push([dir, await this.walk(d, root, dir, depth, limit, q.offset ?? 0, q.field ?? null)]);

    const depthOf = new Map<string, number>([[root, 0]]);
    const edges = new Map<string, EdgeRow>();
    const fields = new Map<string, FieldEdgeRow[]>();
    const more = { upstream: new Set<string>(), downstream: new Set<string>() };
    for (const [dir, w] of walks) {
      for (const [id, n] of w.depthOf) if (!depthOf.has(id)) depthOf.set(id, dir === 'upstream' ? -n : n);
      for (const [id, e] of w.edges) edges.set(id, e);
      for (const [id, f] of w.fields) fields.set(id, [...(fields.get(id) ?? []), ...f]);
      for (const id of w.hasMore) more[dir as 'upstream' | 'downstream'].add(id);
    }
    const nodes = await this.nodes(d, [...depthOf.keys()]);
    if (q.field === undefined || q.field === null) {
      const all = await selectByIds<FieldEdgeRow>(
        this.db.manager,
        d,
        'SELECT edge_id, upstream_id, upstream_field, downstream_id, downstream_field, transformation FROM lineage_field_edges WHERE',
        'edge_id',
        [...edges.keys()],
      );
      for (const f of all) fields.set(f.edge_id, [...(fields.get(f.edge_id) ?? []), f]);
    }
    const jobs = await this.jobs(d, [
      ...new Set([...edges.values()].map((e) => e.job_id).filter((j): j is string => !!j)),
    ]);
    return {
      root,
      direction,
      depth,
      field: q.field ?? null,
      nodes: [...depthOf.entries()]
        .filter(([id]) => nodes.has(id))
        .map(([id, n]) => this.nodeDto(nodes.get(id)!, n, more.upstream.has(id), more.downstream.has(id)))
        .sort(
          (a, b) =>
            a.depth - b.depth ||
            (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0) ||
            (a.name < b.name ? -1 : 1),
        ),
      edges: [...edges.values()].map((e) => this.edgeDto(e, fields.get(e.id) ?? [], jobs)),
    };
  }

  /** The lineage node of a catalog asset id or a node id; an asset with no lineage yet gets a node too. */
  private async rootNode(d: SqlDialect, id: string): Promise<string> {
    const byId = (await this.db.query(`SELECT id FROM lineage_datasets WHERE id = ${d.param(1)}`, [id])) as Array<{
      id: string;
    }>;
    if (byId.length > 0) return byId[0].id;
    const assets = (await this.db.query(
      `SELECT data_source_id, namespace, name FROM catalog_assets WHERE id = ${d.param(1)}`,
      [id],
    )) as Array<{ data_source_id: string; namespace: string; name: string }>;
    if (assets.length === 0) throw LineageException.nodeNotFound(id);
    const a = assets[0];
    const key = datasetKey({ dataSourceId: a.data_source_id, namespace: a.namespace, name: a.name });
    const node = (await this.db.query(`SELECT id FROM lineage_datasets WHERE node_key = ${d.param(1)}`, [
      key,
    ])) as Array<{
      id: string;
    }>;
    if (node.length > 0) return node[0].id;
    const ids = await ensureDatasets(this.db.manager, d, [
      { dataSourceId: a.data_source_id, namespace: a.namespace, name: a.name },
    ]);
    return ids.get(key)!;
  }

  private async walk(
    d: SqlDialect,
    root: string,
    dir: 'upstream' | 'downstream',
    depth: number,
    limit: number,
    offset: number,
    field: string | null,
  ): Promise<Walk> {
    const w: Walk = { depthOf: new Map([[root, 0]]), edges: new Map(), fields: new Map(), hasMore: new Set() };
    const near = dir === 'upstream' ? 'downstream_id' : 'upstream_id';
    const far = dir === 'upstream' ? 'upstream_id' : 'downstream_id';
    // Column level: the frontier is (node, field) pairs.
    let frontier = new Map<string, Set<string> | null>([[root, field ? new Set([field]) : null]]);
    for (let hop = 1; hop <= depth && frontier.size > 0; hop++) {
      const next = new Map<string, Set<string> | null>();
      if (field) {
        const rows = await selectByIds<FieldEdgeRow>(
          this.db.manager,
          d,
          'SELECT edge_id, upstream_id, upstream_field, downstream_id, downstream_field, transformation FROM lineage_field_edges WHERE',
          near,
          [...frontier.keys()],
        );
        const nearField = dir === 'upstream' ? 'downstream_field' : 'upstream_field';
        const farField = dir === 'upstream' ? 'upstream_field' : 'downstream_field';
        const matching = rows.filter((r) => frontier.get(r[near])?.has(r[nearField]));
        const edgeIds = [...new Set(matching.map((r) => r.edge_id))].filter((id) => !w.edges.has(id));
        for (const e of await selectByIds<EdgeRow>(this.db.manager, d, EDGE_SELECT, 'id', edgeIds))
          w.edges.set(e.id, e);
        for (const r of matching) {
          const list = w.fields.get(r.edge_id) ?? [];
          if (!list.includes(r)) list.push(r);
          w.fields.set(r.edge_id, list);
          const target = r[far];
          const seenAt = w.depthOf.get(target);
          if (seenAt === undefined) w.depthOf.set(target, hop);
          if (seenAt !== undefined && seenAt < hop) continue;
          const set = next.get(target) ?? new Set<string>();
          set.add(r[farField]);
          next.set(target, set);
        }
      } else {
        const rows = await selectByIds<EdgeRow>(
          this.db.manager,
          d,
          EDGE_SELECT,
          near,
          [...frontier.keys()],
          () => ' ORDER BY id',
        );
        const byNear = new Map<string, EdgeRow[]>();
        for (const r of rows) byNear.set(r[near], [...(byNear.get(r[near]) ?? []), r]);
        for (const [node, list] of byNear) {
          const skip = hop === 1 ? offset : 0;
          const shown = list.slice(skip, skip + limit);
          if (list.length > skip + limit) w.hasMore.add(node);
          for (const e of shown) {
            w.edges.set(e.id, e);
            const target = e[far];
            if (!w.depthOf.has(target)) {
              w.depthOf.set(target, hop);
              next.set(target, null);
            }
          }
        }
      }
      frontier = next;
    }
    return w;
  }

  private async nodes(d: SqlDialect, ids: string[]): Promise<Map<string, NodeRow>> {
    const rows = await selectByIds<NodeRow>(
      this.db.manager,
      d,
      `SELECT n.id, n.data_source_id, n.namespace, n.name, n.ol_namespace, n.ol_name, n.unresolved,
              a.id AS asset_id, a.kind, s.name AS ds_name, s.type AS ds_type
         FROM lineage_datasets n
         LEFT JOIN catalog_assets a ON a.data_source_id = n.data_source_id AND a.namespace = n.namespace
              AND a.name = n.name AND a.removed_at IS NULL
         LEFT JOIN data_sources s ON s.id = n.data_source_id
        WHERE`,
      'n.id',
      ids,
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  private async jobs(
    d: SqlDialect,
    ids: string[],
  ): Promise<Map<string, { id: string; namespace: string; name: string }>> {
    const rows = await selectByIds<{ id: string; namespace: string; name: string }>(
      this.db.manager,
      d,
      'SELECT id, namespace, name FROM lineage_jobs WHERE',
      'id',
      ids,
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  private nodeDto(n: NodeRow, depth: number, moreUp: boolean, moreDown: boolean): LineageNodeDto {
    return {
      id: n.id,
      depth,
      asset_id: n.asset_id,
      datasource_id: n.data_source_id,
      datasource_name: n.ds_name,
      datasource_type: n.ds_type,
      namespace: n.namespace,
      name: n.name,
      kind: n.kind ?? (n.data_source_id ? 'removed' : 'external'),
      openlineage: n.ol_namespace && n.ol_name ? { namespace: n.ol_namespace, name: n.ol_name } : null,
      unresolved: n.unresolved,
      has_more_upstream: moreUp,
      has_more_downstream: moreDown,
    };
  }

  private edgeDto(
    e: EdgeRow,
    fields: FieldEdgeRow[],
    jobs: Map<string, { id: string; namespace: string; name: string }>,
  ): LineageEdgeDto {
    return {
      id: e.id,
      upstream: e.upstream_id,
      downstream: e.downstream_id,
      kind: e.kind,
      origin: { type: e.origin_type, id: e.origin },
      job: e.job_id ? (jobs.get(e.job_id) ?? null) : null,
      run_id: e.run_id,
      first_seen_at: isoOf(e.first_seen_at),
      last_seen_at: isoOf(e.last_seen_at),
      fields: fields
        .map((f) => ({
          upstream_field: f.upstream_field,
          downstream_field: f.downstream_field,
          transformation: f.transformation,
        }))
        .sort((a, b) =>
          a.downstream_field === b.downstream_field
            ? a.upstream_field < b.upstream_field
              ? -1
              : 1
            : a.downstream_field < b.downstream_field
              ? -1
              : 1,
        ),
    };
  }
}
