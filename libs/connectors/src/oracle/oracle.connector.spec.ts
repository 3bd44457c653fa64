/**
 * Oracle connector — DRIVER-BOUNDARY tests. No Oracle server runs here, so the executor (the one
 * seam to node-oracledb) is replaced by a fake that answers the dictionary queries with rows shaped
 * as the Oracle Database Reference documents ALL_USERS, ALL_OBJECTS, ALL_TABLES, ALL_TAB_COLUMNS,
 * ALL_CONSTRAINTS, ALL_CONS_COLUMNS, ALL_INDEXES, ALL_IND_COLUMNS, ALL_IND_EXPRESSIONS,
 * ALL_TAB_COMMENTS, ALL_COL_COMMENTS, ALL_MVIEWS, ALL_PART_TABLES, ALL_PART_KEY_COLUMNS and
 * ALL_EXTERNAL_TABLES (upper-case column names, NUMBER as JS numbers, LONG as text, as the driver
 * returns them), and errors shaped as node-oracledb raises them (ORA-nnnnn with errorNum, thin-mode
 * NJS-nnn). The fake applies the bound owner, IN lists and LIKE … ESCAPE patterns itself, so scope
 * filtering is checked through the binds alone.
 */
import { createServer, Server } from 'node:net';
import { validateConfig } from '../core/config-spec';
import { createAddressGuard } from '../core/address-policy';
import { ConnectorErrorCode } from '../core/errors';
import { assetKey } from '../core/scope';
import { CatalogAsset, CatalogBatch, CollectOptions, ConnectContext } from '../core/types';
import { Row } from '../sql-shared/row-values';
import { connectDescriptor, ORACLE_CONFIG_SPEC, readOracleSettings } from './config';
import { classifyOracleError } from './errors';
import { openOraclePool, OracleExecutor } from './executor';
import { oracleConnector } from '.';
import { OracleConnector } from './oracle.connector';
import { oracleType } from './collect';

type Binds = Readonly<Record<string, string | number>>;

/** SQL LIKE with `\` as the escape character, as Oracle evaluates `LIKE :b ESCAPE '\'`. */
function likeToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') re += (pattern[++i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (ch === '%') re += '.*';
    else if (ch === '_') re += '.';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** Applies the bound conditions of a statement to fixture rows: `col = :b`, `col IN (:b…)`, `col [NOT] LIKE :b`. */
function applyBinds(sql: string, binds: Binds, rows: Row[]): Row[] {
  const column = (qualified: string) => qualified.split('.').pop()!;
  let out = rows;
  for (const m of sql.matchAll(/(\w+\.\w+) = :(b\d+)/g))
    out = out.filter((r) => r[column(m[1])] === undefined || r[column(m[1])] === binds[m[2]]);
  for (const m of sql.matchAll(/(\w+\.\w+) IN \(((?::b\d+(?:, )?)+)\)/g)) {
    const names = m[2].split(', ').map((p) => binds[p.slice(1)]);
    out = out.filter((r) => names.includes(r[column(m[1])] as string));
  }
  const likes = [...sql.matchAll(/(\w+\.\w+) (NOT )?LIKE :(b\d+) ESCAPE '\\'/g)];
  const byColumn = new Map<string, { include: RegExp[]; exclude: RegExp[] }>();
  for (const m of likes) {
    const entry = byColumn.get(column(m[1])) ?? { include: [], exclude: [] };
    (m[2] ? entry.exclude : entry.include).push(likeToRegExp(String(binds[m[3]])));
    byColumn.set(column(m[1]), entry);
  }
  for (const [col, { include, exclude }] of byColumn) {
    out = out.filter((r) => {
      const v = String(r[col]);
      return (include.length === 0 || include.some((re) => re.test(v))) && !exclude.some((re) => re.test(v));
    });
  }
  return out;
}

// ---- a small HR schema as the dictionary views describe it -------------------------------------

const obj = (OWNER: string, OBJECT_NAME: string, OBJECT_TYPE: string, LAST_DDL_TIME: string) => ({
  OWNER,
  OBJECT_NAME,
  OBJECT_TYPE,
  LAST_DDL_TIME,
  STATUS: 'VALID',
});
const col = (
  TABLE_NAME: string,
  COLUMN_ID: number,
  COLUMN_NAME: string,
  DATA_TYPE: string,
  extra: Partial<Row> = {},
): Row => ({
  OWNER: 'HR',
  TABLE_NAME,
  COLUMN_NAME,
  COLUMN_ID,
  DATA_TYPE,
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
const table = (TABLE_NAME: string, extra: Partial<Row> = {}): Row => ({
  OWNER: 'HR',
  TABLE_NAME,
  TABLESPACE_NAME: 'USERS',
  NUM_ROWS: null,
  BLOCKS: null,
  AVG_ROW_LEN: null,
  LAST_ANALYZED: null,
  PARTITIONED: 'NO',
  TEMPORARY: 'N',
  IOT_TYPE: null,
  COMPRESSION: 'DISABLED',
  ...extra,
});

function dictionary(): Record<string, Row[]> {
  return {
    ALL_USERS: [
      { USERNAME: 'HR', ORACLE_MAINTAINED: 'N' },
      { USERNAME: 'HR_STAGE', ORACLE_MAINTAINED: 'N' },
      { USERNAME: 'SYS', ORACLE_MAINTAINED: 'Y' },
    ],
    ALL_OBJECTS: [
      obj('HR', 'DEPARTMENTS', 'TABLE', '2024-03-01T09:00:00'),
      obj('HR', 'EMPLOYEES', 'TABLE', '2024-03-02T09:00:00'),
      obj('HR', 'EMP_DETAILS_VIEW', 'VIEW', '2024-03-03T09:00:00'),
      obj('HR', 'EXT_LOGS', 'TABLE', '2024-03-04T09:00:00'),
      obj('HR', 'SALES', 'TABLE', '2024-03-05T09:00:00'),
      obj('HR', 'SALES_MV', 'MATERIALIZED VIEW', '2024-03-06T09:00:00'),
      obj('HR', 'SALES_MV', 'TABLE', '2024-03-06T09:00:00'),
      obj('HR', 'TEMP_SCRATCH', 'TABLE', '2024-03-07T09:00:00'),
      obj('HR_STAGE', 'LOAD_1', 'TABLE', '2024-03-08T09:00:00'),
      obj('SYS', 'TAB$', 'TABLE', '2020-01-01T00:00:00'),
    ],
    ALL_TABLES: [
      table('DEPARTMENTS', { NUM_ROWS: 27, BLOCKS: 5, AVG_ROW_LEN: 21, LAST_ANALYZED: '2024-05-01T10:00:00' }),
      table('EMPLOYEES', {
        NUM_ROWS: 107,
        BLOCKS: 5,
        AVG_ROW_LEN: 69,
        LAST_ANALYZED: '2024-05-01T10:00:00',
        COMPRESSION: 'ENABLED',
      }),
      table('EXT_LOGS', { TABLESPACE_NAME: null }),
      table('SALES', { PARTITIONED: 'YES', TABLESPACE_NAME: null }),
      table('SALES_MV', { NUM_ROWS: 12, AVG_ROW_LEN: 30 }),
      table('TEMP_SCRATCH', { TEMPORARY: 'Y', TABLESPACE_NAME: null }),
      { ...table('LOAD_1'), OWNER: 'HR_STAGE' },
      { ...table('TAB$', { TABLESPACE_NAME: 'SYSTEM' }), OWNER: 'SYS' },
    ],
    ALL_PART_TABLES: [
      {
        OWNER: 'HR',
        TABLE_NAME: 'SALES',
        PARTITIONING_TYPE: 'RANGE',
        SUBPARTITIONING_TYPE: 'HASH',
        PARTITION_COUNT: 4,
        COLUMN_NAME: 'SALE_DATE',
        COLUMN_POSITION: 1,
      },
    ],
    ALL_EXTERNAL_TABLES: [
      { OWNER: 'HR', TABLE_NAME: 'EXT_LOGS', TYPE_NAME: 'ORACLE_LOADER', DEFAULT_DIRECTORY_NAME: 'DATA_DIR' },
    ],
    ALL_MVIEWS: [
      {
        OWNER: 'HR',
        MVIEW_NAME: 'SALES_MV',
        REFRESH_MODE: 'DEMAND',
        REFRESH_METHOD: 'COMPLETE',
        BUILD_MODE: 'IMMEDIATE',
        FAST_REFRESHABLE: 'NO',
        UPDATABLE: 'N',
      },
    ],
    ALL_TAB_COLUMNS: [
      col('DEPARTMENTS', 1, 'DEPARTMENT_ID', 'NUMBER', { DATA_PRECISION: 4, DATA_SCALE: 0, NULLABLE: 'N' }),
      col('DEPARTMENTS', 2, 'DEPARTMENT_NAME', 'VARCHAR2', {
        DATA_LENGTH: 30,
        CHAR_LENGTH: 30,
        CHAR_USED: 'B',
        NULLABLE: 'N',
      }),
      col('EMPLOYEES', 1, 'EMPLOYEE_ID', 'NUMBER', {
        DATA_PRECISION: 6,
        DATA_SCALE: 0,
        NULLABLE: 'N',
        DATA_DEFAULT: '"HR"."ISEQ$$_73000".nextval',
        IDENTITY_COLUMN: 'YES',
      }),
      col('EMPLOYEES', 2, 'FIRST_NAME', 'VARCHAR2', { DATA_LENGTH: 20, CHAR_LENGTH: 20, CHAR_USED: 'B' }),
      col('EMPLOYEES', 3, 'LAST_NAME', 'VARCHAR2', {
        DATA_LENGTH: 100,
        CHAR_LENGTH: 25,
        CHAR_USED: 'C',
        NULLABLE: 'N',
      }),
      col('EMPLOYEES', 4, 'EMAIL', 'NVARCHAR2', { DATA_LENGTH: 50, CHAR_LENGTH: 25, CHAR_USED: 'C', NULLABLE: 'N' }),
      col('EMPLOYEES', 5, 'SALARY', 'NUMBER', { DATA_PRECISION: 8, DATA_SCALE: 2, DATA_DEFAULT: '0 ' }),
      col('EMPLOYEES', 6, 'HIRE_DATE', 'DATE', { DATA_LENGTH: 7, NULLABLE: 'N', DATA_DEFAULT: 'SYSDATE\n' }),
      col('EMPLOYEES', 7, 'DEPARTMENT_ID', 'NUMBER', { DATA_PRECISION: 4, DATA_SCALE: 0 }),
      col('EMPLOYEES', 8, 'NOTES', 'CLOB', { DATA_LENGTH: 4000 }),
      col('EMPLOYEES', 9, 'RATIO', 'FLOAT', { DATA_PRECISION: 126 }),
      col('EMPLOYEES', 10, 'BADGE', 'RAW', { DATA_LENGTH: 16 }),
      col('EMPLOYEES', 11, 'UPDATED_AT', 'TIMESTAMP(6) WITH TIME ZONE', { DATA_LENGTH: 13, DATA_SCALE: 6 }),
      col('EMPLOYEES', 12, 'OFFICE', 'SDO_GEOMETRY', { DATA_TYPE_OWNER: 'MDSYS', DATA_LENGTH: 1 }),
      col('EMPLOYEES', 13, 'SCORE', 'NUMBER'),
      col('EMP_DETAILS_VIEW', 1, 'EMPLOYEE_ID', 'NUMBER', { DATA_PRECISION: 6, DATA_SCALE: 0, NULLABLE: 'N' }),
      col('EMP_DETAILS_VIEW', 2, 'DEPARTMENT_NAME', 'VARCHAR2', { DATA_LENGTH: 30, CHAR_LENGTH: 30, CHAR_USED: 'B' }),
      col('EXT_LOGS', 1, 'LINE', 'VARCHAR2', { DATA_LENGTH: 4000, CHAR_LENGTH: 4000, CHAR_USED: 'B' }),
      col('SALES', 1, 'SALE_ID', 'NUMBER', { NULLABLE: 'N', DATA_SCALE: 0 }),
      col('SALES', 2, 'SALE_DATE', 'DATE', { NULLABLE: 'N' }),
      col('SALES_MV', 1, 'SALE_MONTH', 'DATE'),
      col('SALES_MV', 2, 'TOTAL', 'NUMBER'),
      col('TEMP_SCRATCH', 1, 'K', 'VARCHAR2', { DATA_LENGTH: 10, CHAR_LENGTH: 10, CHAR_USED: 'B' }),
      { ...col('LOAD_1', 1, 'X', 'NUMBER'), OWNER: 'HR_STAGE' },
      { ...col('TAB$', 1, 'OBJ#', 'NUMBER', { NULLABLE: 'N' }), OWNER: 'SYS' },
    ],
    ALL_TAB_COMMENTS: [
      { OWNER: 'HR', TABLE_NAME: 'EMPLOYEES', COMMENTS: 'People on the payroll' },
      { OWNER: 'HR', TABLE_NAME: 'SALES_MV', COMMENTS: 'Monthly sales' },
    ],
    ALL_COL_COMMENTS: [
      { OWNER: 'HR', TABLE_NAME: 'EMPLOYEES', COLUMN_NAME: 'SALARY', COMMENTS: 'Monthly salary in EUR' },
      { OWNER: 'HR', TABLE_NAME: 'EMPLOYEES', COLUMN_NAME: 'EMAIL', COMMENTS: "Work e-mail, 'unique'" },
    ],
    ALL_CONSTRAINTS: [
      {
        OWNER: 'HR',
        TABLE_NAME: 'DEPARTMENTS',
        CONSTRAINT_NAME: 'DEPT_ID_PK',
        CONSTRAINT_TYPE: 'P',
        DELETE_RULE: null,
        STATUS: 'ENABLED',
        COLUMN_NAME: 'DEPARTMENT_ID',
        POSITION: 1,
        R_OWNER: null,
        R_TABLE_NAME: null,
        R_COLUMN_NAME: null,
      },
      {
        OWNER: 'HR',
        TABLE_NAME: 'EMPLOYEES',
        CONSTRAINT_NAME: 'EMP_DEPT_FK',
        CONSTRAINT_TYPE: 'R',
        DELETE_RULE: 'SET NULL',
        STATUS: 'ENABLED',
        COLUMN_NAME: 'DEPARTMENT_ID',
        POSITION: 1,
        R_OWNER: 'HR',
        R_TABLE_NAME: 'DEPARTMENTS',
        R_COLUMN_NAME: 'DEPARTMENT_ID',
      },
      {
        OWNER: 'HR',
        TABLE_NAME: 'EMPLOYEES',
        CONSTRAINT_NAME: 'EMP_EMAIL_UK',
        CONSTRAINT_TYPE: 'U',
        DELETE_RULE: null,
        STATUS: 'ENABLED',
        COLUMN_NAME: 'EMAIL',
        POSITION: 1,
        R_OWNER: null,
        R_TABLE_NAME: null,
        R_COLUMN_NAME: null,
      },
      {
        OWNER: 'HR',
        TABLE_NAME: 'EMPLOYEES',
        CONSTRAINT_NAME: 'EMP_EMP_ID_PK',
        CONSTRAINT_TYPE: 'P',
        DELETE_RULE: null,
        STATUS: 'ENABLED',
        COLUMN_NAME: 'EMPLOYEE_ID',
        POSITION: 1,
        R_OWNER: null,
        R_TABLE_NAME: null,
        R_COLUMN_NAME: null,
      },
      {
        OWNER: 'HR',
        TABLE_NAME: 'EMPLOYEES',
        CONSTRAINT_NAME: 'EMP_NAME_UK',
        CONSTRAINT_TYPE: 'U',
        DELETE_RULE: null,
        STATUS: 'DISABLED',
        COLUMN_NAME: 'LAST_NAME',
        POSITION: 1,
        R_OWNER: null,
        R_TABLE_NAME: null,
        R_COLUMN_NAME: null,
      },
      {
        OWNER: 'HR',
        TABLE_NAME: 'EMPLOYEES',
        CONSTRAINT_NAME: 'EMP_NAME_UK',
        CONSTRAINT_TYPE: 'U',
        DELETE_RULE: null,
        STATUS: 'DISABLED',
        COLUMN_NAME: 'FIRST_NAME',
        POSITION: 2,
        R_OWNER: null,
        R_TABLE_NAME: null,
        R_COLUMN_NAME: null,
      },
    ],
    ALL_INDEXES: [
      {
        TABLE_OWNER: 'HR',
        TABLE_NAME: 'DEPARTMENTS',
        INDEX_OWNER: 'HR',
        INDEX_NAME: 'DEPT_ID_PK',
        INDEX_TYPE: 'NORMAL',
        UNIQUENESS: 'UNIQUE',
        COLUMN_NAME: 'DEPARTMENT_ID',
        COLUMN_POSITION: 1,
        DESCEND: 'ASC',
      },
      {
        TABLE_OWNER: 'HR',
        TABLE_NAME: 'EMPLOYEES',
        INDEX_OWNER: 'HR',
        INDEX_NAME: 'EMP_EMP_ID_PK',
        INDEX_TYPE: 'NORMAL',
        UNIQUENESS: 'UNIQUE',
        COLUMN_NAME: 'EMPLOYEE_ID',
        COLUMN_POSITION: 1,
        DESCEND: 'ASC',
      },
      {
        TABLE_OWNER: 'HR',
        TABLE_NAME: 'EMPLOYEES',
        INDEX_OWNER: 'HR',
        INDEX_NAME: 'EMP_NAME_IX',
        INDEX_TYPE: 'NORMAL',
        UNIQUENESS: 'NONUNIQUE',
        COLUMN_NAME: 'LAST_NAME',
        COLUMN_POSITION: 1,
        DESCEND: 'ASC',
      },
      {
        TABLE_OWNER: 'HR',
        TABLE_NAME: 'EMPLOYEES',
        INDEX_OWNER: 'HR',
        INDEX_NAME: 'EMP_NAME_IX',
        INDEX_TYPE: 'NORMAL',
        UNIQUENESS: 'NONUNIQUE',
        COLUMN_NAME: 'FIRST_NAME',
        COLUMN_POSITION: 2,
        DESCEND: 'DESC',
      },
      {
        TABLE_OWNER: 'HR',
        TABLE_NAME: 'EMPLOYEES',
        INDEX_OWNER: 'HR',
        INDEX_NAME: 'EMP_UPPER_EMAIL_IX',
        INDEX_TYPE: 'FUNCTION-BASED NORMAL',
        UNIQUENESS: 'NONUNIQUE',
        COLUMN_NAME: 'SYS_NC00014$',
        COLUMN_POSITION: 1,
        DESCEND: 'ASC',
      },
    ],
    ALL_IND_EXPRESSIONS: [
      {
        TABLE_OWNER: 'HR',
        TABLE_NAME: 'EMPLOYEES',
        INDEX_OWNER: 'HR',
        INDEX_NAME: 'EMP_UPPER_EMAIL_IX',
        COLUMN_POSITION: 1,
        COLUMN_EXPRESSION: 'UPPER("EMAIL")',
      },
    ],
  };
}

class FakeOracle implements OracleExecutor {
  readonly calls: Array<{ sql: string; binds: Binds }> = [];
  closed = false;
  failWith?: unknown;
  answer?: (sql: string, binds: Binds) => Row[] | undefined;

  constructor(readonly views: Record<string, Row[]> = dictionary()) {}

  async query(sql: string, binds: Binds): Promise<Row[]> {
    this.calls.push({ sql, binds });
    if (this.failWith) throw this.failWith;
    const custom = this.answer?.(sql, binds);
    if (custom) return custom;
    const view = /FROM (ALL_\w+)/.exec(sql)?.[1] ?? '';
    if (view === 'ALL_USERS') {
      const owners = new Set(this.views.ALL_OBJECTS.map((o) => o.OWNER));
      const users = this.views.ALL_USERS.filter(
        (u) => owners.has(u.USERNAME) && (!sql.includes("ORACLE_MAINTAINED = 'N'") || u.ORACLE_MAINTAINED === 'N'),
      );
      return applyBinds(sql, binds, users).map((u) => ({ USERNAME: u.USERNAME }));
    }
    const owner = binds.b0;
    const rows = (this.views[view] ?? []).filter((r) => (r.OWNER ?? r.TABLE_OWNER) === owner);
    const renamed =
      view === 'ALL_OBJECTS'
        ? rows.map((r) => ({ ...r, TABLE_NAME: r.OBJECT_NAME }))
        : view === 'ALL_MVIEWS'
          ? rows.map((r) => ({ ...r, TABLE_NAME: r.MVIEW_NAME }))
          : rows;
    const filtered = applyBinds(sql.replace(/o\.OBJECT_NAME|m\.MVIEW_NAME/g, 'x.TABLE_NAME'), binds, renamed);
    return filtered.map((r) => {
      const copy = { ...r };
      if (view === 'ALL_OBJECTS' || view === 'ALL_MVIEWS') delete copy.TABLE_NAME;
      return copy;
    });
  }

  async serverVersion(): Promise<string> {
    if (this.failWith) throw this.failWith;
    return '19.3.0.0.0';
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

const guard = createAddressGuard({ deny: [], allow: [] });
const context: ConnectContext = { guardAddress: guard };
const baseConfig = {
  host: '127.0.0.1',
  port: 1521,
  username: 'catalog',
  password: 's3cret',
  service_name: 'ORCLPDB1',
  timeout: 5,
};

function connectorWith(
  fake: FakeOracle,
  config: Record<string, unknown> = baseConfig,
): { connector: OracleConnector; addresses: string[] } {
  const addresses: string[] = [];
  const connector = new OracleConnector(readOracleSettings(config), context, (_settings, address) => {
    addresses.push(address);
    return fake;
  });
  return { connector, addresses };
}

function options(partial: Partial<CollectOptions> = {}): CollectOptions {
  return { mode: 'full', scope: {}, batchSize: 3, signal: new AbortController().signal, ...partial };
}

async function collectAll(connector: OracleConnector, opts: CollectOptions): Promise<CatalogBatch[]> {
  const out: CatalogBatch[] = [];
  for await (const b of connector.collect(opts)) out.push(b);
  return out;
}

const assetsOf = (batches: CatalogBatch[]) => batches.flatMap((b) => b.assets);
const byName = (assets: CatalogAsset[]) => new Map(assets.map((a) => [a.name, a]));

describe('Oracle connector (driver boundary)', () => {
  describe('configuration', () => {
    it('needs service_name or sid and has no database field', () => {
      expect(ORACLE_CONFIG_SPEC.map((f) => f.name)).not.toContain('database');
      expect(validateConfig(ORACLE_CONFIG_SPEC, { host: 'db' })).toContainEqual({
        field: 'service_name | sid',
        message: 'one of service_name, sid is required',
      });
      expect(validateConfig(ORACLE_CONFIG_SPEC, { host: 'db', sid: 'ORCL' })).toEqual([]);
      expect(ORACLE_CONFIG_SPEC.find((f) => f.name === 'include_system_schemas')).toMatchObject({
        type: 'boolean',
        default: false,
      });
    });

    it('builds a connect descriptor for a service name or a SID, refusing descriptor syntax in values', () => {
      expect(connectDescriptor(readOracleSettings(baseConfig), '10.0.0.5')).toBe(
        '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=10.0.0.5)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=ORCLPDB1)))',
      );
      expect(connectDescriptor(readOracleSettings({ host: 'db', sid: 'ORCL', ssl: true, port: 2484 }), 'db')).toBe(
        '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=db)(PORT=2484))(CONNECT_DATA=(SID=ORCL)))',
      );
      expect(() =>
        connectDescriptor(readOracleSettings({ ...baseConfig, service_name: 'X)(ADDRESS=(HOST=evil)' }), 'db'),
      ).toThrow(expect.objectContaining({ code: ConnectorErrorCode.InvalidConfig }));
    });

    it('declares its capabilities', () => {
      expect(oracleConnector.capabilities).toMatchObject({
        incremental: 'native',
        taskTypes: ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'],
      });
      expect(oracleConnector.capabilities.changeSignal).toMatch(/LAST_DDL_TIME/);
    });
  });

  describe('types', () => {
    it('writes column types the way DESCRIBE does', () => {
      const t = (extra: Row) =>
        oracleType({
          DATA_TYPE: 'NUMBER',
          DATA_PRECISION: null,
          DATA_SCALE: null,
          CHAR_LENGTH: 0,
          DATA_LENGTH: 22,
          DATA_TYPE_OWNER: null,
          CHAR_USED: null,
          ...extra,
        });
      expect(t({})).toBe('NUMBER');
      expect(t({ DATA_PRECISION: 10, DATA_SCALE: 0 })).toBe('NUMBER(10)');
      expect(t({ DATA_PRECISION: 8, DATA_SCALE: 2 })).toBe('NUMBER(8,2)');
      expect(t({ DATA_SCALE: 0 })).toBe('NUMBER(*,0)');
      expect(t({ DATA_TYPE: 'VARCHAR2', CHAR_LENGTH: 20, CHAR_USED: 'B' })).toBe('VARCHAR2(20)');
      expect(t({ DATA_TYPE: 'VARCHAR2', CHAR_LENGTH: 20, CHAR_USED: 'C' })).toBe('VARCHAR2(20 CHAR)');
      expect(t({ DATA_TYPE: 'FLOAT', DATA_PRECISION: 126 })).toBe('FLOAT(126)');
      expect(t({ DATA_TYPE: 'TIMESTAMP(6)' })).toBe('TIMESTAMP(6)');
      expect(t({ DATA_TYPE: 'SDO_GEOMETRY', DATA_TYPE_OWNER: 'MDSYS' })).toBe('MDSYS.SDO_GEOMETRY');
      expect(t({ DATA_TYPE: 'XMLTYPE', DATA_TYPE_OWNER: 'SYS' })).toBe('XMLTYPE');
    });
  });

  describe('full collection', () => {
    let fake: FakeOracle;
    let batches: CatalogBatch[];
    let assets: Map<string, CatalogAsset>;
    let addresses: string[];

    beforeAll(async () => {
      fake = new FakeOracle();
      const made = connectorWith(fake);
      addresses = made.addresses;
      batches = await collectAll(
        made.connector,
        options({ scope: { includeSchemas: ['HR*'], excludeTables: ['TEMP_*'] } }),
      );
      assets = byName(assetsOf(batches).filter((a) => a.namespace === 'HR'));
      await made.connector.close();
    });

    it('connects to the address the policy checked and closes the pool', () => {
      expect(addresses).toEqual(['127.0.0.1']);
      expect(fake.closed).toBe(true);
    });

    it('lists non-system owners in scope as schemas first', () => {
      expect(batches[0]).toEqual({
        namespaces: [
          { name: 'HR', kind: 'schema' },
          { name: 'HR_STAGE', kind: 'schema' },
        ],
        assets: [],
      });
      const owners = fake.calls[0];
      expect(owners.sql).toContain("u.ORACLE_MAINTAINED = 'N'");
      expect(owners.binds).toEqual({ b0: 'HR%' });
    });

    it('reads each schema with a constant number of dictionary queries, never one per table', () => {
      const perOwner = (owner: string) => fake.calls.filter((c) => c.binds.b0 === owner && !/ALL_USERS/.test(c.sql));
      // Objects, their dependencies, and thirteen detail queries.
      expect(perOwner('HR')).toHaveLength(15);
      expect(perOwner('HR_STAGE')).toHaveLength(15);
      const views = perOwner('HR')
        .map((c) => /FROM (ALL_\w+)/.exec(c.sql)![1])
        .sort();
      expect(views).toEqual(
        [
          'ALL_CONSTRAINTS',
          'ALL_EXTERNAL_TABLES',
          'ALL_INDEXES',
          'ALL_IND_EXPRESSIONS',
          'ALL_MVIEWS',
          'ALL_OBJECTS',
          'ALL_PART_TABLES',
          'ALL_TABLES',
          'ALL_TAB_COLUMNS',
          'ALL_TAB_COMMENTS',
          'ALL_COL_COMMENTS',
          'ALL_DEPENDENCIES',
          'ALL_VIEWS',
          'ALL_CONSTRAINTS',
          'ALL_TAB_PARTITIONS',
        ].sort(),
      );
    });

    it('binds every value: no owner, glob or table name appears in the SQL text', () => {
      for (const { sql, binds } of fake.calls) {
        expect(sql).not.toMatch(/'(HR|TEMP|EMPLOYEES)/);
        for (const placeholder of sql.match(/:b\d+/g) ?? []) expect(binds).toHaveProperty(placeholder.slice(1));
      }
      const objects = fake.calls.find((c) => c.sql.startsWith('SELECT o.OBJECT_NAME'))!;
      expect(objects.sql).toContain("o.OBJECT_NAME NOT LIKE :b1 ESCAPE '\\'");
      expect(objects.binds).toEqual({ b0: 'HR', b1: 'TEMP\\_%' });
    });

    it('streams batches of at most batchSize assets and applies the scope', () => {
      for (const b of batches) expect(b.assets.length).toBeLessThanOrEqual(3);
      expect([...assets.keys()]).toEqual([
        'DEPARTMENTS',
        'EMPLOYEES',
        'EMP_DETAILS_VIEW',
        'EXT_LOGS',
        'SALES',
        'SALES_MV',
      ]);
      expect(
        assetsOf(batches)
          .filter((a) => a.namespace === 'HR_STAGE')
          .map((a) => a.name),
      ).toEqual(['LOAD_1']);
    });

    it('reads a table field by field: types, nullability, defaults, comments, identity, keys', () => {
      const e = assets.get('EMPLOYEES')!;
      expect(e).toMatchObject({
        namespace: 'HR',
        kind: 'table',
        comment: 'People on the payroll',
        owner: 'HR',
        properties: { tablespace: 'USERS', compression: true, last_analyzed: '2024-05-01T10:00:00' },
        statistics: { rows: 107, bytes: 107 * 69 },
        changeSignal: 'TABLE@2024-03-02T09:00:00',
      });
      expect(e.fields).toEqual([
        {
          name: 'EMPLOYEE_ID',
          ordinal: 1,
          dataType: 'NUMBER(6)',
          nullable: false,
          default: '"HR"."ISEQ$$_73000".nextval',
          comment: null,
          primaryKey: true,
          properties: { identity: true },
        },
        {
          name: 'FIRST_NAME',
          ordinal: 2,
          dataType: 'VARCHAR2(20)',
          nullable: true,
          default: null,
          comment: null,
          primaryKey: false,
        },
        {
          name: 'LAST_NAME',
          ordinal: 3,
          dataType: 'VARCHAR2(25 CHAR)',
          nullable: false,
          default: null,
          comment: null,
          primaryKey: false,
        },
        {
          name: 'EMAIL',
          ordinal: 4,
          dataType: 'NVARCHAR2(25)',
          nullable: false,
          default: null,
          comment: "Work e-mail, 'unique'",
          primaryKey: false,
        },
        {
          name: 'SALARY',
          ordinal: 5,
          dataType: 'NUMBER(8,2)',
          nullable: true,
          default: '0',
          comment: 'Monthly salary in EUR',
          primaryKey: false,
        },
        {
          name: 'HIRE_DATE',
          ordinal: 6,
          dataType: 'DATE',
          nullable: false,
          default: 'SYSDATE',
          comment: null,
          primaryKey: false,
        },
        {
          name: 'DEPARTMENT_ID',
          ordinal: 7,
          dataType: 'NUMBER(4)',
          nullable: true,
          default: null,
          comment: null,
          primaryKey: false,
        },
        {
          name: 'NOTES',
          ordinal: 8,
          dataType: 'CLOB',
          nullable: true,
          default: null,
          comment: null,
          primaryKey: false,
        },
        {
          name: 'RATIO',
          ordinal: 9,
          dataType: 'FLOAT(126)',
          nullable: true,
          default: null,
          comment: null,
          primaryKey: false,
        },
        {
          name: 'BADGE',
          ordinal: 10,
          dataType: 'RAW(16)',
          nullable: true,
          default: null,
          comment: null,
          primaryKey: false,
        },
        {
          name: 'UPDATED_AT',
          ordinal: 11,
          dataType: 'TIMESTAMP(6) WITH TIME ZONE',
          nullable: true,
          default: null,
          comment: null,
          primaryKey: false,
        },
        {
          name: 'OFFICE',
          ordinal: 12,
          dataType: 'MDSYS.SDO_GEOMETRY',
          nullable: true,
          default: null,
          comment: null,
          primaryKey: false,
        },
        {
          name: 'SCORE',
          ordinal: 13,
          dataType: 'NUMBER',
          nullable: true,
          default: null,
          comment: null,
          primaryKey: false,
        },
      ]);
      expect(e.keys).toEqual([
        {
          name: 'EMP_DEPT_FK',
          type: 'foreign',
          columns: ['DEPARTMENT_ID'],
          references: { namespace: 'HR', table: 'DEPARTMENTS', columns: ['DEPARTMENT_ID'] },
          definition: 'ON DELETE SET NULL',
        },
        { name: 'EMP_EMAIL_UK', type: 'unique', columns: ['EMAIL'] },
        { name: 'EMP_EMP_ID_PK', type: 'primary', columns: ['EMPLOYEE_ID'] },
        { name: 'EMP_NAME_UK', type: 'unique', columns: ['LAST_NAME', 'FIRST_NAME'], definition: 'DISABLED' },
      ]);
      expect(e.indexes).toEqual([
        { name: 'EMP_EMP_ID_PK', columns: ['EMPLOYEE_ID'], unique: true, method: 'NORMAL' },
        { name: 'EMP_NAME_IX', columns: ['LAST_NAME', 'FIRST_NAME DESC'], unique: false, method: 'NORMAL' },
        { name: 'EMP_UPPER_EMAIL_IX', columns: ['UPPER("EMAIL")'], unique: false, method: 'FUNCTION-BASED NORMAL' },
      ]);
    });

    it('tells views, materialized views, partitioned and external tables apart', () => {
      expect(assets.get('EMP_DETAILS_VIEW')).toMatchObject({
        kind: 'view',
        properties: {},
        keys: [],
        indexes: [],
        fields: [
          { name: 'EMPLOYEE_ID', dataType: 'NUMBER(6)', nullable: false },
          { name: 'DEPARTMENT_NAME', dataType: 'VARCHAR2(30)' },
        ],
      });
      expect(assets.get('EMP_DETAILS_VIEW')!.statistics).toBeUndefined();
      expect(assets.get('SALES_MV')).toMatchObject({
        kind: 'materialized_view',
        comment: 'Monthly sales',
        properties: { refresh_mode: 'DEMAND', refresh_method: 'COMPLETE', build_mode: 'IMMEDIATE' },
        statistics: { rows: 12, bytes: 360 },
        changeSignal: 'MATERIALIZED VIEW@2024-03-06T09:00:00|TABLE@2024-03-06T09:00:00',
      });
      expect(assets.get('SALES')).toMatchObject({
        kind: 'partitioned_table',
        properties: { partitioning: { type: 'RANGE', subpartitioning: 'HASH', columns: ['SALE_DATE'] } },
      });
      expect(assets.get('EXT_LOGS')).toMatchObject({
        kind: 'external_table',
        properties: { external_type: 'ORACLE_LOADER', default_directory: 'DATA_DIR' },
        statistics: { rows: null, bytes: null },
      });
      expect(assets.get('DEPARTMENTS')).toMatchObject({
        kind: 'table',
        keys: [{ name: 'DEPT_ID_PK', type: 'primary', columns: ['DEPARTMENT_ID'] }],
        fields: [
          { name: 'DEPARTMENT_ID', primaryKey: true },
          { name: 'DEPARTMENT_NAME', primaryKey: false },
        ],
      });
    });
  });

  describe('other modes', () => {
    it('schema_only reads the same structure without statistics', async () => {
      const { connector } = connectorWith(new FakeOracle());
      const full = byName(assetsOf(await collectAll(connector, options())));
      const schemaOnly = assetsOf(await collectAll(connector, options({ mode: 'schema_only' })));
      expect(schemaOnly.map((a) => a.name)).toEqual([...full.keys()]);
      for (const a of schemaOnly) {
        expect(a.statistics).toBeUndefined();
        expect(a.fields).toEqual(full.get(a.name)!.fields);
      }
    });

    it('includes Oracle-maintained schemas only when asked', async () => {
      const fake = new FakeOracle();
      const { connector } = connectorWith(fake, { ...baseConfig, include_system_schemas: true });
      const batches = await collectAll(connector, options({ scope: { includeSchemas: ['SYS'] } }));
      expect(batches[0].namespaces).toEqual([{ name: 'SYS', kind: 'schema' }]);
      expect(fake.calls[0].sql).not.toContain('ORACLE_MAINTAINED');
      expect(assetsOf(batches).map((a) => [a.name, a.properties, a.fields.map((f) => f.name)])).toEqual([
        ['TAB$', { tablespace: 'SYSTEM' }, ['OBJ#']],
      ]);
    });

    it('incremental: skips objects whose LAST_DDL_TIME is unchanged and re-reads the others by bound name', async () => {
      const fake = new FakeOracle();
      const { connector } = connectorWith(fake);
      const full = assetsOf(await collectAll(connector, options({ scope: { includeSchemas: ['HR'] } })));
      const previous = new Map(full.map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));

      // A comment was added to EMPLOYEES (COMMENT ON is DDL: LAST_DDL_TIME moves); a table appeared.
      const ddl = fake.views.ALL_OBJECTS.find((o) => o.OBJECT_NAME === 'EMPLOYEES')!;
      ddl.LAST_DDL_TIME = '2024-06-01T12:00:00';
      fake.views.ALL_COL_COMMENTS.push({
        OWNER: 'HR',
        TABLE_NAME: 'EMPLOYEES',
        COLUMN_NAME: 'SCORE',
        COMMENTS: 'Review score',
      });
      fake.views.ALL_OBJECTS.push(obj('HR', 'AUDIT_LOG', 'TABLE', '2024-06-01T12:00:01'));
      fake.views.ALL_TABLES.push(table('AUDIT_LOG'));
      fake.views.ALL_TAB_COLUMNS.push(col('AUDIT_LOG', 1, 'AT', 'DATE'));
      fake.calls.length = 0;

      const run = await collectAll(
        connector,
        options({ mode: 'incremental', scope: { includeSchemas: ['HR'] }, previousSignals: previous }),
      );
      const reread = assetsOf(run);
      expect(reread.map((a) => a.name).sort()).toEqual(['AUDIT_LOG', 'EMPLOYEES']);
      expect(reread.find((a) => a.name === 'EMPLOYEES')!.fields.find((f) => f.name === 'SCORE')!.comment).toBe(
        'Review score',
      );
      expect(
        run
          .flatMap((b) => b.unchanged ?? [])
          .map((r) => r.name)
          .sort(),
      ).toEqual(['DEPARTMENTS', 'EMP_DETAILS_VIEW', 'EXT_LOGS', 'SALES', 'SALES_MV', 'TEMP_SCRATCH']);
      const columns = fake.calls.find((c) => c.sql.includes('FROM ALL_TAB_COLUMNS'))!;
      expect(columns.sql).toContain('c.TABLE_NAME IN (:b1, :b2)');
      expect(Object.values(columns.binds).sort()).toEqual(['AUDIT_LOG', 'EMPLOYEES', 'HR']);
    });

    it('incremental with nothing changed issues no detail queries', async () => {
      const fake = new FakeOracle();
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
      expect(run.flatMap((b) => b.unchanged ?? [])).toHaveLength(full.length);
      expect(fake.calls.map((c) => /FROM (ALL_\w+)/.exec(c.sql)![1])).toEqual([
        'ALL_USERS',
        'ALL_OBJECTS',
        'ALL_DEPENDENCIES',
        'ALL_OBJECTS',
        'ALL_DEPENDENCIES',
      ]);
    });

    it('stops with CANCELLED when the signal fires', async () => {
      const controller = new AbortController();
      controller.abort();
      const { connector } = connectorWith(new FakeOracle());
      await expect(collectAll(connector, options({ signal: controller.signal }))).rejects.toMatchObject({
        code: 'CANCELLED',
      });
    });
  });

  describe('profile', () => {
    const target = {
      namespace: 'HR',
      name: 'EMPLOYEES',
      fields: [
        { name: 'SALARY', dataType: 'NUMBER(8,2)' },
        { name: 'LAST_NAME', dataType: 'VARCHAR2(25 CHAR)' },
        { name: 'HIRE_DATE', dataType: 'DATE' },
        { name: 'NOTES', dataType: 'CLOB' },
        { name: 'PASSWORD_HASH', dataType: 'VARCHAR2(64)' },
      ],
    };

    it('issues one aggregate statement over a FETCH FIRST sample with the limit bound', async () => {
      const fake = new FakeOracle();
      fake.answer = (sql) =>
        sql.startsWith('SELECT (SELECT COUNT(*)')
          ? [
              {
                TOTAL_ROWS: 5000,
                SAMPLE_ROWS: 1000,
                C0_NONNULL: 990,
                C0_DISTINCT: 120,
                C0_MIN: 2100,
                C0_MAX: 24000,
                C0_MEAN: 6461.68,
                C0_STDDEV: 3909.37,
                C1_NONNULL: 1000,
                C1_DISTINCT: 102,
                C1_MIN: 'Abel',
                C1_MAX: 'Zlotkey',
                C1_MIN_LENGTH: 3,
                C1_MAX_LENGTH: 11,
                C1_AVG_LENGTH: 5.9,
                C2_NONNULL: 1000,
                C2_DISTINCT: 98,
                C2_MIN: '2001-01-13T00:00:00',
                C2_MAX: '2008-04-21T00:00:00',
                C3_NONNULL: 40,
                C3_MIN_LENGTH: 10,
                C3_MAX_LENGTH: 4000,
                C3_AVG_LENGTH: 812.5,
                C4_NONNULL: 1000,
                C4_DISTINCT: 1000,
                C4_MIN_LENGTH: 64,
                C4_MAX_LENGTH: 64,
                C4_AVG_LENGTH: 64,
              },
            ]
          : [
              { COL_INDEX: 0, V: '2500', N: 6 },
              { COL_INDEX: 1, V: 'King', N: 2 },
              { COL_INDEX: 1, V: 'Smith', N: 2 },
              { COL_INDEX: 2, V: '17-JUN-03', N: 3 },
            ];
      const { connector } = connectorWith(fake);
      const profile = await connector.profile(target, {
        sampleRows: 1000,
        topValues: true,
        topN: 2,
        signal: new AbortController().signal,
      });

      const [agg, top] = fake.calls;
      expect(agg.sql).toBe(
        'SELECT (SELECT COUNT(*) FROM "HR"."EMPLOYEES") AS TOTAL_ROWS, COUNT(*) AS SAMPLE_ROWS, ' +
          'COUNT("SALARY") AS c0_nonnull, COUNT(DISTINCT "SALARY") AS c0_distinct, MIN("SALARY") AS c0_min, MAX("SALARY") AS c0_max, AVG("SALARY") AS c0_mean, STDDEV_SAMP("SALARY") AS c0_stddev, ' +
          'COUNT("LAST_NAME") AS c1_nonnull, COUNT(DISTINCT "LAST_NAME") AS c1_distinct, MIN("LAST_NAME") AS c1_min, MAX("LAST_NAME") AS c1_max, MIN(LENGTH("LAST_NAME")) AS c1_min_length, MAX(LENGTH("LAST_NAME")) AS c1_max_length, AVG(LENGTH("LAST_NAME")) AS c1_avg_length, ' +
          `COUNT("HIRE_DATE") AS c2_nonnull, COUNT(DISTINCT "HIRE_DATE") AS c2_distinct, TO_CHAR(MIN("HIRE_DATE"), 'YYYY-MM-DD"T"HH24:MI:SS') AS c2_min, TO_CHAR(MAX("HIRE_DATE"), 'YYYY-MM-DD"T"HH24:MI:SS') AS c2_max, ` +
          'COUNT("NOTES") AS c3_nonnull, MIN(LENGTH("NOTES")) AS c3_min_length, MAX(LENGTH("NOTES")) AS c3_max_length, AVG(LENGTH("NOTES")) AS c3_avg_length, ' +
          'COUNT("PASSWORD_HASH") AS c4_nonnull, COUNT(DISTINCT "PASSWORD_HASH") AS c4_distinct, MIN(LENGTH("PASSWORD_HASH")) AS c4_min_length, MAX(LENGTH("PASSWORD_HASH")) AS c4_max_length, AVG(LENGTH("PASSWORD_HASH")) AS c4_avg_length ' +
          'FROM (SELECT "SALARY", "LAST_NAME", "HIRE_DATE", "NOTES", "PASSWORD_HASH" FROM "HR"."EMPLOYEES" FETCH FIRST :sample_rows ROWS ONLY) s',
      );
      expect(agg.binds).toEqual({ sample_rows: 1000 });
      // Top values: comparable, non-secret columns only, ranked per column in one statement.
      expect(top.sql).toContain('ROW_NUMBER() OVER (PARTITION BY COL_INDEX ORDER BY N DESC, V)');
      expect(top.sql).toContain('SELECT 0 AS COL_INDEX, TO_CHAR("SALARY") AS V');
      expect(top.sql).not.toContain('"NOTES") AS V');
      expect(top.sql).not.toContain('"PASSWORD_HASH") AS V');
      expect(top.binds).toEqual({ sample_rows: 1000, top_n: 2 });

      expect(profile).toMatchObject({ row_count: 5000, sampled: true, sample_rows: 1000 });
      expect(profile.columns[0]).toEqual({
        name: 'SALARY',
        null_count: 10,
        null_ratio: 0.01,
        distinct_count: 120,
        distinct_ratio: 120 / 990,
        min: 2100,
        max: 24000,
        mean: 6461.68,
        stddev: 3909.37,
        top_values: [{ value: '2500', count: 6 }],
      });
      expect(profile.columns[1]).toMatchObject({
        min: 'Abel',
        max: 'Zlotkey',
        min_length: 3,
        max_length: 11,
        avg_length: 5.9,
        top_values: [
          { value: 'King', count: 2 },
          { value: 'Smith', count: 2 },
        ],
      });
      expect(profile.columns[2]).toMatchObject({ min: '2001-01-13T00:00:00', max: '2008-04-21T00:00:00' });
      expect(profile.columns[3]).toEqual({
        name: 'NOTES',
        null_count: 960,
        null_ratio: 0.96,
        distinct_count: 0,
        distinct_ratio: 0,
        min_length: 10,
        max_length: 4000,
        avg_length: 812.5,
      });
      expect(profile.columns[4]).not.toHaveProperty('min');
      expect(profile.columns[4]).not.toHaveProperty('top_values');
    });
  });

  describe('errors', () => {
    const oraError = (num: number, text: string) =>
      Object.assign(
        new Error(
          `ORA-${String(num).padStart(5, '0')}: ${text}\nHelp: https://docs.oracle.com/error-help/db/ora-${String(num).padStart(5, '0')}/`,
        ),
        { errorNum: num, code: `ORA-${String(num).padStart(5, '0')}`, offset: 0 },
      );
    const njsError = (code: string, text: string) => Object.assign(new Error(`${code}: ${text}`), { code });

    it.each([
      [
        'ORA-01017 invalid credentials',
        oraError(1017, 'invalid username/password; logon denied'),
        ConnectorErrorCode.AuthFailed,
      ],
      ['ORA-28000 account locked', oraError(28000, 'The account is locked.'), ConnectorErrorCode.AuthFailed],
      [
        'ORA-01045 no CREATE SESSION',
        oraError(1045, 'user CATALOG lacks CREATE SESSION privilege; logon denied'),
        ConnectorErrorCode.PermissionDenied,
      ],
      [
        'ORA-00942 table or view does not exist',
        oraError(942, 'table or view does not exist'),
        ConnectorErrorCode.PermissionDenied,
      ],
      [
        'ORA-01031 insufficient privileges',
        oraError(1031, 'insufficient privileges'),
        ConnectorErrorCode.PermissionDenied,
      ],
      [
        'ORA-12514 unknown service (thick mode)',
        oraError(12514, 'TNS:listener does not currently know of service requested in connect descriptor'),
        ConnectorErrorCode.InvalidConfig,
      ],
      [
        'NJS-518 unknown service (thin mode)',
        njsError(
          'NJS-518',
          'cannot connect to Oracle Database. Service "NOPE" is not registered with the listener at host 10.0.0.5 port 1521. (CONNECTION_ID=abc)',
        ),
        ConnectorErrorCode.InvalidConfig,
      ],
      [
        'ORA-12505 unknown SID',
        oraError(12505, 'TNS:listener does not currently know of SID given in connect descriptor'),
        ConnectorErrorCode.InvalidConfig,
      ],
      [
        'NJS-519 unknown SID (thin mode)',
        njsError(
          'NJS-519',
          'cannot connect to Oracle Database. SID "X" is not registered with the listener at host h port 1521.',
        ),
        ConnectorErrorCode.InvalidConfig,
      ],
      [
        'NJS-511 refused',
        njsError(
          'NJS-511',
          'connection to listener at host 10.0.0.5 port 1521 was refused. (CONNECTION_ID=x)\nCause: ECONNREFUSED',
        ),
        ConnectorErrorCode.Unreachable,
      ],
      [
        'NJS-510 connect timeout',
        njsError('NJS-510', 'connection to host h port 1521 timed out.'),
        ConnectorErrorCode.Timeout,
      ],
      ['NJS-123 call timeout', njsError('NJS-123', 'call timeout of 5000 ms exceeded'), ConnectorErrorCode.Timeout],
      [
        'ORA-01013 cancelled',
        oraError(1013, 'user requested cancel of current operation'),
        ConnectorErrorCode.Cancelled,
      ],
      [
        'NJS-506 TLS handshake',
        njsError('NJS-506', 'connection to host h port 2484 encountered TLS handshake failure.'),
        ConnectorErrorCode.Tls,
      ],
      [
        'NJS-138 old server',
        njsError(
          'NJS-138',
          'connections to this database server version are not supported by node-oracledb in Thin mode',
        ),
        ConnectorErrorCode.Unsupported,
      ],
    ])('%s', (_label, err, code) => {
      const classified = classifyOracleError(err);
      expect(classified.code).toBe(code);
      expect(classified.message).not.toContain('Help: https://');
    });

    it('the real driver, in thin mode, reports a refused listener as UNREACHABLE', async () => {
      const refused = await new Promise<number>((resolve) => {
        const s = createServer();
        s.listen(0, '127.0.0.1', () => {
          const p = (s.address() as { port: number }).port;
          s.close(() => resolve(p));
        });
      });
      const exec = openOraclePool(readOracleSettings({ ...baseConfig, port: refused, timeout: 3 }), '127.0.0.1');
      const error = await exec.serverVersion(new AbortController().signal).then(
        () => null,
        (e: unknown) => e,
      );
      await exec.close();
      expect(error).toMatchObject({ code: 'NJS-503' });
      expect(classifyOracleError(error)).toMatchObject({ code: ConnectorErrorCode.Unreachable });
    });

    it('names what to try for unknown services and SIDs', () => {
      expect(classifyOracleError(njsError('NJS-518', 'Service "X" is not registered')).hint).toMatch(/service_name/);
      expect(classifyOracleError(oraError(12505, 'TNS')).hint).toMatch(/sid/);
    });
  });

  describe('connection test', () => {
    let server: Server;
    let port: number;

    beforeAll(async () => {
      // Something listening, so the TCP step passes and authentication is what the fake decides.
      server = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('succeeds with every step, reporting version and identity', async () => {
      const fake = new FakeOracle();
      fake.answer = (sql) =>
        sql.includes('SYS_CONTEXT')
          ? [{ DB_NAME: 'ORCLCDB', SERVICE_NAME: 'ORCLPDB1', USERNAME: 'CATALOG' }]
          : sql.includes('COUNT(*) AS TABLES')
            ? [{ TABLES: 42 }]
            : undefined;
      const { connector } = connectorWith(fake, { ...baseConfig, port });
      const result = await connector.test(new AbortController().signal);
      expect(result).toMatchObject({
        success: true,
        version: '19.3.0.0.0',
        server_info: 'Oracle Database 19.3.0.0.0 (database ORCLCDB, service ORCLPDB1, user CATALOG)',
      });
      expect(result.steps.map((s) => [s.name, s.ok, s.message])).toEqual([
        ['resolve', true, '127.0.0.1'],
        ['tcp', true, `127.0.0.1:${port}`],
        ['authenticate', true, 'Oracle Database 19.3.0.0.0 (database ORCLCDB, service ORCLPDB1, user CATALOG)'],
        ['catalog', true, '42 table(s) visible to the account'],
      ]);
      expect(fake.closed).toBe(true);
    });

    it('a wrong password stops at authenticate with AUTH_FAILED and advice', async () => {
      const fake = new FakeOracle();
      fake.failWith = Object.assign(new Error('ORA-01017: invalid username/password; logon denied'), {
        errorNum: 1017,
        code: 'ORA-01017',
      });
      const result = await connectorWith(fake, { ...baseConfig, port }).connector.test(new AbortController().signal);
      expect(result).toMatchObject({
        success: false,
        error_code: 'AUTH_FAILED',
        message: 'ORA-01017: invalid username/password; logon denied',
      });
      expect(result.details).toMatch(/user name and password/);
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['authenticate', false],
      ]);
    });

    it('an unknown service stops at authenticate and says to check service_name', async () => {
      const fake = new FakeOracle();
      fake.failWith = Object.assign(
        new Error('NJS-518: cannot connect to Oracle Database. Service "NOPE" is not registered with the listener'),
        { code: 'NJS-518' },
      );
      const result = await connectorWith(fake, { ...baseConfig, port, service_name: 'NOPE' }).connector.test(
        new AbortController().signal,
      );
      expect(result).toMatchObject({ success: false, error_code: 'INVALID_CONFIG' });
      expect(result.details).toMatch(/service_name/);
    });

    it('a closed port stops at tcp, before any login', async () => {
      const closedPort = await new Promise<number>((resolve) => {
        const s = createServer();
        s.listen(0, '127.0.0.1', () => {
          const p = (s.address() as { port: number }).port;
          s.close(() => resolve(p));
        });
      });
      const fake = new FakeOracle();
      const result = await connectorWith(fake, { ...baseConfig, port: closedPort }).connector.test(
        new AbortController().signal,
      );
      expect(result).toMatchObject({ success: false, error_code: 'UNREACHABLE' });
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', false],
      ]);
      expect(fake.calls).toEqual([]);
    });
  });
});
