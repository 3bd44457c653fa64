/**
 * SQL Server connector — DRIVER-BOUNDARY tests. No SQL Server runs here, so the executor (the one
 * seam to mssql/tedious) is replaced by a fake that answers with rows shaped as the SQL Server
 * documentation gives the catalog views (sys.databases, sys.schemas, sys.objects, sys.columns,
 * sys.types, sys.default_constraints, sys.computed_columns, sys.key_constraints, sys.index_columns,
 * sys.foreign_keys, sys.foreign_key_columns, sys.indexes, sys.extended_properties, sys.partitions,
 * sys.allocation_units) and with the JavaScript types tedious returns (int → number, bigint →
 * string, bit → boolean, char(2) `type` padded). Errors are shaped as mssql raises them
 * (ConnectionError ELOGIN/ESOCKET/ETIMEOUT, RequestError EREQUEST with the server's number).
 * The fake applies bound LIKE patterns and object-id lists itself, so scope is checked through
 * the parameters alone. The SQL Server Browser lookup runs against a real UDP socket.
 */
import { createSocket } from 'node:dgram';
import { createServer, Server } from 'node:net';
import { createAddressGuard } from '../core/address-policy';
import { validateConfig } from '../core/config-spec';
import { ConnectorErrorCode } from '../core/errors';
import { assetKey } from '../core/scope';
import { CatalogAsset, CatalogBatch, CollectOptions, ConnectContext } from '../core/types';
import { Row } from '../sql-shared/row-values';
import { sqlServerLike } from './catalog-sql';
import { sqlServerType, unwrapDefinition } from './collect';
import { readSqlServerSettings, SQLSERVER_CONFIG_SPEC } from './config';
import { classifySqlServerError } from './errors';
import { inDatabaseBatch, openSqlServerPool, Params, SqlServerExecutor } from './executor';
import { sqlserverConnector } from '.';
import { splitNamespace } from './profile';
import { instanceRequest, lookupInstancePort, parseInstancePort } from './sql-browser';
import { SqlServerConnector } from './sqlserver.connector';

/** LIKE with `\` as escape and `[…]` classes, as SQL Server evaluates it under a binary collation. */
function likeToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') re += (pattern[++i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (ch === '%') re += '.*';
    else if (ch === '_') re += '.';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i);
      re += pattern.slice(i, end + 1);
      i = end;
    } else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

interface Table {
  db: string;
  schema: string;
  name: string;
  objectId: number;
  type: 'U ' | 'V ';
  modify: string;
  checksum: number | null;
  indexedView?: boolean;
  partitioned?: boolean;
}

const TABLES: Table[] = [
  {
    db: 'Sales',
    schema: 'dbo',
    name: 'Customers',
    objectId: 101,
    type: 'U ',
    modify: '2024-03-02T09:00:00.123',
    checksum: -1735411,
  },
  {
    db: 'Sales',
    schema: 'dbo',
    name: 'Orders',
    objectId: 102,
    type: 'U ',
    modify: '2024-03-02T09:05:00',
    checksum: null,
  },
  {
    db: 'Sales',
    schema: 'dbo',
    name: 'Events',
    objectId: 103,
    type: 'U ',
    modify: '2024-03-03T10:00:00',
    checksum: null,
    partitioned: true,
  },
  {
    db: 'Sales',
    schema: 'dbo',
    name: 'tmp_load',
    objectId: 104,
    type: 'U ',
    modify: '2024-03-03T10:00:00',
    checksum: null,
  },
  {
    db: 'Sales',
    schema: 'sales',
    name: 'vOrders',
    objectId: 201,
    type: 'V ',
    modify: '2024-03-04T11:00:00',
    checksum: null,
  },
  {
    db: 'Sales',
    schema: 'sales',
    name: 'vTotals',
    objectId: 202,
    type: 'V ',
    modify: '2024-03-04T11:30:00',
    checksum: null,
    indexedView: true,
  },
  { db: 'HR', schema: 'dbo', name: 'People', objectId: 301, type: 'U ', modify: '2024-01-01T00:00:00', checksum: null },
];

const column = (
  object_id: number,
  column_id: number,
  name: string,
  type_name: string,
  extra: Partial<Row> = {},
): Row => ({
  object_id,
  column_id,
  name,
  type_name,
  base_type_name: type_name,
  is_user_defined: false,
  max_length: 4,
  precision: 10,
  scale: 0,
  is_nullable: true,
  is_identity: false,
  is_computed: false,
  collation_name: null,
  default_definition: null,
  computed_definition: null,
  is_persisted: null,
  ...extra,
});

function catalog(): Record<string, Row[]> {
  return {
    columns: [
      column(101, 1, 'CustomerID', 'int', { is_nullable: false, is_identity: true }),
      column(101, 2, 'Name', 'nvarchar', {
        max_length: 200,
        precision: 0,
        is_nullable: false,
        collation_name: 'SQL_Latin1_General_CP1_CI_AS',
      }),
      column(101, 3, 'Email', 'varchar', {
        max_length: -1,
        precision: 0,
        collation_name: 'SQL_Latin1_General_CP1_CI_AS',
      }),
      column(101, 4, 'Balance', 'decimal', { max_length: 9, precision: 12, scale: 2, default_definition: '((0))' }),
      column(101, 5, 'CreatedAt', 'datetime2', {
        max_length: 7,
        precision: 23,
        scale: 3,
        is_nullable: false,
        default_definition: '(sysutcdatetime())',
      }),
      column(101, 6, 'NameUpper', 'nvarchar', {
        max_length: 200,
        precision: 0,
        is_computed: true,
        computed_definition: '(upper([Name]))',
        is_persisted: true,
        collation_name: 'SQL_Latin1_General_CP1_CI_AS',
      }),
      column(101, 7, 'Phone', 'PhoneNumber', {
        base_type_name: 'varchar',
        is_user_defined: true,
        max_length: 20,
        precision: 0,
        collation_name: 'SQL_Latin1_General_CP1_CI_AS',
      }),
      column(102, 1, 'OrderID', 'bigint', { max_length: 8, precision: 19, is_nullable: false }),
      column(102, 2, 'CustomerID', 'int', { is_nullable: false }),
      column(102, 3, 'Amount', 'money', { max_length: 8, precision: 19, scale: 4 }),
      column(102, 4, 'Note', 'nchar', { max_length: 20, precision: 0, default_definition: "(N'(none)')" }),
      column(102, 5, 'Payload', 'xml', { max_length: -1, precision: 0 }),
      column(102, 6, 'Flags', 'binary', { max_length: 16, precision: 0 }),
      column(103, 1, 'EventID', 'uniqueidentifier', { max_length: 16, precision: 0, is_nullable: false }),
      column(103, 2, 'At', 'datetimeoffset', { max_length: 10, precision: 34, scale: 7 }),
      column(201, 1, 'OrderID', 'bigint', { max_length: 8, precision: 19, is_nullable: false }),
      column(202, 1, 'CustomerID', 'int', { is_nullable: false }),
      column(202, 2, 'Total', 'money', { max_length: 8, precision: 19, scale: 4 }),
    ],
    keys: [
      { object_id: 101, name: 'PK_Customers', type: 'PK', column_name: 'CustomerID', key_ordinal: 1 },
      { object_id: 101, name: 'UQ_Customers_Email_Name', type: 'UQ', column_name: 'Name', key_ordinal: 1 },
      { object_id: 101, name: 'UQ_Customers_Email_Name', type: 'UQ', column_name: 'Phone', key_ordinal: 2 },
      { object_id: 102, name: 'PK_Orders', type: 'PK', column_name: 'OrderID', key_ordinal: 1 },
    ],
    foreignKeys: [
      {
        object_id: 102,
        name: 'FK_Orders_Customers',
        constraint_column_id: 1,
        column_name: 'CustomerID',
        referenced_schema: 'dbo',
        referenced_table: 'Customers',
        referenced_column: 'CustomerID',
        delete_referential_action_desc: 'CASCADE',
        update_referential_action_desc: 'NO_ACTION',
        is_disabled: false,
      },
    ],
    indexes: [
      {
        object_id: 101,
        name: 'PK_Customers',
        index_id: 1,
        type_desc: 'CLUSTERED',
        is_unique: true,
        is_primary_key: true,
        is_unique_constraint: false,
        filter_definition: null,
        column_name: 'CustomerID',
        key_ordinal: 1,
        is_descending_key: false,
        is_included_column: false,
      },
      {
        object_id: 102,
        name: 'IX_Orders_Customer',
        index_id: 2,
        type_desc: 'NONCLUSTERED',
        is_unique: false,
        is_primary_key: false,
        is_unique_constraint: false,
        filter_definition: '([Amount]>(0))',
        column_name: 'CustomerID',
        key_ordinal: 1,
        is_descending_key: false,
        is_included_column: false,
      },
      {
        object_id: 102,
        name: 'IX_Orders_Customer',
        index_id: 2,
        type_desc: 'NONCLUSTERED',
        is_unique: false,
        is_primary_key: false,
        is_unique_constraint: false,
        filter_definition: '([Amount]>(0))',
        column_name: 'OrderID',
        key_ordinal: 2,
        is_descending_key: true,
        is_included_column: false,
      },
      {
        object_id: 102,
        name: 'IX_Orders_Customer',
        index_id: 2,
        type_desc: 'NONCLUSTERED',
        is_unique: false,
        is_primary_key: false,
        is_unique_constraint: false,
        filter_definition: '([Amount]>(0))',
        column_name: 'Amount',
        key_ordinal: 0,
        is_descending_key: false,
        is_included_column: true,
      },
      {
        object_id: 202,
        name: 'CIX_vTotals',
        index_id: 1,
        type_desc: 'CLUSTERED',
        is_unique: true,
        is_primary_key: false,
        is_unique_constraint: false,
        filter_definition: null,
        column_name: 'CustomerID',
        key_ordinal: 1,
        is_descending_key: false,
        is_included_column: false,
      },
    ],
    descriptions: [
      { object_id: 101, minor_id: 0, description: 'People who buy' },
      { object_id: 101, minor_id: 3, description: 'Contact e-mail' },
    ],
    sizes: [
      { object_id: 101, row_count: '42', total_bytes: '73728' },
      { object_id: 102, row_count: '1000000', total_bytes: '52428800' },
      { object_id: 202, row_count: '40', total_bytes: '16384' },
    ],
  };
}

class FakeSqlServer implements SqlServerExecutor {
  readonly calls: Array<{ database: string | null; sql: string; params: Params }> = [];
  readonly tables = TABLES.map((t) => ({ ...t }));
  readonly views = catalog();
  failWith?: unknown;
  answer?: (database: string | null, sql: string, params: Params) => Row[] | undefined;
  closed = false;

  async query(database: string | null, sql: string, params: Params): Promise<Row[]> {
    this.calls.push({ database, sql, params });
    if (this.failWith) throw this.failWith;
    const custom = this.answer?.(database, sql, params);
    if (custom) return custom;
    if (sql.includes('FROM sys.databases')) {
      const only = /d\.name = @(p\d+)/.exec(sql);
      return ['HR', 'Sales']
        .filter((d) => !only || params[only[1]] === d)
        .map((name) => ({ name, collation_name: 'SQL_Latin1_General_CP1_CI_AS', compatibility_level: 160 }));
    }
    const inDb = this.tables.filter((t) => t.db === database);
    const scoped = this.applyScope(sql, params, inDb, database!);
    if (sql.includes('FROM sys.schemas s LEFT JOIN')) {
      const schemas = [...new Set(['dbo', ...inDb.map((t) => t.schema)])];
      return this.applyScope(
        sql,
        params,
        schemas.map((schema) => ({ db: database!, schema, name: '' }) as Table),
        database!,
        true,
      ).map((t, i) => ({
        schema_id: i + 1,
        schema_name: t.schema,
        owner_name: 'dbo',
      }));
    }
    if (sql.startsWith('SELECT o.object_id')) {
      return scoped.map((t) => ({
        object_id: t.objectId,
        schema_name: t.schema,
        name: t.name,
        type: t.type,
        modify_date: t.modify,
        description_checksum: t.checksum,
        is_indexed_view: t.indexedView ? 1 : 0,
        is_partitioned: t.partitioned ? 1 : 0,
      }));
    }
    const ids = new Set(scoped.map((t) => t.objectId));
    const view = sql.includes('FROM sys.columns')
      ? 'columns'
      : sql.includes('FROM sys.key_constraints')
        ? 'keys'
        : sql.includes('FROM sys.foreign_keys')
          ? 'foreignKeys'
          : sql.includes('FROM sys.indexes i JOIN')
            ? 'indexes'
            : sql.includes('FROM sys.extended_properties ep')
              ? 'descriptions'
              : sql.includes('FROM sys.partitions')
                ? 'sizes'
                : '';
    return (this.views[view] ?? []).filter((r) => ids.has(r.object_id as number));
  }

  /** Applies bound LIKE patterns on the namespace path and the table name, and bound object-id lists. */
  private applyScope(sql: string, params: Params, tables: Table[], database: string, schemasOnly = false): Table[] {
    let out = tables;
    const idList = /\.object_id IN \(((?:@p\d+(?:, )?)+)\)|major_id IN \(((?:@p\d+(?:, )?)+)\)/.exec(sql);
    if (idList) {
      const ids = (idList[1] ?? idList[2]).split(', ').map((p) => params[p.slice(1)]);
      out = out.filter((t) => ids.includes(t.objectId));
    }
    const rules = [
      ...sql.matchAll(
        /(\(DB_NAME\(\) \+ N'\.' \+ s\.name\)|o\.name) COLLATE Latin1_General_BIN2 (NOT )?LIKE @(p\d+) ESCAPE '\\'/g,
      ),
    ];
    for (const target of ['ns', 'name'] as const) {
      const mine = rules.filter((m) => (m[1] === 'o.name') === (target === 'name'));
      if (schemasOnly && target === 'name') continue;
      const include = mine.filter((m) => !m[2]).map((m) => likeToRegExp(String(params[m[3]])));
      const exclude = mine.filter((m) => m[2]).map((m) => likeToRegExp(String(params[m[3]])));
      out = out.filter((t) => {
        const v = target === 'ns' ? `${database}.${t.schema}` : t.name;
        return (include.length === 0 || include.some((r) => r.test(v))) && !exclude.some((r) => r.test(v));
      });
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Errors shaped as mssql raises them: ConnectionError wrapping tedious' error, RequestError with the server's number. */
const connectionError = (code: string, message: string, number?: number) =>
  Object.assign(new Error(message), {
    name: 'ConnectionError',
    code,
    originalError: Object.assign(new Error(message), { code, ...(number ? { number } : {}) }),
  });
const requestError = (number: number, message: string) =>
  Object.assign(new Error(message), { name: 'RequestError', code: 'EREQUEST', number, state: 1, class: 14 });

const context: ConnectContext = { guardAddress: createAddressGuard({ deny: [], allow: [] }) };
const baseConfig = { host: '127.0.0.1', port: 1433, username: 'catalog', password: 's3cret', timeout: 5 };

function connectorWith(
  fake: FakeSqlServer,
  config: Record<string, unknown> = baseConfig,
  lookup?: (a: string, i: string) => Promise<number>,
) {
  const opened: Array<[string, number]> = [];
  const connector = new SqlServerConnector(
    readSqlServerSettings(config),
    context,
    (_s, address, port) => {
      opened.push([address, port]);
      return fake;
    },
    lookup,
  );
  return { connector, opened };
}

function options(partial: Partial<CollectOptions> = {}): CollectOptions {
  return { mode: 'full', scope: {}, batchSize: 2, signal: new AbortController().signal, ...partial };
}

async function collectAll(connector: SqlServerConnector, opts: CollectOptions): Promise<CatalogBatch[]> {
  const out: CatalogBatch[] = [];
  for await (const b of connector.collect(opts)) out.push(b);
  return out;
}
const assetsOf = (b: CatalogBatch[]) => b.flatMap((x) => x.assets);
const byName = (assets: CatalogAsset[]) => new Map(assets.map((a) => [a.name, a]));

describe('SQL Server connector (driver boundary)', () => {
  describe('configuration and helpers', () => {
    it('has the SQL Server settings with their defaults', () => {
      const spec = new Map(SQLSERVER_CONFIG_SPEC.map((f) => [f.name, f]));
      expect(spec.get('port')!.default).toBe(1433);
      expect(spec.get('encrypt')).toMatchObject({ type: 'boolean', default: true });
      expect(spec.get('trust_server_certificate')).toMatchObject({ type: 'boolean', default: false });
      expect(spec.get('instance_name')).toMatchObject({ type: 'string', required: false });
      expect(spec.get('password')!.secret).toBe(true);
      expect(
        validateConfig(SQLSERVER_CONFIG_SPEC, {
          host: 'db',
          database: 'Sales',
          encrypt: false,
          instance_name: 'SQLEXPRESS',
        }),
      ).toEqual([]);
      expect(sqlserverConnector.capabilities.changeSignal).toMatch(/modify_date.*MS_Description/);
    });

    it('writes types the way T-SQL does', () => {
      const t = (r: Row) => sqlServerType({ is_user_defined: false, max_length: 4, precision: 10, scale: 0, ...r });
      expect(t({ base_type_name: 'nvarchar', max_length: 100 })).toBe('nvarchar(50)');
      expect(t({ base_type_name: 'nvarchar', max_length: -1 })).toBe('nvarchar(max)');
      expect(t({ base_type_name: 'varbinary', max_length: -1 })).toBe('varbinary(max)');
      expect(t({ base_type_name: 'char', max_length: 2 })).toBe('char(2)');
      expect(t({ base_type_name: 'decimal', precision: 12, scale: 2 })).toBe('decimal(12,2)');
      expect(t({ base_type_name: 'datetime2', scale: 3 })).toBe('datetime2(3)');
      expect(t({ base_type_name: 'int' })).toBe('int');
      expect(t({ type_name: 'PhoneNumber', base_type_name: 'varchar', is_user_defined: true })).toBe('PhoneNumber');
    });

    it('unwraps the parentheses SQL Server stores around defaults', () => {
      expect(unwrapDefinition('((0))')).toBe('0');
      expect(unwrapDefinition('(getdate())')).toBe('getdate()');
      expect(unwrapDefinition("(N'(none)')")).toBe("N'(none)'");
      expect(unwrapDefinition('((1)+(2))')).toBe('(1)+(2)');
      expect(unwrapDefinition(null)).toBeNull();
    });

    it('escapes [ in LIKE patterns, which SQL Server reads as a character class', () => {
      expect(sqlServerLike('tmp_[x]*')).toBe('tmp\\_\\[x]%');
      expect(likeToRegExp(sqlServerLike('tmp_[x]*')).test('tmp_[x]1')).toBe(true);
      expect(likeToRegExp(sqlServerLike('tmp_[x]*')).test('tmp_x1')).toBe(false);
    });

    it('runs statements inside a database through sp_executesql, the name passed as a parameter', () => {
      expect(inDatabaseBatch({ p0: 'a', p1: 7 })).toEqual({
        sql: "DECLARE @__proc nvarchar(300) = QUOTENAME(@__db) + N'.sys.sp_executesql'; EXEC @__proc @__stmt, @__decl, @p0 = @p0, @p1 = @p1;",
        declarations: '@p0 nvarchar(4000), @p1 bigint',
      });
      expect(inDatabaseBatch({}).sql).toBe(
        "DECLARE @__proc nvarchar(300) = QUOTENAME(@__db) + N'.sys.sp_executesql'; EXEC @__proc @__stmt;",
      );
      expect(() => inDatabaseBatch({ 'x; DROP': 'y' })).toThrow();
    });

    it('splits database.schema namespaces, also for database names with dots', () => {
      expect(splitNamespace('Sales.dbo', [])).toEqual({ database: 'Sales', schema: 'dbo' });
      expect(splitNamespace('corp.sales.dbo', ['corp', 'corp.sales'])).toEqual({
        database: 'corp.sales',
        schema: 'dbo',
      });
    });
  });

  describe('full collection', () => {
    let fake: FakeSqlServer;
    let batches: CatalogBatch[];
    let assets: Map<string, CatalogAsset>;

    beforeAll(async () => {
      fake = new FakeSqlServer();
      const { connector } = connectorWith(fake);
      batches = await collectAll(
        connector,
        options({ scope: { includeSchemas: ['Sales.*'], excludeTables: ['tmp_*'] } }),
      );
      assets = byName(assetsOf(batches));
      await connector.close();
    });

    it('walks every accessible database and lists database.schema namespaces', () => {
      expect(fake.calls[0]).toMatchObject({ database: null });
      expect(fake.calls[0].sql).toContain('HAS_DBACCESS(d.name) = 1');
      expect(batches.flatMap((b) => b.namespaces ?? [])).toEqual([
        { name: 'Sales.dbo', kind: 'schema', properties: { database: 'Sales', schema: 'dbo', owner: 'dbo' } },
        { name: 'Sales.sales', kind: 'schema', properties: { database: 'Sales', schema: 'sales', owner: 'dbo' } },
      ]);
      expect(fake.closed).toBe(true);
    });

    it('issues a constant number of queries per database, never one per table', () => {
      const perDb = (db: string) => fake.calls.filter((c) => c.database === db).length;
      // Schemas, objects, what they reference, and eight detail queries.
      expect(perDb('Sales')).toBe(11);
      // HR holds nothing in scope: schemas, objects and references only.
      expect(perDb('HR')).toBe(3);
    });

    it('binds every value: database names, globs and ids never appear in the SQL text', () => {
      for (const { sql, params } of fake.calls) {
        expect(sql).not.toMatch(/Sales|HR|tmp/);
        for (const p of sql.match(/@p\d+/g) ?? []) expect(params).toHaveProperty(p.slice(1));
      }
      const objects = fake.calls.find((c) => c.database === 'Sales' && c.sql.startsWith('SELECT o.object_id'))!;
      expect(Object.values(objects.params)).toEqual(['Sales.%', 'tmp\\_%']);
    });

    it('applies the scope and streams batches of at most batchSize', () => {
      expect([...assets.keys()]).toEqual(['Customers', 'Orders', 'Events', 'vOrders', 'vTotals']);
      for (const b of batches) expect(b.assets.length).toBeLessThanOrEqual(2);
    });

    it('reads a table field by field: types, defaults, identity, computed columns, descriptions, keys', () => {
      const c = assets.get('Customers')!;
      expect(c).toMatchObject({
        namespace: 'Sales.dbo',
        kind: 'table',
        comment: 'People who buy',
        owner: 'dbo',
        statistics: { rows: 42, bytes: 73728 },
        changeSignal: '2024-03-02T09:00:00.123|-1735411',
      });
      expect(c.fields).toEqual([
        {
          name: 'CustomerID',
          ordinal: 1,
          dataType: 'int',
          nullable: false,
          default: null,
          comment: null,
          primaryKey: true,
          properties: { identity: true },
        },
        {
          name: 'Name',
          ordinal: 2,
          dataType: 'nvarchar(100)',
          nullable: false,
          default: null,
          comment: null,
          primaryKey: false,
          properties: { collation: 'SQL_Latin1_General_CP1_CI_AS' },
        },
        {
          name: 'Email',
          ordinal: 3,
          dataType: 'varchar(max)',
          nullable: true,
          default: null,
          comment: 'Contact e-mail',
          primaryKey: false,
          properties: { collation: 'SQL_Latin1_General_CP1_CI_AS' },
        },
        {
          name: 'Balance',
          ordinal: 4,
          dataType: 'decimal(12,2)',
          nullable: true,
          default: '0',
          comment: null,
          primaryKey: false,
        },
        {
          name: 'CreatedAt',
          ordinal: 5,
          dataType: 'datetime2(3)',
          nullable: false,
          default: 'sysutcdatetime()',
          comment: null,
          primaryKey: false,
        },
        {
          name: 'NameUpper',
          ordinal: 6,
          dataType: 'nvarchar(100)',
          nullable: true,
          default: null,
          comment: null,
          primaryKey: false,
          properties: { computed: 'upper([Name])', persisted: true, collation: 'SQL_Latin1_General_CP1_CI_AS' },
        },
        {
          name: 'Phone',
          ordinal: 7,
          dataType: 'PhoneNumber',
          nullable: true,
          default: null,
          comment: null,
          primaryKey: false,
          properties: { collation: 'SQL_Latin1_General_CP1_CI_AS' },
        },
      ]);
      expect(c.keys).toEqual([
        { name: 'PK_Customers', type: 'primary', columns: ['CustomerID'] },
        { name: 'UQ_Customers_Email_Name', type: 'unique', columns: ['Name', 'Phone'] },
      ]);
      expect(c.indexes).toEqual([
        { name: 'PK_Customers', columns: ['CustomerID'], unique: true, method: 'CLUSTERED', predicate: null },
      ]);
    });

    it('reads foreign keys with referenced namespace, filtered indexes and key order', () => {
      const o = assets.get('Orders')!;
      expect(o.fields.map((f) => [f.name, f.dataType, f.default])).toEqual([
        ['OrderID', 'bigint', null],
        ['CustomerID', 'int', null],
        ['Amount', 'money', null],
        ['Note', 'nchar(10)', "N'(none)'"],
        ['Payload', 'xml', null],
        ['Flags', 'binary(16)', null],
      ]);
      expect(o.keys).toEqual([
        { name: 'PK_Orders', type: 'primary', columns: ['OrderID'] },
        {
          name: 'FK_Orders_Customers',
          type: 'foreign',
          columns: ['CustomerID'],
          references: { namespace: 'Sales.dbo', table: 'Customers', columns: ['CustomerID'] },
          definition: 'ON DELETE CASCADE',
        },
      ]);
      expect(o.indexes).toEqual([
        {
          name: 'IX_Orders_Customer',
          columns: ['CustomerID', 'OrderID DESC'],
          unique: false,
          method: 'NONCLUSTERED',
          predicate: '([Amount]>(0))',
        },
      ]);
      expect(o.statistics).toEqual({ rows: 1000000, bytes: 52428800 });
    });

    it('tells views, indexed views and partitioned tables apart', () => {
      expect(assets.get('vOrders')).toMatchObject({
        namespace: 'Sales.sales',
        kind: 'view',
        fields: [{ name: 'OrderID', dataType: 'bigint' }],
      });
      expect(assets.get('vOrders')!.statistics).toBeUndefined();
      expect(assets.get('vTotals')).toMatchObject({
        kind: 'materialized_view',
        statistics: { rows: 40, bytes: 16384 },
        indexes: [{ name: 'CIX_vTotals', unique: true, method: 'CLUSTERED' }],
      });
      expect(assets.get('Events')).toMatchObject({
        kind: 'partitioned_table',
        fields: [{ dataType: 'uniqueidentifier' }, { dataType: 'datetimeoffset(7)' }],
        statistics: { rows: null, bytes: null },
      });
    });
  });

  describe('other modes', () => {
    it('collects only the configured database', async () => {
      const fake = new FakeSqlServer();
      const { connector } = connectorWith(fake, { ...baseConfig, database: 'HR' });
      const batches = await collectAll(connector, options());
      expect(fake.calls[0].params).toEqual({ p0: 'HR' });
      expect(assetsOf(batches).map((a) => `${a.namespace}.${a.name}`)).toEqual(['HR.dbo.People']);
    });

    it('schema_only skips the sizes query and statistics', async () => {
      const fake = new FakeSqlServer();
      const { connector } = connectorWith(fake);
      const assets = assetsOf(await collectAll(connector, options({ mode: 'schema_only' })));
      expect(assets.length).toBeGreaterThan(0);
      for (const a of assets) expect(a.statistics).toBeUndefined();
      expect(fake.calls.some((c) => c.sql.includes('sys.partitions p OUTER APPLY'))).toBe(false);
    });

    it('incremental: a new MS_Description (modify_date unchanged) re-reads exactly that table, by bound object id', async () => {
      const fake = new FakeSqlServer();
      const { connector } = connectorWith(fake);
      const full = assetsOf(await collectAll(connector, options()));
      const previous = new Map(full.map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));

      // sp_addextendedproperty on Orders.Note: sys.objects.modify_date does not move, the checksum does.
      const orders = fake.tables.find((t) => t.name === 'Orders')!;
      orders.checksum = 99;
      fake.views.descriptions.push({ object_id: 102, minor_id: 4, description: 'Free text' });
      fake.calls.length = 0;

      const run = await collectAll(connector, options({ mode: 'incremental', previousSignals: previous }));
      const reread = assetsOf(run);
      expect(reread.map((a) => a.name)).toEqual(['Orders']);
      expect(reread[0].fields.find((f) => f.name === 'Note')!.comment).toBe('Free text');
      expect(
        run
          .flatMap((b) => b.unchanged ?? [])
          .map((r) => r.name)
          .sort(),
      ).toEqual(
        full
          .map((a) => a.name)
          .filter((n) => n !== 'Orders')
          .sort(),
      );
      const columns = fake.calls.find((c) => c.sql.includes('FROM sys.columns'))!;
      expect(columns.sql).toContain('c.object_id IN (@p0)');
      expect(columns.params).toEqual({ p0: 102 });
    });

    it('incremental with nothing changed reads no details', async () => {
      const fake = new FakeSqlServer();
      const { connector } = connectorWith(fake);
      const full = assetsOf(await collectAll(connector, options()));
      fake.calls.length = 0;
      const run = await collectAll(
        connector,
        options({
          mode: 'incremental',
          previousSignals: new Map(full.map((a) => [assetKey(a.namespace, a.name), a.changeSignal!])),
        }),
      );
      expect(assetsOf(run)).toEqual([]);
      // Databases, then per database schemas, objects and their references.
      expect(fake.calls).toHaveLength(7);
    });
  });

  describe('profile', () => {
    it('issues one aggregate statement over a TOP sample inside the table’s database', async () => {
      const fake = new FakeSqlServer();
      fake.answer = (_db, sql) =>
        sql.startsWith('SELECT (SELECT COUNT_BIG(*)')
          ? [
              {
                total_rows: '1000000',
                sample_rows: '10000',
                c0_nonnull: '10000',
                c0_distinct: '9000',
                c0_min: '0.0100',
                c0_max: '999.9900',
                c0_mean: 500.5,
                c0_stddev: 288.7,
                c1_nonnull: '9500',
                c1_distinct: '3',
                c1_min: '2024-01-01T00:00:00',
                c1_max: '2024-12-31T23:59:59.997',
                c2_nonnull: '9000',
                c2_distinct: '8000',
                c2_min: 'a',
                c2_max: 'zz',
                c2_min_length: 1,
                c2_max_length: 200,
                c2_avg_length: 12.5,
                c3_nonnull: '10',
                c3_distinct: '2',
                c4_nonnull: '4',
              },
            ]
          : [{ col_index: 2, v: 'x', n: '7' }];
      const { connector } = connectorWith(fake);
      const target = {
        namespace: 'Sales.dbo',
        name: 'Orders',
        fields: [
          { name: 'Amount', dataType: 'money' },
          { name: 'At', dataType: 'datetime2(3)' },
          { name: 'Note', dataType: 'nvarchar(200)' },
          { name: 'Done', dataType: 'bit' },
          { name: 'Payload', dataType: 'xml' },
        ],
      };
      const profile = await connector.profile(target, {
        sampleRows: 10_000,
        topValues: true,
        topN: 5,
        signal: new AbortController().signal,
      });
      const [agg, top] = fake.calls;
      expect(agg.database).toBe('Sales');
      expect(agg.params).toEqual({ sample_rows: 10_000 });
      expect(agg.sql).toBe(
        'SELECT (SELECT COUNT_BIG(*) FROM [dbo].[Orders]) AS total_rows, COUNT_BIG(*) AS sample_rows, ' +
          'COUNT_BIG([Amount]) AS c0_nonnull, COUNT_BIG(DISTINCT [Amount]) AS c0_distinct, MIN([Amount]) AS c0_min, MAX([Amount]) AS c0_max, AVG(CAST([Amount] AS float)) AS c0_mean, STDEV(CAST([Amount] AS float)) AS c0_stddev, ' +
          'COUNT_BIG([At]) AS c1_nonnull, COUNT_BIG(DISTINCT [At]) AS c1_distinct, CONVERT(varchar(40), MIN([At]), 126) AS c1_min, CONVERT(varchar(40), MAX([At]), 126) AS c1_max, ' +
          'COUNT_BIG([Note]) AS c2_nonnull, COUNT_BIG(DISTINCT [Note]) AS c2_distinct, MIN([Note]) AS c2_min, MAX([Note]) AS c2_max, MIN(LEN([Note])) AS c2_min_length, MAX(LEN([Note])) AS c2_max_length, AVG(CAST(LEN([Note]) AS float)) AS c2_avg_length, ' +
          'COUNT_BIG([Done]) AS c3_nonnull, COUNT_BIG(DISTINCT [Done]) AS c3_distinct, ' +
          'COUNT_BIG([Payload]) AS c4_nonnull ' +
          'FROM (SELECT TOP (@sample_rows) [Amount], [At], [Note], [Done], [Payload] FROM [dbo].[Orders]) AS s',
      );
      expect(top.sql).toContain('ROW_NUMBER() OVER (PARTITION BY col_index ORDER BY n DESC, v)');
      expect(top.sql).not.toContain('CONVERT(nvarchar(4000), [Payload])');
      expect(top.params).toEqual({ sample_rows: 10_000, top_n: 5 });
      expect(profile).toMatchObject({ row_count: 1_000_000, sampled: true, sample_rows: 10_000 });
      expect(profile.columns[0]).toEqual({
        name: 'Amount',
        null_count: 0,
        null_ratio: 0,
        distinct_count: 9000,
        distinct_ratio: 0.9,
        min: 0.01,
        max: 999.99,
        mean: 500.5,
        stddev: 288.7,
        top_values: [],
      });
      expect(profile.columns[1]).toMatchObject({
        null_count: 500,
        min: '2024-01-01T00:00:00',
        max: '2024-12-31T23:59:59.997',
      });
      expect(profile.columns[2]).toMatchObject({
        min_length: 1,
        max_length: 200,
        avg_length: 12.5,
        top_values: [{ value: 'x', count: 7 }],
      });
      expect(profile.columns[4]).toEqual({
        name: 'Payload',
        null_count: 9996,
        null_ratio: 0.9996,
        distinct_count: 0,
        distinct_ratio: 0,
      });
    });
  });

  describe('SQL Server Browser', () => {
    it('builds CLNT_UCAST_INST and reads the port from SVR_RESP', () => {
      expect(instanceRequest('SQLEXPRESS')).toEqual(Buffer.from('\u0004SQLEXPRESS\u0000', 'latin1'));
      const text =
        'ServerName;DB1;InstanceName;MSSQLSERVER;IsClustered;No;Version;16.0.1000.6;tcp;1433;;ServerName;DB1;InstanceName;SQLEXPRESS;IsClustered;No;Version;16.0.1000.6;tcp;50123;;';
      const response = Buffer.concat([
        Buffer.from([0x05, text.length & 0xff, text.length >> 8]),
        Buffer.from(text, 'latin1'),
      ]);
      expect(parseInstancePort(response, 'sqlexpress')).toBe(50123);
      expect(parseInstancePort(response, 'OTHER')).toBeNull();
    });

    it('asks a Browser over UDP and times out with advice when none answers', async () => {
      const browser = createSocket('udp4');
      browser.on('message', (msg, rinfo) => {
        const name = msg.subarray(1, msg.length - 1).toString('latin1');
        const text = `ServerName;DB1;InstanceName;${name};IsClustered;No;Version;16.0.1000.6;tcp;50999;;`;
        browser.send(
          Buffer.concat([Buffer.from([0x05, text.length, 0]), Buffer.from(text, 'latin1')]),
          rinfo.port,
          rinfo.address,
        );
      });
      await new Promise<void>((resolve) => browser.bind(0, '127.0.0.1', resolve));
      const port = browser.address().port;
      await expect(lookupInstancePort('127.0.0.1', 'SQLEXPRESS', 2000, port)).resolves.toBe(50999);
      browser.close();
      await expect(lookupInstancePort('127.0.0.1', 'SQLEXPRESS', 300, port)).rejects.toMatchObject({
        code: 'UNREACHABLE',
        hint: expect.stringMatching(/Browser/),
      });
    });
  });

  describe('errors', () => {
    it.each([
      [
        'ELOGIN 18456 login failed',
        connectionError('ELOGIN', "Login failed for user 'catalog'.", 18456),
        ConnectorErrorCode.AuthFailed,
      ],
      [
        'ELOGIN 4060 cannot open database',
        connectionError('ELOGIN', 'Cannot open database "Nope" requested by the login. The login failed.', 4060),
        ConnectorErrorCode.PermissionDenied,
      ],
      [
        'EREQUEST 229 SELECT denied',
        requestError(229, "The SELECT permission was denied on the object 'Orders', database 'Sales', schema 'dbo'."),
        ConnectorErrorCode.PermissionDenied,
      ],
      [
        'EREQUEST 916 no access to database',
        requestError(
          916,
          'The server principal "catalog" is not able to access the database "HR" under the current security context.',
        ),
        ConnectorErrorCode.PermissionDenied,
      ],
      [
        'ESOCKET refused',
        connectionError('ESOCKET', 'Failed to connect to 10.0.0.5:1433 - connect ECONNREFUSED 10.0.0.5:1433'),
        ConnectorErrorCode.Unreachable,
      ],
      [
        'ETIMEOUT connect',
        connectionError('ETIMEOUT', 'Failed to connect to 10.0.0.5:1433 in 15000ms'),
        ConnectorErrorCode.Timeout,
      ],
      [
        'ESOCKET self-signed certificate',
        connectionError('ESOCKET', 'Failed to connect to db:1433 - self-signed certificate'),
        ConnectorErrorCode.Tls,
      ],
      [
        'EINSTLOOKUP',
        connectionError('EINSTLOOKUP', 'Failed to get response from SQL Server Browser on db'),
        ConnectorErrorCode.Unreachable,
      ],
      ['ECANCEL', Object.assign(new Error('Canceled.'), { code: 'ECANCEL' }), ConnectorErrorCode.Cancelled],
      ['EREQUEST 102 syntax', requestError(102, "Incorrect syntax near 'x'."), ConnectorErrorCode.Protocol],
    ])('%s', (_label, err, code) => {
      expect(classifySqlServerError(err).code).toBe(code);
    });

    it('the real driver reports a refused port as UNREACHABLE', async () => {
      const refused = await new Promise<number>((resolve) => {
        const s = createServer();
        s.listen(0, '127.0.0.1', () => {
          const p = (s.address() as { port: number }).port;
          s.close(() => resolve(p));
        });
      });
      const exec = openSqlServerPool(
        readSqlServerSettings({ ...baseConfig, port: refused, timeout: 3 }),
        '127.0.0.1',
        refused,
      );
      const error = await exec.query(null, 'SELECT 1', {}, new AbortController().signal).then(
        () => null,
        (e: unknown) => e,
      );
      await exec.close();
      expect(error).toMatchObject({ code: 'ESOCKET' });
      expect(classifySqlServerError(error).code).toBe(ConnectorErrorCode.Unreachable);
    });
  });

  describe('connection test', () => {
    let server: Server;
    let port: number;

    beforeAll(async () => {
      server = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const identity = (fake: FakeSqlServer) => {
      fake.answer = (_db, sql) =>
        sql.includes('SERVERPROPERTY')
          ? [
              {
                product_version: '16.0.4135.4',
                edition: 'Developer Edition (64-bit)',
                server_name: 'DB1',
                login_name: 'catalog',
              },
            ]
          : sql.includes('HAS_PERMS_BY_NAME')
            ? [{ tables: 12, view_definition: 1 }]
            : undefined;
    };

    it('succeeds with every step; the catalog step runs inside the configured database', async () => {
      const fake = new FakeSqlServer();
      identity(fake);
      const { connector, opened } = connectorWith(fake, { ...baseConfig, port, database: 'Sales' });
      const result = await connector.test(new AbortController().signal);
      expect(result).toMatchObject({
        success: true,
        version: '16.0.4135.4',
        server_info: 'Microsoft SQL Server 16.0.4135.4 Developer Edition (64-bit) (DB1), login catalog',
      });
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['authenticate', true],
        ['catalog', true],
      ]);
      expect(result.steps[3].message).toBe('12 table(s) and view(s) visible in Sales, with VIEW DEFINITION');
      expect(opened).toEqual([['127.0.0.1', port]]);
      expect(fake.calls.at(-1)!.database).toBe('Sales');
      expect(fake.closed).toBe(true);
    });

    it('a named instance gets its port from the Browser before the TCP step', async () => {
      const fake = new FakeSqlServer();
      identity(fake);
      const asked: string[] = [];
      const { connector, opened } = connectorWith(
        fake,
        { ...baseConfig, port: 1, instance_name: 'SQLEXPRESS' },
        async (address, instance) => {
          asked.push(`${address}\\${instance}`);
          return port;
        },
      );
      const result = await connector.test(new AbortController().signal);
      expect(result.success).toBe(true);
      expect(asked).toEqual(['127.0.0.1\\SQLEXPRESS']);
      expect(result.steps[1]).toMatchObject({ name: 'tcp', ok: true, message: `127.0.0.1:${port}` });
      expect(opened).toEqual([['127.0.0.1', port]]);
    });

    it('a wrong password stops at authenticate with AUTH_FAILED', async () => {
      const fake = new FakeSqlServer();
      fake.failWith = connectionError('ELOGIN', "Login failed for user 'catalog'.", 18456);
      const result = await connectorWith(fake, { ...baseConfig, port }).connector.test(new AbortController().signal);
      expect(result).toMatchObject({
        success: false,
        error_code: 'AUTH_FAILED',
        message: "Login failed for user 'catalog'.",
      });
      expect(result.details).toMatch(/user name and password/);
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['authenticate', false],
      ]);
    });

    it('a database the login cannot open stops at catalog with PERMISSION_DENIED', async () => {
      const fake = new FakeSqlServer();
      identity(fake);
      const answer = fake.answer!;
      fake.answer = (db, sql, params) => {
        if (db === 'HR')
          throw requestError(
            916,
            'The server principal "catalog" is not able to access the database "HR" under the current security context.',
          );
        return answer(db, sql, params);
      };
      const result = await connectorWith(fake, { ...baseConfig, port, database: 'HR' }).connector.test(
        new AbortController().signal,
      );
      expect(result).toMatchObject({ success: false, error_code: 'PERMISSION_DENIED' });
      expect(result.steps.at(-1)).toMatchObject({ name: 'catalog', ok: false });
    });

    it('an unknown host stops at resolve', async () => {
      const result = await connectorWith(new FakeSqlServer(), {
        ...baseConfig,
        host: 'no-such-host.invalid',
      }).connector.test(new AbortController().signal);
      expect(result).toMatchObject({ success: false, error_code: 'UNREACHABLE' });
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([['resolve', false]]);
    });
  });
});
