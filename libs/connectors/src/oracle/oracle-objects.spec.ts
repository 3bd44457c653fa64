/**
 * Oracle view definitions, CHECK constraints, partition lists and dependency-aware change signals —
 * DRIVER-BOUNDARY tests. The executor answers with rows shaped as the Oracle Database Reference
 * documents ALL_VIEWS, ALL_MVIEWS, ALL_CONSTRAINTS (CONSTRAINT_TYPE 'C'), ALL_TAB_PARTITIONS and
 * ALL_DEPENDENCIES (upper-case columns, NUMBER as JS numbers, LONG columns TEXT, QUERY,
 * SEARCH_CONDITION and HIGH_VALUE as text), and every column each statement selects is checked
 * in what the catalog shows.
 */
import { createAddressGuard } from '../core/address-policy';
import { assetKey } from '../core/scope';
import { CatalogAsset, CatalogBatch, CollectOptions } from '../core/types';
import { Row } from '../sql-shared/row-values';
import { readOracleSettings } from './config';
import { OracleExecutor } from './executor';
import { OracleConnector } from './oracle.connector';

type Binds = Readonly<Record<string, string | number>>;

const column = (TABLE_NAME: string, COLUMN_ID: number, COLUMN_NAME: string, extra: Partial<Row> = {}): Row => ({
  TABLE_NAME,
  COLUMN_NAME,
  COLUMN_ID,
  DATA_TYPE: 'NUMBER',
  DATA_TYPE_OWNER: null,
  DATA_LENGTH: 22,
  DATA_PRECISION: null,
  DATA_SCALE: null,
  CHAR_LENGTH: 0,
  CHAR_USED: null,
  NULLABLE: 'Y',
  DATA_DEFAULT: null,
  IDENTITY_COLUMN: 'NO',
  ...extra,
});

function fixture(): Record<string, Row[]> {
  return {
    ALL_OBJECTS: [
      { OBJECT_NAME: 'ORDERS', OBJECT_TYPE: 'TABLE', LAST_DDL_TIME: '2024-04-01T10:00:00', STATUS: 'VALID' },
      { OBJECT_NAME: 'ORDER_LINES', OBJECT_TYPE: 'TABLE', LAST_DDL_TIME: '2024-04-02T10:00:00', STATUS: 'VALID' },
      { OBJECT_NAME: 'BIG_ORDERS', OBJECT_TYPE: 'VIEW', LAST_DDL_TIME: '2024-04-03T10:00:00', STATUS: 'INVALID' },
      {
        OBJECT_NAME: 'ORDERS_MV',
        OBJECT_TYPE: 'MATERIALIZED VIEW',
        LAST_DDL_TIME: '2024-04-04T10:00:00',
        STATUS: 'VALID',
      },
      { OBJECT_NAME: 'ORDERS_MV', OBJECT_TYPE: 'TABLE', LAST_DDL_TIME: '2024-04-04T10:00:00', STATUS: 'VALID' },
    ],
    ALL_TABLES: ['ORDERS', 'ORDER_LINES', 'ORDERS_MV'].map((TABLE_NAME) => ({
      TABLE_NAME,
      TABLESPACE_NAME: TABLE_NAME === 'ORDERS' ? null : 'USERS',
      NUM_ROWS: null,
      BLOCKS: null,
      AVG_ROW_LEN: null,
      LAST_ANALYZED: null,
      PARTITIONED: TABLE_NAME === 'ORDERS' ? 'YES' : 'NO',
      TEMPORARY: 'N',
      IOT_TYPE: null,
      COMPRESSION: 'DISABLED',
    })),
    ALL_PART_TABLES: [
      {
        TABLE_NAME: 'ORDERS',
        PARTITIONING_TYPE: 'RANGE',
        SUBPARTITIONING_TYPE: 'NONE',
        PARTITION_COUNT: 2,
        COLUMN_NAME: 'ORDERED_ON',
        COLUMN_POSITION: 1,
      },
    ],
    ALL_TAB_COLUMNS: [
      column('ORDERS', 1, 'ID', { NULLABLE: 'N' }),
      column('ORDERS', 2, 'ORDERED_ON', { DATA_TYPE: 'DATE', DATA_LENGTH: 7, NULLABLE: 'N' }),
      column('ORDERS', 3, 'TOTAL', { DATA_PRECISION: 10, DATA_SCALE: 2 }),
      column('ORDER_LINES', 1, 'ORDER_ID', { NULLABLE: 'N' }),
      column('ORDER_LINES', 2, 'QTY'),
      column('BIG_ORDERS', 1, 'ID'),
      column('ORDERS_MV', 1, 'TOTAL'),
    ],
    ALL_VIEWS: [
      {
        VIEW_NAME: 'BIG_ORDERS',
        TEXT: 'SELECT id FROM orders WHERE total > 100',
        READ_ONLY: 'Y',
        EDITIONING_VIEW: 'N',
      },
    ],
    ALL_MVIEWS: [
      {
        MVIEW_NAME: 'ORDERS_MV',
        REFRESH_MODE: 'DEMAND',
        REFRESH_METHOD: 'FORCE',
        BUILD_MODE: 'IMMEDIATE',
        FAST_REFRESHABLE: 'NO',
        UPDATABLE: 'N',
        QUERY: 'SELECT SUM(total) AS total FROM orders\n',
      },
    ],
    CHECKS: [
      // Oracle's own NOT NULL check: shown as the column's nullability, not as a key.
      {
        TABLE_NAME: 'ORDERS',
        CONSTRAINT_NAME: 'SYS_C008123',
        CONSTRAINT_TYPE: 'C',
        SEARCH_CONDITION: '"ID" IS NOT NULL',
        STATUS: 'ENABLED',
        VALIDATED: 'VALIDATED',
        GENERATED: 'GENERATED NAME',
        COLUMN_NAME: 'ID',
        POSITION: null,
      },
      {
        TABLE_NAME: 'ORDERS',
        CONSTRAINT_NAME: 'ORDERS_TOTAL_CK',
        CONSTRAINT_TYPE: 'C',
        SEARCH_CONDITION: 'total >= 0',
        STATUS: 'ENABLED',
        VALIDATED: 'VALIDATED',
        GENERATED: 'USER NAME',
        COLUMN_NAME: 'TOTAL',
        POSITION: null,
      },
      {
        TABLE_NAME: 'ORDER_LINES',
        CONSTRAINT_NAME: 'LINES_QTY_CK',
        CONSTRAINT_TYPE: 'C',
        SEARCH_CONDITION: 'qty > 0 AND order_id IS NOT NULL',
        STATUS: 'DISABLED',
        VALIDATED: 'NOT VALIDATED',
        GENERATED: 'USER NAME',
        COLUMN_NAME: 'ORDER_ID',
        POSITION: null,
      },
      {
        TABLE_NAME: 'ORDER_LINES',
        CONSTRAINT_NAME: 'LINES_QTY_CK',
        CONSTRAINT_TYPE: 'C',
        SEARCH_CONDITION: 'qty > 0 AND order_id IS NOT NULL',
        STATUS: 'DISABLED',
        VALIDATED: 'NOT VALIDATED',
        GENERATED: 'USER NAME',
        COLUMN_NAME: 'QTY',
        POSITION: null,
      },
    ],
    ALL_TAB_PARTITIONS: [
      {
        TABLE_NAME: 'ORDERS',
        PARTITION_NAME: 'P2023',
        PARTITION_POSITION: 1,
        HIGH_VALUE: "TO_DATE(' 2024-01-01 00:00:00', 'SYYYY-MM-DD HH24:MI:SS', 'NLS_CALENDAR=GREGORIAN')",
        SUBPARTITION_COUNT: 0,
        TABLESPACE_NAME: 'USERS',
        NUM_ROWS: 1200,
        AVG_ROW_LEN: 40,
        LAST_ANALYZED: '2024-05-01T08:00:00',
        COMPRESSION: 'DISABLED',
      },
      {
        TABLE_NAME: 'ORDERS',
        PARTITION_NAME: 'PMAX',
        PARTITION_POSITION: 2,
        HIGH_VALUE: 'MAXVALUE',
        SUBPARTITION_COUNT: 0,
        TABLESPACE_NAME: 'USERS',
        NUM_ROWS: null,
        AVG_ROW_LEN: null,
        LAST_ANALYZED: null,
        COMPRESSION: 'ENABLED',
      },
    ],
    DEPENDENCIES: [
      {
        NAME: 'BIG_ORDERS',
        R_OWNER: 'SALES',
        R_NAME: 'ORDERS',
        R_TYPE: 'TABLE',
        R_LAST_DDL_TIME: '2024-04-01T10:00:00',
      },
      {
        NAME: 'ORDERS_MV',
        R_OWNER: 'SALES',
        R_NAME: 'ORDERS',
        R_TYPE: 'TABLE',
        R_LAST_DDL_TIME: '2024-04-01T10:00:00',
      },
      {
        NAME: 'ORDER_LINES',
        R_OWNER: 'SALES',
        R_NAME: 'ORDERS',
        R_TYPE: 'TABLE',
        R_LAST_DDL_TIME: '2024-04-01T10:00:00',
      },
    ],
  };
}

/** Answers each statement with the fixture rows of the view it reads (the one owner, no scope). */
class FakeOracle implements OracleExecutor {
  readonly calls: string[] = [];
  constructor(readonly rows = fixture()) {}

  async query(sql: string, _binds: Binds): Promise<Row[]> {
    this.calls.push(sql);
    if (sql.includes('FROM ALL_USERS')) return [{ USERNAME: 'SALES' }];
    if (sql.includes('FROM ALL_DEPENDENCIES')) return this.rows.DEPENDENCIES;
    if (sql.includes("CONSTRAINT_TYPE = 'C'")) return this.rows.CHECKS;
    const view = /FROM (ALL_\w+)/.exec(sql)?.[1] ?? '';
    return this.rows[view] ?? [];
  }

  async serverVersion(): Promise<string> {
    return '19.3.0.0.0';
  }

  async close(): Promise<void> {}
}

const settings = readOracleSettings({
  host: '127.0.0.1',
  port: 1521,
  username: 'catalog',
  password: 'x',
  service_name: 'ORCLPDB1',
  timeout: 5,
});

async function collect(fake: FakeOracle, partial: Partial<CollectOptions> = {}): Promise<CatalogBatch[]> {
  const connector = new OracleConnector(
    settings,
    { guardAddress: createAddressGuard({ deny: [], allow: [] }) },
    () => fake,
  );
  const out: CatalogBatch[] = [];
  const options: CollectOptions = { mode: 'full', scope: {}, batchSize: 10, signal: new AbortController().signal };
  for await (const b of connector.collect({ ...options, ...partial })) out.push(b);
  return out;
}

const byName = (batches: CatalogBatch[]) => new Map(batches.flatMap((b) => b.assets).map((a) => [a.name, a]));

describe('Oracle views, CHECK constraints, partitions and dependencies (driver boundary)', () => {
  let assets: Map<string, CatalogAsset>;
  beforeAll(async () => {
    assets = byName(await collect(new FakeOracle()));
  });

  it('shows a view definition (ALL_VIEWS.TEXT) with READ_ONLY and EDITIONING_VIEW', () => {
    expect(assets.get('BIG_ORDERS')).toMatchObject({
      kind: 'view',
      properties: { definition: 'SELECT id FROM orders WHERE total > 100', read_only: true },
    });
    expect(assets.get('BIG_ORDERS')!.properties).not.toHaveProperty('editioning');
  });

  it('shows a materialized view definition (ALL_MVIEWS.QUERY) trimmed', () => {
    expect(assets.get('ORDERS_MV')!.properties).toMatchObject({
      definition: 'SELECT SUM(total) AS total FROM orders',
      refresh_mode: 'DEMAND',
      refresh_method: 'FORCE',
      build_mode: 'IMMEDIATE',
    });
  });

  it("gives CHECK constraints as 'check' keys with columns, state, and not Oracle's NOT NULL checks", () => {
    expect(assets.get('ORDERS')!.keys).toEqual([
      { name: 'ORDERS_TOTAL_CK', type: 'check', columns: ['TOTAL'], definition: 'CHECK (total >= 0)' },
    ]);
    expect(assets.get('ORDER_LINES')!.keys).toEqual([
      {
        name: 'LINES_QTY_CK',
        type: 'check',
        columns: ['ORDER_ID', 'QTY'],
        definition: 'CHECK (qty > 0 AND order_id IS NOT NULL) DISABLE NOVALIDATE',
      },
    ]);
  });

  it('lists partitions from ALL_TAB_PARTITIONS in position order with bound, tablespace, compression and statistics', () => {
    expect(assets.get('ORDERS')).toMatchObject({
      kind: 'partitioned_table',
      properties: {
        partitioning: {
          type: 'RANGE',
          columns: ['ORDERED_ON'],
          partition_count: 2,
          partitions: [
            {
              name: 'P2023',
              position: 1,
              high_value: "TO_DATE(' 2024-01-01 00:00:00', 'SYYYY-MM-DD HH24:MI:SS', 'NLS_CALENDAR=GREGORIAN')",
              subpartition_count: 0,
              tablespace: 'USERS',
              compression: 'DISABLED',
              rows: 1200,
              bytes: 48000,
              last_analyzed: '2024-05-01T08:00:00',
            },
            {
              name: 'PMAX',
              position: 2,
              high_value: 'MAXVALUE',
              subpartition_count: 0,
              tablespace: 'USERS',
              compression: 'ENABLED',
              rows: null,
              bytes: null,
              last_analyzed: null,
            },
          ],
        },
      },
    });
  });

  it('leaves partition statistics out of schema-only runs', async () => {
    const schemaOnly = byName(await collect(new FakeOracle(), { mode: 'schema_only' }));
    const partitions = (schemaOnly.get('ORDERS')!.properties!.partitioning as { partitions: object[] }).partitions;
    expect(partitions[0]).toEqual({
      name: 'P2023',
      position: 1,
      high_value: "TO_DATE(' 2024-01-01 00:00:00', 'SYYYY-MM-DD HH24:MI:SS', 'NLS_CALENDAR=GREGORIAN')",
      subpartition_count: 0,
      tablespace: 'USERS',
      compression: 'DISABLED',
    });
  });

  it("puts each referenced object's owner, name, type and LAST_DDL_TIME, and a non-VALID status, in the signal", () => {
    expect(assets.get('BIG_ORDERS')!.changeSignal).toBe(
      'VIEW@2024-04-03T10:00:00#INVALID|dep:SALES.ORDERS:TABLE@2024-04-01T10:00:00',
    );
    expect(assets.get('ORDER_LINES')!.changeSignal).toBe(
      'TABLE@2024-04-02T10:00:00|dep:SALES.ORDERS:TABLE@2024-04-01T10:00:00',
    );
    expect(assets.get('ORDERS')!.changeSignal).toBe('TABLE@2024-04-01T10:00:00');
  });

  it('re-reads the dependents of a table whose DDL changed, and only them', async () => {
    const before = await collect(new FakeOracle());
    const previousSignals = new Map(
      before.flatMap((b) => b.assets).map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]),
    );
    const changed = fixture();
    // ORDERS renamed a column: its LAST_DDL_TIME moves, and so does what the dependents' rows report.
    changed.ALL_OBJECTS[0] = { ...changed.ALL_OBJECTS[0], LAST_DDL_TIME: '2024-06-01T10:00:00' };
    changed.DEPENDENCIES = changed.DEPENDENCIES.map((d) => ({ ...d, R_LAST_DDL_TIME: '2024-06-01T10:00:00' }));
    const run = await collect(new FakeOracle(changed), { mode: 'incremental', previousSignals });
    expect(
      run
        .flatMap((b) => b.assets)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['BIG_ORDERS', 'ORDERS', 'ORDERS_MV', 'ORDER_LINES']);
    const quiet = await collect(new FakeOracle(changed), {
      mode: 'incremental',
      previousSignals: new Map(
        run.flatMap((b) => b.assets).map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]),
      ),
    });
    expect(quiet.flatMap((b) => b.assets)).toEqual([]);
  });
});
