import mysql from 'mysql2/promise';
import {
  assetKey,
  CatalogAsset,
  CatalogBatch,
  CollectOptions,
  Connector,
  ConnectorConfig,
  createAddressGuard,
} from '@app/connectors';
import { createMysqlConnector } from '@app/connectors/mysql/mysql.connector';
import { describeWithServers, SERVER_ENDPOINTS } from '../../../test/support/servers';
import { collectAll } from './support/collect-all';

const { host, port } = SERVER_ENDPOINTS.mariadb;
const SUFFIX = Math.random().toString(36).slice(2, 10);
const DB = `cat_obj_${SUFFIX}`;
const CONFIG: ConnectorConfig = { host, port, username: 'root', timeout: 20 };
const context = { guardAddress: createAddressGuard({ deny: [], allow: [] }) };

const FIXTURE = [
  `CREATE DATABASE ${DB}`,
  `CREATE TABLE ${DB}.Accounts (
    id INT PRIMARY KEY,
    balance DECIMAL(12,2) NOT NULL DEFAULT 0.00 CHECK (balance >= 0),
    kind VARCHAR(10) NOT NULL DEFAULT 'basic',
    doc JSON,
    password_hash CHAR(32),
    CONSTRAINT kind_known CHECK (kind IN ('basic', 'gold')),
    CONSTRAINT \`Mixed Case\` CHECK (id > 0 AND balance < 1000000)
  )`,
  `CREATE TABLE ${DB}.events (id INT NOT NULL, at DATE NOT NULL, PRIMARY KEY (id, at))
   PARTITION BY RANGE (YEAR(at)) SUBPARTITION BY HASH (id) SUBPARTITIONS 2 (
     PARTITION p2023 VALUES LESS THAN (2024) COMMENT 'old',
     PARTITION p2024 VALUES LESS THAN (2025),
     PARTITION pmax VALUES LESS THAN MAXVALUE)`,
  `CREATE TABLE ${DB}.regions (code CHAR(2) PRIMARY KEY) PARTITION BY LIST COLUMNS (code) (
     PARTITION eu VALUES IN ('DE', 'FR'), PARTITION us VALUES IN ('US'))`,
  `CREATE TABLE ${DB}.plain (id INT)`,
  `CREATE FUNCTION ${DB}.Net_Total(amount DECIMAL(10,2), rate DOUBLE) RETURNS DECIMAL(12,2) DETERMINISTIC
     COMMENT 'after tax' RETURN amount * (1 + rate)`,
  `CREATE PROCEDURE ${DB}.move_money(IN src INT, IN dst INT, INOUT amount DECIMAL(12,2), OUT ok TINYINT(1))
     MODIFIES SQL DATA SQL SECURITY INVOKER
     BEGIN UPDATE ${DB}.Accounts SET balance = balance - amount WHERE id = src; SET ok = 1; END`,
  `CREATE PROCEDURE ${DB}.nothing() SELECT 1`,
  `CREATE TRIGGER ${DB}.accounts_bi BEFORE INSERT ON ${DB}.Accounts FOR EACH ROW SET NEW.kind = LOWER(NEW.kind)`,
  `CREATE TRIGGER ${DB}.accounts_bi2 BEFORE INSERT ON ${DB}.Accounts FOR EACH ROW FOLLOWS accounts_bi SET NEW.balance = NEW.balance`,
  `CREATE TRIGGER ${DB}.events_au AFTER UPDATE ON ${DB}.events FOR EACH ROW BEGIN END`,
  `INSERT INTO ${DB}.Accounts (id, balance, kind, password_hash) SELECT seq, seq * 3, IF(seq % 2, 'gold', 'basic'), MD5(seq) FROM seq_1_to_300`,
  `INSERT INTO ${DB}.events SELECT seq, DATE('2023-01-01') + INTERVAL seq DAY FROM seq_1_to_900`,
  `ANALYZE TABLE ${DB}.Accounts PERSISTENT FOR ALL`,
];

async function admin<T>(work: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const conn = await mysql.createConnection({ host, port, user: 'root', dateStrings: true, database: 'test' });
  try {
    return await work(conn);
  } finally {
    await conn.end();
  }
}

type Row = Record<string, unknown>;
const rows = async (sql: string, values: unknown[] = []) =>
  admin(async (c) => (await c.query(sql, values))[0] as Row[]);
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function options(overrides: Partial<CollectOptions> = {}): CollectOptions {
  return {
    mode: 'full',
    scope: { includeSchemas: [DB] },
    batchSize: 50,
    signal: new AbortController().signal,
    ...overrides,
  };
}

const byName = (batches: CatalogBatch[]) => new Map(batches.flatMap((b) => b.assets).map((a) => [a.name, a]));

describeWithServers(
  ['mariadb'],
  'MySQL connector: CHECK constraints, partitions, routines, triggers, histograms',
  () => {
    let connector: Connector;
    let assets: Map<string, CatalogAsset>;
    const sent: string[] = [];

    beforeAll(async () => {
      await admin(async (c) => {
        for (const sql of FIXTURE) await c.query(sql);
      });
      connector = createMysqlConnector(CONFIG, context, { onQuery: (sql) => sent.push(sql) });
      assets = byName(await collectAll(connector, options()));
    });

    afterAll(async () => {
      await connector?.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${DB}`));
    });

    it("gives every CHECK constraint of information_schema.CHECK_CONSTRAINTS as a 'check' key, clause as written", async () => {
      const expected = await rows(
        `SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, LEVEL FROM information_schema.CHECK_CONSTRAINTS
       WHERE CONSTRAINT_SCHEMA = ? ORDER BY TABLE_NAME, CONSTRAINT_NAME`,
        [DB],
      );
      // Column-level checks (balance, and MariaDB's own one for a JSON column), table-level ones.
      expect(expected.length).toBeGreaterThanOrEqual(4);
      const got = [...assets.values()].flatMap((a) =>
        (a.keys ?? []).filter((k) => k.type === 'check').map((k) => ({ table: a.name, ...k })),
      );
      const order = (a: { table: unknown; name: unknown }, b: { table: unknown; name: unknown }) =>
        `${text(a.table)}.${text(a.name)}` < `${text(b.table)}.${text(b.name)}` ? -1 : 1;
      expect(got.sort(order)).toEqual(
        expected
          .map((r) => ({
            table: r.TABLE_NAME,
            name: r.CONSTRAINT_NAME,
            type: 'check',
            columns: r.LEVEL === 'Column' ? [r.CONSTRAINT_NAME] : [],
            definition: `CHECK (${text(r.CHECK_CLAUSE)})`,
          }))
          .sort(order),
      );
      expect(got.map((k) => k.name)).toContain('Mixed Case');
    });

    it('gives partitioning with per-partition rows and bytes as information_schema.PARTITIONS reports them', async () => {
      const expected = await rows(
        `SELECT * FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = ? AND PARTITION_NAME IS NOT NULL
       ORDER BY TABLE_NAME, PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION`,
        [DB],
      );
      for (const table of ['events', 'regions']) {
        const mine = expected.filter((r) => r.TABLE_NAME === table);
        const names = [...new Set(mine.map((r) => text(r.PARTITION_NAME)))];
        const partitioning = assets.get(table)!.properties!.partitioning as Record<string, unknown>;
        expect(partitioning).toMatchObject({
          method: mine[0].PARTITION_METHOD,
          expression: mine[0].PARTITION_EXPRESSION,
          count: names.length,
        });
        const parts = partitioning.partitions as Array<Record<string, unknown>>;
        expect(parts.map((p) => p.name)).toEqual(names);
        for (const p of parts) {
          const of = mine.filter((r) => r.PARTITION_NAME === p.name);
          expect(p).toMatchObject({
            ordinal: Number(of[0].PARTITION_ORDINAL_POSITION),
            description: of[0].PARTITION_DESCRIPTION,
            comment: text(of[0].PARTITION_COMMENT) || null,
            rows: of.reduce((n, r) => n + Number(r.TABLE_ROWS), 0),
            bytes: of.reduce((n, r) => n + Number(r.DATA_LENGTH) + Number(r.INDEX_LENGTH), 0),
          });
          if (of[0].SUBPARTITION_NAME !== null) {
            expect(p.subpartitions).toEqual(
              of.map((r) => ({
                name: r.SUBPARTITION_NAME,
                ordinal: Number(r.SUBPARTITION_ORDINAL_POSITION),
                rows: Number(r.TABLE_ROWS),
                bytes: Number(r.DATA_LENGTH) + Number(r.INDEX_LENGTH),
              })),
            );
            expect(partitioning).toMatchObject({
              subpartition_method: of[0].SUBPARTITION_METHOD,
              subpartition_expression: of[0].SUBPARTITION_EXPRESSION,
            });
          }
        }
      }
      const events = assets.get('events')!.properties!.partitioning as { partitions: Array<{ rows: number }> };
      expect(events.partitions.reduce((n, p) => n + p.rows, 0)).toBeGreaterThan(0);
      expect(assets.get('plain')!.properties!.partitioning).toBeUndefined();
    });

    it('gives every routine with its parameters, modes, return type and definition as information_schema has them', async () => {
      const routines = await rows(`SELECT * FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?`, [DB]);
      const parameters = await rows(
        `SELECT * FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = ? AND ORDINAL_POSITION > 0 ORDER BY ORDINAL_POSITION`,
        [DB],
      );
      expect(routines).toHaveLength(3);
      for (const r of routines) {
        const params = parameters.filter(
          (p) => p.SPECIFIC_NAME === r.SPECIFIC_NAME && p.ROUTINE_TYPE === r.ROUTINE_TYPE,
        );
        const name = `${text(r.ROUTINE_NAME)}(${params.map((p) => text(p.DTD_IDENTIFIER)).join(', ')})`;
        const asset = assets.get(name)!;
        const procedure = r.ROUTINE_TYPE === 'PROCEDURE';
        expect(asset).toMatchObject({
          namespace: DB,
          kind: procedure ? 'procedure' : 'function',
          owner: r.DEFINER,
          comment: text(r.ROUTINE_COMMENT) || null,
          properties: {
            routine_name: r.ROUTINE_NAME,
            return_type: procedure ? null : r.DTD_IDENTIFIER,
            language: r.EXTERNAL_LANGUAGE ?? 'SQL',
            body: r.ROUTINE_BODY,
            deterministic: r.IS_DETERMINISTIC === 'YES',
            data_access: r.SQL_DATA_ACCESS,
            security_type: r.SECURITY_TYPE,
            sql_mode: r.SQL_MODE,
            definition: r.ROUTINE_DEFINITION,
            created: r.CREATED,
            last_altered: r.LAST_ALTERED,
          },
        });
        expect(asset.fields).toEqual(
          params.map((p) => ({
            name: p.PARAMETER_NAME,
            ordinal: Number(p.ORDINAL_POSITION),
            dataType: p.DTD_IDENTIFIER,
            nullable: true,
            properties: {
              mode: p.PARAMETER_MODE,
              ...(p.CHARACTER_SET_NAME ? { charset: p.CHARACTER_SET_NAME, collation: p.COLLATION_NAME } : {}),
            },
          })),
        );
      }
      expect(assets.get('Net_Total(decimal(10,2), double)')!.properties!.signature).toBe(
        'Net_Total(amount decimal(10,2), rate double) RETURNS decimal(12,2)',
      );
      expect(assets.get('move_money(int(11), int(11), decimal(12,2), tinyint(1))')!.properties!.signature).toBe(
        'move_money(IN src int(11), IN dst int(11), INOUT amount decimal(12,2), OUT ok tinyint(1))',
      );
      expect(assets.get('nothing()')).toMatchObject({ kind: 'procedure', fields: [] });
    });

    it('gives every trigger with its table, timing, event, order and body as information_schema.TRIGGERS has them', async () => {
      const triggers = await rows(`SELECT * FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?`, [DB]);
      expect(triggers).toHaveLength(3);
      for (const t of triggers) {
        expect(assets.get(`${text(t.EVENT_OBJECT_TABLE)}.${text(t.TRIGGER_NAME)}`)).toEqual({
          namespace: DB,
          name: `${text(t.EVENT_OBJECT_TABLE)}.${text(t.TRIGGER_NAME)}`,
          kind: 'trigger',
          owner: t.DEFINER,
          properties: {
            trigger_name: t.TRIGGER_NAME,
            table: t.EVENT_OBJECT_TABLE,
            timing: t.ACTION_TIMING,
            events: [t.EVENT_MANIPULATION],
            level: t.ACTION_ORIENTATION,
            action_order: Number(t.ACTION_ORDER),
            body: t.ACTION_STATEMENT,
            enabled: true,
            sql_mode: t.SQL_MODE,
            created: t.CREATED,
            character_set_client: t.CHARACTER_SET_CLIENT,
            collation_connection: t.COLLATION_CONNECTION,
          },
          fields: [],
          changeSignal: expect.stringMatching(/^[0-9a-f]{32}$/),
        });
      }
      expect(assets.get('Accounts.accounts_bi2')!.properties!.action_order).toBe(2);
    });

    it('gives the column statistics of mysql.column_stats as estimates, without values of secret-looking columns', async () => {
      const stats = await rows(
        `SELECT column_name, nulls_ratio, avg_length, avg_frequency, hist_type, hist_size, min_value, max_value
       FROM mysql.column_stats WHERE db_name = ? AND table_name = 'Accounts'`,
        [DB],
      );
      expect(stats.length).toBeGreaterThanOrEqual(4);
      const fields = assets.get('Accounts')!.fields;
      for (const s of stats) {
        const got = fields.find((f) => f.name === s.column_name)!.properties!.statistics as Record<string, unknown>;
        expect(got).toMatchObject({
          estimate: true,
          source: 'mysql.column_stats',
          null_fraction: num(s.nulls_ratio),
          avg_length: num(s.avg_length),
          avg_frequency: num(s.avg_frequency),
        });
        if (s.hist_type) expect(got.histogram).toMatchObject({ type: s.hist_type });
        if (s.column_name === 'password_hash') expect(got).not.toHaveProperty('min');
        else if (s.min_value !== null) expect(got.min).toBe(Buffer.from(s.min_value as Buffer).toString('utf8'));
      }
      const balance = fields.find((f) => f.name === 'balance')!.properties!.statistics as Record<string, unknown>;
      expect(balance.max).toBe('900.00');
    });

    it('reads the new objects with one statement per kind for the database', () => {
      const reads = (sql: string) =>
        [...sql.matchAll(/(?:information_schema|mysql)\.(\w+)/g)].map((m) => m[1]).join('+');
      const kinds = sent.map(reads);
      for (const view of ['CHECK_CONSTRAINTS', 'PARTITIONS', 'ROUTINES', 'PARAMETERS', 'TRIGGERS', 'column_stats'])
        expect(kinds.filter((k) => k === view)).toHaveLength(1);
    });

    it('re-reads in an incremental run exactly the objects whose entry changed', async () => {
      const before = (await collectAll(connector, options())).flatMap((b) => b.assets);
      const previous = new Map(before.map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));
      await admin(async (c) => {
        await c.query(`ALTER TABLE ${DB}.regions ADD PARTITION (PARTITION asia VALUES IN ('JP'))`);
        await c.query(`ALTER TABLE ${DB}.plain ADD CONSTRAINT plain_pos CHECK (id > 0)`);
        await c.query(`ALTER FUNCTION ${DB}.Net_Total COMMENT 'gross'`);
        await c.query(`DROP TRIGGER ${DB}.accounts_bi`);
      });
      const batches = await collectAll(connector, options({ mode: 'incremental', previousSignals: previous }));
      const read = batches.flatMap((b) => b.assets);
      // Dropping the first trigger moves the second one up in the order.
      expect(read.map((a) => a.name).sort()).toEqual(
        ['Accounts.accounts_bi2', 'Net_Total(decimal(10,2), double)', 'plain', 'regions'].sort(),
      );
      expect(batches.flatMap((b) => b.unchanged ?? []).map((r) => r.name)).not.toContain('Accounts.accounts_bi');
      const full = byName(await collectAll(connector, options()));
      for (const a of read) expect(a).toEqual(full.get(a.name));
    });
  },
);
