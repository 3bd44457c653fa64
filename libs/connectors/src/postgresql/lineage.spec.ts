import { assetKey } from '../core/scope';
import { resolveViewColumns, viewLineage, ViewLineageRow } from './lineage';

const dep = (namespace: string, name: string, ...columns: string[]) => ({
  namespace,
  name,
  columns: new Set(columns),
});

describe('PostgreSQL view column lineage', () => {
  it('maps aliases, expressions and joins to the columns they read', () => {
    const definition = ` SELECT o.id,
    (o.amount * c.rate) AS total,
    upper((c.name)::text) AS cname
   FROM (orders o
     JOIN sales.customers c ON ((c.id = o.customer_id)))
  WHERE (o.amount > (0)::numeric);`;
    const r = resolveViewColumns(
      definition,
      ['id', 'total', 'cname'],
      [dep('public', 'orders', 'id', 'amount', 'customer_id'), dep('sales', 'customers', 'id', 'rate', 'name')],
    );
    expect(r.unresolvedColumns).toEqual([]);
    expect(r.mappings.get(assetKey('public', 'orders'))).toEqual([
      { field: 'id', from: ['id'], transformation: 'identity' },
      { field: 'total', from: ['amount'], transformation: 'expression' },
    ]);
    expect(r.mappings.get(assetKey('sales', 'customers'))).toEqual([
      { field: 'total', from: ['rate'], transformation: 'expression' },
      { field: 'cname', from: ['name'], transformation: 'expression' },
    ]);
  });

  it('resolves unqualified columns through the dependency list and adds every UNION branch', () => {
    const definition = ` SELECT a.id, label FROM a, b
UNION ALL
 SELECT c.id, c.title FROM c;`;
    const r = resolveViewColumns(
      definition,
      ['id', 'label'],
      [dep('s', 'a', 'id'), dep('s', 'b', 'label'), dep('s', 'c', 'id', 'title')],
    );
    expect(r.mappings.get(assetKey('s', 'b'))).toEqual([
      { field: 'label', from: ['label'], transformation: 'identity' },
    ]);
    expect(r.mappings.get(assetKey('s', 'c'))).toEqual([
      { field: 'id', from: ['id'], transformation: 'identity' },
      { field: 'label', from: ['title'], transformation: 'identity' },
    ]);
  });

  it('keeps table-level edges and records why when the columns cannot be traced', () => {
    const row: ViewLineageRow = {
      namespace: 'public',
      name: 'v',
      relkind: 'm',
      definition: ' WITH x AS (SELECT id FROM t) SELECT x.id FROM x;',
      columns: ['id'],
      deps: [{ namespace: 'public', name: 't', column: 'id' }],
    };
    const lineage = viewLineage(row);
    expect(lineage.upstream).toEqual([{ namespace: 'public', name: 't', kind: 'materialized_view' }]);
    expect(lineage.unresolved).toMatch(/WITH/);
  });
});
