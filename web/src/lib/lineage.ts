/**
 * GET /lineage?asset_id=&direction=&depth= answers {root, nodes, edges}: nodes are lineage node ids
 * with their asset, edges go upstream → downstream with column-level `fields` and the job.
 */
export interface LineageNode {
  id: string;
  label: string;
  sub: string;
  kind: string;
  assetId?: string;
  /** The service listed only some of this node's neighbours. */
  more?: boolean;
}

export interface LineageEdge {
  from: string;
  to: string;
  columns: Array<{ from: string; to: string }>;
  via?: string;
}

type Raw = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function nodeOf(raw: Raw): LineageNode | null {
  const id = str(raw.id) ?? str(raw.asset_id) ?? str(raw.urn) ?? str(raw.fqn);
  if (!id) return null;
  const name = str(raw.name) ?? str(raw.asset_name) ?? str(raw.qualified_name) ?? str(raw.fqn) ?? id;
  const sub = [str(raw.namespace), str(raw.datasource_name) ?? str(raw.data_source_name)].filter(Boolean).join(' · ');
  const kind = str(raw.type) ?? str(raw.kind) ?? str(raw.asset_type) ?? 'asset';
  const assetId = str(raw.asset_id);
  const more = raw.has_more_upstream === true || raw.has_more_downstream === true;
  return { id, label: name, sub, kind, assetId, more };
}

function columnsOf(raw: Raw): Array<{ from: string; to: string }> {
  const list = raw.fields ?? raw.columns ?? raw.column_lineage;
  if (!Array.isArray(list)) return [];
  return list.flatMap((c: unknown) => {
    const o = (c ?? {}) as Raw;
    const from =
      str(o.from) ?? str(o.source) ?? str(o.upstream) ?? (Array.isArray(o.from) ? o.from.join(', ') : undefined);
    const to = str(o.to) ?? str(o.target) ?? str(o.downstream) ?? str(o.field);
    return from && to ? [{ from, to }] : [];
  });
}

function edgeOf(raw: Raw): LineageEdge | null {
  const from = str(raw.upstream) ?? str(raw.from) ?? str(raw.source) ?? str(raw.from_asset_id) ?? str(raw.upstream_id);
  const to = str(raw.downstream) ?? str(raw.to) ?? str(raw.target) ?? str(raw.to_asset_id) ?? str(raw.downstream_id);
  if (!from || !to) return null;
  const job = (raw.job ?? null) as Raw | null;
  return { from, to, columns: columnsOf(raw), via: str(job?.name) ?? str(raw.kind) };
}

export function readLineage(body: unknown): { nodes: LineageNode[]; edges: LineageEdge[] } {
  const b = (body ?? {}) as Raw;
  const nodes = (Array.isArray(b.nodes) ? b.nodes : [])
    .map((n) => nodeOf(n as Raw))
    .filter((n): n is LineageNode => !!n);
  const edges = (Array.isArray(b.edges) ? b.edges : [])
    .map((e) => edgeOf(e as Raw))
    .filter((e): e is LineageEdge => !!e);
  return { nodes, edges };
}
