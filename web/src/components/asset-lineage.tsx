import dagre from '@dagrejs/dagre';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, get } from '../api/client';
import { type LineageEdge, type LineageNode, readLineage } from '../lib/lineage';
import { Empty, ErrorNote, Loading } from './ui';

const W = 180;
const H = 44;

interface Graph {
  nodes: Map<string, LineageNode>;
  edges: Map<string, LineageEdge>;
  expanded: Set<string>;
}

async function fetchAround(assetId: string, direction: string): Promise<ReturnType<typeof readLineage>> {
  return readLineage(
    await get<unknown>(`/lineage?asset_id=${encodeURIComponent(assetId)}&direction=${direction}&depth=1`),
  );
}

/**
 * Upstream and downstream of the asset, one hop at a time: the graph starts collapsed and a node
 * is expanded on request, so a large graph never lays out more than the reader asked for.
 */
export function LineageGraph({ assetId }: { assetId: string }) {
  const [direction, setDirection] = useState('both');
  const [graph, setGraph] = useState<Graph | undefined>();
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [showColumns, setShowColumns] = useState(false);

  useEffect(() => {
    setGraph(undefined);
    setMissing(false);
    fetchAround(assetId, direction).then(
      (g) =>
        setGraph({
          nodes: new Map(g.nodes.map((n) => [n.id, n])),
          edges: new Map(g.edges.map((e) => [`${e.from}>${e.to}`, e])),
          expanded: new Set(g.nodes.filter((n) => n.assetId === assetId).map((n) => n.id)),
        }),
      (e: Error) => (e instanceof ApiError && e.status === 404 ? setMissing(true) : setError(e)),
    );
  }, [assetId, direction]);

  const expand = async (node: LineageNode) => {
    if (!graph) return;
    try {
      const more = await fetchAround(node.id, direction);
      const nodes = new Map(graph.nodes);
      const edges = new Map(graph.edges);
      for (const n of more.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
      for (const e of more.edges) edges.set(`${e.from}>${e.to}`, e);
      setGraph({ nodes, edges, expanded: new Set([...graph.expanded, node.id]) });
    } catch (e) {
      setError(e as Error);
    }
  };

  const layout = useMemo(() => {
    if (!graph || graph.nodes.size === 0) return undefined;
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 60 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of graph.nodes.values()) g.setNode(n.id, { width: W, height: H });
    for (const e of graph.edges.values()) if (graph.nodes.has(e.from) && graph.nodes.has(e.to)) g.setEdge(e.from, e.to);
    dagre.layout(g);
    const info = g.graph();
    return {
      width: (info.width ?? 0) + 20,
      height: (info.height ?? 0) + 20,
      place: (id: string) => g.node(id),
      points: (e: LineageEdge) => g.edge(e.from, e.to)?.points ?? [],
    };
  }, [graph]);

  if (missing) return <Empty>No lineage yet: this service does not record lineage for this asset.</Empty>;
  if (error) return <ErrorNote error={error} />;
  if (!graph) return <Loading what="Loading lineage" />;
  if (graph.nodes.size <= 1 && graph.edges.size === 0) return <Empty>No lineage yet for this asset.</Empty>;
  const edges = [...graph.edges.values()];
  return (
    <div class="lineage">
      <div class="filters">
        <label>
          Direction
          <select value={direction} onChange={(e) => setDirection(e.currentTarget.value)}>
            <option value="both">Upstream and downstream</option>
            <option value="upstream">Upstream</option>
            <option value="downstream">Downstream</option>
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={showColumns} onChange={(e) => setShowColumns(e.currentTarget.checked)} />
          Column level
        </label>
      </div>
      {layout ? (
        <div class="graph-scroll" tabIndex={0} role="region" aria-label="Lineage graph (scroll)">
          <svg
            width={layout.width}
            height={layout.height}
            role="img"
            aria-label={`Lineage: ${graph.nodes.size} assets, ${edges.length} links`}
          >
            <defs>
              <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto">
                <path d="M0,0 L10,5 L0,10 z" class="edge-head" />
              </marker>
            </defs>
            {edges.map((e) => {
              const pts = layout.points(e);
              if (!pts.length) return null;
              return (
                <path
                  key={`${e.from}>${e.to}`}
                  class="edge"
                  marker-end="url(#arrow)"
                  d={`M${pts.map((p: { x: number; y: number }) => `${p.x + 10},${p.y + 10}`).join(' L')}`}
                />
              );
            })}
            {[...graph.nodes.values()].map((n) => {
              const p = layout.place(n.id);
              if (!p) return null;
              return (
                <g
                  key={n.id}
                  transform={`translate(${p.x - W / 2 + 10} ${p.y - H / 2 + 10})`}
                  class={n.assetId === assetId ? 'node self' : 'node'}
                >
                  <rect width={W} height={H} rx="6" />
                  <text x="8" y="18" class="node-label">
                    {n.label.length > 24 ? `${n.label.slice(0, 23)}…` : n.label}
                  </text>
                  <text x="8" y="34" class="node-sub">
                    {n.kind}
                    {graph.expanded.has(n.id) ? '' : ' · +'}
                  </text>
                </g>
              );
            })}
          </svg>
        </div>
      ) : null}
      <h2 class="h3">Assets in the graph</h2>
      <ul class="node-list">
        {[...graph.nodes.values()].map((n) => (
          <li key={n.id}>
            {n.assetId ? <a href={`/assets/${n.assetId}?tab=lineage`}>{n.label}</a> : n.label}{' '}
            <span class="muted small">
              {[n.kind, n.sub, n.more ? 'more neighbours' : ''].filter(Boolean).join(' · ')}
            </span>{' '}
            {!graph.expanded.has(n.id) ? (
              <button
                type="button"
                class="small"
                onClick={() => void expand(n)}
                aria-label={`Expand lineage of ${n.label}`}
              >
                Expand
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {showColumns ? (
        <>
          <h2 class="h3">Column level</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Columns</th>
              </tr>
            </thead>
            <tbody>
              {edges.map((e) => (
                <tr key={`${e.from}>${e.to}`}>
                  <td>{graph.nodes.get(e.from)?.label ?? e.from}</td>
                  <td>{graph.nodes.get(e.to)?.label ?? e.to}</td>
                  <td class="mono small">
                    {e.columns.length ? e.columns.map((c) => `${c.from} → ${c.to}`).join('; ') : 'table level'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </div>
  );
}
