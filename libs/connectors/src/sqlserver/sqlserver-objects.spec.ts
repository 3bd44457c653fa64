/**
 * SQL Server view definitions, CHECK constraints and reference-aware change signals — DRIVER-
 * BOUNDARY tests. The executor answers with rows shaped as the SQL Server catalog-view reference
 * documents sys.sql_modules, sys.check_constraints, sys.sql_expression_dependencies with
 * sys.foreign_keys and sys.objects (bit columns as booleans, as tedious returns them), and every
 * column each statement selects is checked in what the catalog shows.
 */
import { createAddressGuard } from '../core/address-policy';
import { assetKey } from '../core/scope';
import { CatalogAsset, CatalogBatch, CollectOptions } from '../core/types';
import { Row } from '../sql-shared/row-values';
import { readSqlServerSettings } from './config';
import { Params, SqlServerExecutor } from './executor';
import { SqlServerConnector } from './sqlserver.connector';

const column = (object_id: number, column_id: number, name: string): Row => ({
  object_id,
  column_id,
  name,
  type_name: 'int',
  base_type_name: 'int',
  is_user_defined: false,
  max_length: 4,
  precision: 10,
  scale: 0,
  is_nullable: true,
  is_identity: false,
  is_computed: false,
  computed_definition: null,
  is_persisted: false,
  default_definition: null,
  collation_name: null,
});

function fixture(): Record<string, Row[]> {
  return {
    objects: [
      { object_id: 101, schema_name: 'dbo', name: 'Orders', type: 'U ', modify_date: '2024-04-01T10:00:00.000' },
      { object_id: 102, schema_name: 'dbo', name: 'OrderLines', type: 'U ', modify_date: '2024-04-02T10:00:00.000' },
      { object_id: 103, schema_name: 'rpt', name: 'BigOrders', type: 'V ', modify_date: '2024-04-03T10:00:00.000' },
    ].map((o) => ({ ...o, description_checksum: null, is_indexed_view: 0, is_partitioned: 0 })),
    columns: [column(101, 1, 'Id'), column(101, 2, 'Total'), column(102, 1, 'OrderId'), column(103, 1, 'Id')],
    modules: [
      {
        object_id: 103,
        definition: 'CREATE VIEW rpt.BigOrders WITH SCHEMABINDING AS SELECT Id FROM dbo.Orders WHERE Total > 100',
        is_schema_bound: true,
        uses_ansi_nulls: true,
        uses_quoted_identifier: false,
      },
    ],
    checks: [
      {
        object_id: 101,
        name: 'CK_Orders_Total',
        definition: '([Total]>=(0))',
        is_disabled: false,
        is_not_trusted: false,
        column_name: 'Total',
      },
      {
        object_id: 102,
        name: 'CK_OrderLines_Row',
        definition: '([OrderId] IS NOT NULL)',
        is_disabled: true,
        is_not_trusted: true,
        column_name: null,
      },
    ],
    dependencies: [
      {
        object_id: 103,
        referenced_schema: 'dbo',
        referenced_name: 'Orders',
        referenced_modify_date: '2024-04-01T10:00:00.000',
      },
      {
        object_id: 102,
        referenced_schema: 'dbo',
        referenced_name: 'Orders',
        referenced_modify_date: '2024-04-01T10:00:00.000',
      },
    ],
  };
}

/** Answers each statement with the fixture rows of the catalog view it reads (one database, no scope). */
class FakeSqlServer implements SqlServerExecutor {
  constructor(readonly rows = fixture()) {}

  async query(database: string | null, sql: string, _params: Params): Promise<Row[]> {
    if (sql.includes('FROM sys.databases')) return [{ name: 'Shop', collation_name: 'Latin1_General_CI_AS' }];
    if (sql.includes('FROM sys.schemas s LEFT JOIN'))
      return [
        { schema_id: 1, schema_name: 'dbo', owner_name: 'dbo' },
        { schema_id: 5, schema_name: 'rpt', owner_name: 'reporting' },
      ];
    if (sql.startsWith('SELECT o.object_id')) return this.rows.objects;
    if (sql.includes('FROM sys.sql_expression_dependencies')) return this.rows.dependencies;
    if (sql.includes('FROM sys.sql_modules')) return this.rows.modules;
    if (sql.includes('FROM sys.check_constraints')) return this.rows.checks;
    if (sql.includes('FROM sys.columns')) return this.rows.columns;
    return [];
  }

  async close(): Promise<void> {}
}

async function collect(fake: FakeSqlServer, partial: Partial<CollectOptions> = {}): Promise<CatalogBatch[]> {
  const connector = new SqlServerConnector(
    readSqlServerSettings({ host: '127.0.0.1', port: 1433, username: 'catalog', password: 'x', timeout: 5 }),
    { guardAddress: createAddressGuard({ deny: [], allow: [] }) },
    () => fake,
  );
  const options: CollectOptions = { mode: 'full', scope: {}, batchSize: 10, signal: new AbortController().signal };
  const out: CatalogBatch[] = [];
  for await (const b of connector.collect({ ...options, ...partial })) out.push(b);
  return out;
}

const byName = (batches: CatalogBatch[]) => new Map(batches.flatMap((b) => b.assets).map((a) => [a.name, a]));

describe('SQL Server view definitions, CHECK constraints and references (driver boundary)', () => {
  let assets: Map<string, CatalogAsset>;
  beforeAll(async () => {
    assets = byName(await collect(new FakeSqlServer()));
  });

  it('shows a view definition from sys.sql_modules with its schema binding and SET options', () => {
    expect(assets.get('BigOrders')).toMatchObject({
      namespace: 'Shop.rpt',
      kind: 'view',
      properties: {
        definition: 'CREATE VIEW rpt.BigOrders WITH SCHEMABINDING AS SELECT Id FROM dbo.Orders WHERE Total > 100',
        schema_bound: true,
        ansi_nulls: true,
        quoted_identifier: false,
      },
    });
    expect(assets.get('Orders')!.properties).toEqual({});
  });

  it("gives sys.check_constraints as 'check' keys with the column and the disabled / untrusted state", () => {
    expect(assets.get('Orders')!.keys).toEqual([
      { name: 'CK_Orders_Total', type: 'check', columns: ['Total'], definition: 'CHECK ([Total]>=(0))' },
    ]);
    expect(assets.get('OrderLines')!.keys).toEqual([
      {
        name: 'CK_OrderLines_Row',
        type: 'check',
        columns: [],
        definition: 'CHECK ([OrderId] IS NOT NULL) DISABLED NOT TRUSTED',
      },
    ]);
  });

  it("puts each referenced object's schema, name and modify_date in the dependent's signal", () => {
    expect(assets.get('BigOrders')!.changeSignal).toBe(
      '2024-04-03T10:00:00.000||dep:dbo.Orders@2024-04-01T10:00:00.000',
    );
    expect(assets.get('OrderLines')!.changeSignal).toBe(
      '2024-04-02T10:00:00.000||dep:dbo.Orders@2024-04-01T10:00:00.000',
    );
    expect(assets.get('Orders')!.changeSignal).toBe('2024-04-01T10:00:00.000|');
  });

  it('re-reads the view and the referencing table when the referenced table is renamed, and only those', async () => {
    const before = await collect(new FakeSqlServer());
    const previousSignals = new Map(
      before.flatMap((b) => b.assets).map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]),
    );
    const renamed = fixture();
    // sp_rename of Orders: the dependents' rows name it anew; their own modify_date does not move.
    renamed.objects[0] = { ...renamed.objects[0], name: 'SalesOrders' };
    renamed.dependencies = renamed.dependencies.map((d) => ({ ...d, referenced_name: 'SalesOrders' }));
    const run = await collect(new FakeSqlServer(renamed), { mode: 'incremental', previousSignals });
    expect(
      run
        .flatMap((b) => b.assets)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['BigOrders', 'OrderLines', 'SalesOrders']);
  });
});
