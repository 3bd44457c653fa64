import { createServer } from 'node:net';
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
import { mysqlConnector } from '@app/connectors/mysql';
import { createMysqlConnector } from '@app/connectors/mysql/mysql.connector';
import { describeWithServers, SERVER_ENDPOINTS } from '../../../test/support/servers';
import { collectAll } from './support/collect-all';

const { host, port } = SERVER_ENDPOINTS.mariadb;
const SUFFIX = Math.random().toString(36).slice(2, 10);
const DB = `cat_it_${SUFFIX}`;
const LIMITED_USER = `cat_it_lim_${SUFFIX}`;
const CONFIG: ConnectorConfig = { host, port, username: 'root', timeout: 10 };
const context = { guardAddress: createAddressGuard({ deny: [], allow: [] }) };

const FIXTURE = [
  `CREATE DATABASE ${DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  `CREATE TABLE ${DB}.customers (
    id INT NOT NULL AUTO_INCREMENT COMMENT 'row id',
    email VARCHAR(120) NOT NULL COMMENT 'Login e-mail',
    name VARCHAR(80) NULL,
    balance DECIMAL(12,2) NOT NULL DEFAULT 0.00,
    country CHAR(2) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT 'US',
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    name_upper VARCHAR(80) AS (UPPER(name)) VIRTUAL,
    password_hash CHAR(32),
    PRIMARY KEY (id),
    UNIQUE KEY customers_email_uq (email),
    KEY customers_country_name_ix (country, name)
  ) ENGINE=InnoDB COMMENT='People who buy' ROW_FORMAT=DYNAMIC`,
  `CREATE TABLE ${DB}.orders (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    customer_id INT NOT NULL,
    amount DECIMAL(10,2) NOT NULL,
    note TEXT,
    FULLTEXT KEY orders_note_ft (note),
    CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES ${DB}.customers (id) ON DELETE CASCADE ON UPDATE RESTRICT
  ) ENGINE=InnoDB`,
  `CREATE TABLE ${DB}.legacy (code VARCHAR(10) NOT NULL, label VARCHAR(20), PRIMARY KEY (code), KEY legacy_label_ix (label)) ENGINE=MyISAM COMMENT='old engine'`,
  `CREATE TABLE ${DB}.\`odd-name\` (\`weird col\` INT NOT NULL, parent INT, PRIMARY KEY (\`weird col\`),
    CONSTRAINT odd_parent_fk FOREIGN KEY (parent) REFERENCES ${DB}.customers (id) ON DELETE SET NULL) ENGINE=InnoDB`,
  `CREATE TABLE ${DB}.docs (id INT PRIMARY KEY, body TEXT, UNIQUE KEY docs_body_uq (body)) ENGINE=InnoDB`,
  `CREATE TABLE ${DB}.temp_skip (x INT, cust INT, KEY temp_cust_ix (cust)) ENGINE=InnoDB`,
  `CREATE VIEW ${DB}.big_orders AS SELECT id, amount FROM ${DB}.orders WHERE amount > 100`,
  `CREATE VIEW ${DB}.slow_view AS SELECT SLEEP(20) AS one`,
  `INSERT INTO ${DB}.customers (email, name, balance, country, password_hash)
   SELECT CONCAT('user', seq, '@example.com'), IF(seq % 7 = 0, NULL, CONCAT('name', seq % 13)), (seq * 37 % 2000) / 3,
          ELT(seq % 3 + 1, 'DE', 'US', 'FR'), MD5(seq)
   FROM ${DB}.seq_1_to_60`,
  `INSERT INTO ${DB}.orders (customer_id, amount, note) SELECT 1 + seq % 60, seq, CONCAT('n', seq) FROM ${DB}.seq_1_to_5000`,
  `ANALYZE TABLE ${DB}.orders`,
];

async function admin<T>(work: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const conn = await mysql.createConnection({ host, port, user: 'root', dateStrings: true });
  try {
    return await work(conn);
  } finally {
    await conn.end();
  }
}

const rows = async (sql: string) => admin(async (c) => (await c.query(sql))[0] as Array<Record<string, unknown>>);

function options(overrides: Partial<CollectOptions> = {}): CollectOptions {
  return {
    mode: 'full',
    scope: { includeSchemas: [DB] },
    batchSize: 3,
    signal: new AbortController().signal,
    ...overrides,
  };
}

const assetsOf = (batches: CatalogBatch[]) => new Map(batches.flatMap((b) => b.assets).map((a) => [a.name, a]));
const field = (asset: CatalogAsset, name: string) => asset.fields.find((f) => f.name === name)!;
const ALL = ['big_orders', 'customers', 'docs', 'legacy', 'odd-name', 'orders', 'slow_view', 'temp_skip'];

describeWithServers(['mariadb'], 'MySQL connector against a real MariaDB server', () => {
  let connector: Connector;

  beforeAll(async () => {
    await admin(async (c) => {
      for (const sql of FIXTURE) await c.query(sql);
    });
    connector = mysqlConnector.create(CONFIG, context);
  });

  afterAll(async () => {
    await connector?.close();
    await admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${DB}`);
      await c.query(`DROP USER IF EXISTS '${LIMITED_USER}'@'127.0.0.1'`);
    });
  });

  describe('collect', () => {
    let batches: CatalogBatch[];
    let assets: Map<string, CatalogAsset>;

    beforeAll(async () => {
      batches = await collectAll(connector, options());
      assets = assetsOf(batches);
    });

    it('yields the database with its defaults, then its tables and views in batches of the asked size', () => {
      expect(batches[0].namespaces).toEqual([
        {
          name: DB,
          kind: 'database',
          properties: { default_character_set: 'utf8mb4', default_collation: 'utf8mb4_unicode_ci' },
        },
      ]);
      expect(batches.every((b) => b.assets.length <= 3)).toBe(true);
      expect([...assets.keys()].sort()).toEqual(ALL);
    });

    it('reads every column with type, nullability, default, comment, ordinal, charset and generation', () => {
      const t = assets.get('customers')!;
      expect(t).toMatchObject({ namespace: DB, kind: 'table', comment: 'People who buy', owner: null });
      expect(t.fields.map((f) => [f.ordinal, f.name, f.dataType, f.nullable, f.primaryKey])).toEqual([
        [1, 'id', 'int(11)', false, true],
        [2, 'email', 'varchar(120)', false, false],
        [3, 'name', 'varchar(80)', true, false],
        [4, 'balance', 'decimal(12,2)', false, false],
        [5, 'country', 'char(2)', true, false],
        [6, 'created_at', 'timestamp', false, false],
        [7, 'name_upper', 'varchar(80)', true, false],
        [8, 'password_hash', 'char(32)', true, false],
      ]);
      expect(field(t, 'id')).toMatchObject({ comment: 'row id', default: null, properties: { auto_increment: true } });
      expect(field(t, 'email')).toMatchObject({
        comment: 'Login e-mail',
        default: null,
        properties: { charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' },
      });
      expect(field(t, 'name')).toMatchObject({ comment: null, default: null });
      expect(field(t, 'balance').default).toBe('0.00');
      expect(field(t, 'country')).toMatchObject({
        default: "'US'",
        properties: { charset: 'latin1', collation: 'latin1_bin' },
      });
      expect(field(t, 'created_at')).toMatchObject({
        default: 'current_timestamp()',
        properties: { on_update: 'current_timestamp()' },
      });
      expect(field(t, 'name_upper')).toMatchObject({
        default: null,
        properties: { generated: 'VIRTUAL', generation_expression: 'ucase(`name`)' },
      });
    });

    it('reads primary, unique and foreign keys with references and rules', () => {
      expect(assets.get('customers')!.keys).toEqual([
        { name: 'PRIMARY', type: 'primary', columns: ['id'] },
        { name: 'customers_email_uq', type: 'unique', columns: ['email'] },
      ]);
      const orders = assets.get('orders')!;
      expect(orders.keys).toEqual([
        { name: 'PRIMARY', type: 'primary', columns: ['id'] },
        {
          name: 'orders_customer_fk',
          type: 'foreign',
          columns: ['customer_id'],
          references: { namespace: DB, table: 'customers', columns: ['id'] },
          definition: `FOREIGN KEY (\`customer_id\`) REFERENCES \`${DB}\`.\`customers\` (\`id\`) ON DELETE CASCADE ON UPDATE RESTRICT`,
        },
      ]);
      expect(assets.get('odd-name')!.keys).toEqual([
        { name: 'PRIMARY', type: 'primary', columns: ['weird col'] },
        expect.objectContaining({
          name: 'odd_parent_fk',
          references: { namespace: DB, table: 'customers', columns: ['id'] },
        }),
      ]);
      expect(assets.get('odd-name')!.keys![1].definition).toMatch(/ON DELETE SET NULL ON UPDATE RESTRICT$/);
    });

    it('reads indexes with columns in order, uniqueness and method, on InnoDB and MyISAM', () => {
      expect(assets.get('customers')!.indexes).toEqual([
        { name: 'PRIMARY', columns: ['id'], unique: true, method: 'BTREE', predicate: null },
        {
          name: 'customers_country_name_ix',
          columns: ['country', 'name'],
          unique: false,
          method: 'BTREE',
          predicate: null,
        },
        { name: 'customers_email_uq', columns: ['email'], unique: true, method: 'BTREE', predicate: null },
      ]);
      expect(assets.get('orders')!.indexes!.map((i) => [i.name, i.columns, i.unique, i.method])).toEqual([
        ['PRIMARY', ['id'], true, 'BTREE'],
        ['orders_customer_fk', ['customer_id'], false, 'BTREE'],
        ['orders_note_ft', ['note'], false, 'FULLTEXT'],
      ]);
      expect(assets.get('legacy')!.indexes!.map((i) => [i.name, i.columns, i.unique])).toEqual([
        ['PRIMARY', ['code'], true],
        ['legacy_label_ix', ['label'], false],
      ]);
      // MariaDB implements a UNIQUE key on TEXT with a hidden hash; it is reported as declared.
      expect(assets.get('docs')!.indexes).toContainEqual({
        name: 'docs_body_uq',
        columns: ['body'],
        unique: true,
        method: 'HASH',
        predicate: null,
      });
    });

    it('reads engine, collation, storage facts, statistics and views', async () => {
      const [real] = await rows(
        `SELECT TABLE_ROWS, DATA_LENGTH, INDEX_LENGTH, AUTO_INCREMENT, CREATE_TIME, ROW_FORMAT FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${DB}' AND TABLE_NAME = 'orders'`,
      );
      const orders = assets.get('orders')!;
      expect(orders.properties).toMatchObject({
        table_type: 'BASE TABLE',
        engine: 'InnoDB',
        collation: 'utf8mb4_unicode_ci',
        row_format: real.ROW_FORMAT,
        auto_increment: Number(real.AUTO_INCREMENT),
        create_time: real.CREATE_TIME,
      });
      expect(orders.statistics).toEqual({
        rows: Number(real.TABLE_ROWS),
        bytes: Number(real.DATA_LENGTH) + Number(real.INDEX_LENGTH),
      });
      expect(assets.get('legacy')).toMatchObject({ comment: 'old engine', properties: { engine: 'MyISAM' } });
      const view = assets.get('big_orders')!;
      expect(view).toMatchObject({ kind: 'view', comment: null, owner: 'root@127.0.0.1', keys: [], indexes: [] });
      expect(view.properties!.definition).toContain('`amount` > 100');
      expect(view.fields.map((f) => [f.name, f.dataType])).toEqual([
        ['id', 'bigint(20) unsigned'],
        ['amount', 'decimal(10,2)'],
      ]);
      expect([...assets.values()].every((a) => /^[0-9a-f]{32}$/.test(a.changeSignal!))).toBe(true);
    });

    it('skips statistics and storage facts in schema_only mode and keeps the rest', async () => {
      const only = assetsOf(await collectAll(connector, options({ mode: 'schema_only' })));
      expect(only.get('orders')!.statistics).toBeUndefined();
      expect(only.get('orders')!.properties!.row_format).toBeUndefined();
      expect(only.get('orders')!.fields).toEqual(assets.get('orders')!.fields);
      expect(only.get('orders')!.changeSignal).toBe(assets.get('orders')!.changeSignal);
    });

    it('reads the same catalog from information_schema as from the InnoDB dictionary', async () => {
      const plain = createMysqlConnector(CONFIG, context, { innodbDictionary: false });
      try {
        const fromInformationSchema = assetsOf(await collectAll(plain, options()));
        for (const name of ALL) {
          const a = fromInformationSchema.get(name)!;
          const b = assets.get(name)!;
          expect({ name, fields: a.fields, keys: a.keys, indexes: a.indexes, signal: a.changeSignal }).toEqual({
            name,
            fields: b.fields,
            keys: b.keys,
            indexes: b.indexes,
            signal: b.changeSignal,
          });
        }
      } finally {
        await plain.close();
      }
    });

    it('falls back to information_schema for an account without PROCESS, with the same result', async () => {
      await admin(async (c) => {
        await c.query(`CREATE USER '${LIMITED_USER}'@'127.0.0.1' IDENTIFIED BY 'pw-${SUFFIX}'`);
        await c.query(`GRANT SELECT, SHOW VIEW ON ${DB}.* TO '${LIMITED_USER}'@'127.0.0.1'`);
      });
      const limited = mysqlConnector.create({ ...CONFIG, username: LIMITED_USER, password: `pw-${SUFFIX}` }, context);
      try {
        const seen = assetsOf(await collectAll(limited, options()));
        expect(seen.get('orders')!.keys).toEqual(assets.get('orders')!.keys);
        expect(seen.get('customers')!.indexes).toEqual(assets.get('customers')!.indexes);
        expect(seen.get('orders')!.changeSignal).toBe(assets.get('orders')!.changeSignal);
      } finally {
        await limited.close();
      }
    });

    it('reads chunk after chunk of names, with the same result, when the pool is too small to stream', async () => {
      const sent: string[] = [];
      const chunked = createMysqlConnector({ ...CONFIG, max_conns: 2 }, context, {
        chunkSize: 3,
        onQuery: (sql) => sent.push(sql),
      });
      try {
        const got = assetsOf(await collectAll(chunked, options()));
        expect([...got.keys()].sort()).toEqual(ALL);
        for (const name of ALL) expect(got.get(name)).toEqual(assets.get(name));
        const catalog = sent.filter((s) => !/^SET SESSION|^SELECT VERSION|LIMIT 1$/.test(s));
        // schemata + names, then per chunk of 3 (8 tables: 3 chunks) at most 5 kinds, plus keys read by name,
        // plus one statement each for CHECK constraints, partitions, column statistics, routines, parameters, triggers,
        // and the views' definitions for lineage.
        expect(catalog.length).toBeLessThanOrEqual(2 + 3 * 5 + 3 + 6 + 1);
        // The columns statements (the views' lineage reads COLUMNS inside its VIEWS statement).
        const columns = catalog.filter(
          (s) => s.includes('information_schema.COLUMNS') && !s.includes('information_schema.VIEWS'),
        );
        expect(columns).toHaveLength(3);
      } finally {
        await chunked.close();
      }
    });
  });

  describe('streamed reads', () => {
    const MANY = `cat_it_many_${SUFFIX}`;
    /** Names whose orders differ between byte order, case-insensitive collations and UTF-16. */
    const ODD = ['Abc', 'abc', 'ABC_2', 'ábc', 'Ωmega', '日本', 'b-1', 'a b', '_x', 'Zed', 'zeta'];
    const FILLER = Array.from({ length: 120 }, (_, i) => `t${String(i).padStart(3, '0')}`);
    const NAMES = [...ODD, ...FILLER];
    const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;
    const scope = (includeTables?: string[]) =>
      options({ scope: { includeSchemas: [MANY], includeTables }, batchSize: 50 });

    beforeAll(async () => {
      await admin(async (c) => {
        await c.query(`CREATE DATABASE ${MANY} CHARACTER SET utf8mb4`);
        // Each table says which it is in its column, index and comment, so a pairing error shows.
        for (const [i, name] of NAMES.entries()) {
          await c.query(
            `CREATE TABLE ${MANY}.${q(name)} (id INT PRIMARY KEY, own_${i} INT, KEY ix_${i} (own_${i})) ENGINE=InnoDB COMMENT='table ${i}'`,
          );
        }
        await c.query(
          `ALTER TABLE ${MANY}.${q('abc')} ADD CONSTRAINT fk_abc FOREIGN KEY (own_1) REFERENCES ${MANY}.${q('Abc')} (id)`,
        );
        await c.query(
          `ALTER TABLE ${MANY}.${q('ábc')} ADD CONSTRAINT fk_accent FOREIGN KEY (own_3) REFERENCES ${MANY}.${q('abc')} (id)`,
        );
        await c.query(`CREATE VIEW ${MANY}.${q('Vue')} AS SELECT id FROM ${MANY}.${q('Zed')}`);
      });
    });

    afterAll(async () => {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${MANY}`));
    });

    function expectPaired(got: Map<string, CatalogAsset>) {
      expect([...got.keys()].sort()).toEqual([...NAMES, 'Vue'].sort());
      for (const [i, name] of NAMES.entries()) {
        const t = got.get(name)!;
        expect({
          name,
          comment: t.comment,
          fields: t.fields.map((f) => f.name),
          indexes: t.indexes!.map((x) => [x.name, x.columns]),
        }).toEqual({
          name,
          comment: `table ${i}`,
          fields: ['id', `own_${i}`],
          indexes: [
            ['PRIMARY', ['id']],
            [`ix_${i}`, [`own_${i}`]],
          ],
        });
      }
      expect(got.get('abc')!.keys).toContainEqual(
        expect.objectContaining({
          name: 'fk_abc',
          columns: ['own_1'],
          references: { namespace: MANY, table: 'Abc', columns: ['id'] },
        }),
      );
      expect(got.get('ábc')!.keys).toContainEqual(
        expect.objectContaining({
          name: 'fk_accent',
          columns: ['own_3'],
          references: { namespace: MANY, table: 'abc', columns: ['id'] },
        }),
      );
      expect(got.get('Abc')!.keys!.filter((k) => k.type === 'foreign')).toEqual([]);
      expect(got.get('Vue')).toMatchObject({ kind: 'view', fields: [expect.objectContaining({ name: 'id' })] });
    }

    it('pairs every table with its own columns, indexes and keys whatever the case or script of its name', async () => {
      const got = assetsOf(await collectAll(connector, scope()));
      expectPaired(got);
      const plain = createMysqlConnector(CONFIG, context, { innodbDictionary: false });
      const chunked = createMysqlConnector({ ...CONFIG, max_conns: 3 }, context, { chunkSize: 7 });
      try {
        for (const other of [plain, chunked]) {
          const again = assetsOf(await collectAll(other, scope()));
          for (const name of NAMES) expect({ name, asset: again.get(name) }).toEqual({ name, asset: got.get(name) });
        }
      } finally {
        await plain.close();
        await chunked.close();
      }
    });

    it('sends as many statements for 132 tables as for 10', async () => {
      // What each catalog statement reads, scope conditions aside.
      const reads = (sql: string) => [...sql.matchAll(/information_schema\.(\w+)/g)].map((m) => m[1]).join('+');
      const statementsFor = async (includeTables: string[] | undefined, innodbDictionary: boolean) => {
        const sent: string[] = [];
        const c = createMysqlConnector(CONFIG, context, {
          chunkSize: 10,
          innodbDictionary,
          onQuery: (sql) => sent.push(sql),
        });
        try {
          const n = (await collectAll(c, scope(includeTables))).flatMap((b) => b.assets).length;
          return { n, catalog: sent.filter((s) => !/^SET SESSION|^SELECT VERSION|LIMIT 1$/.test(s)) };
        } finally {
          await c.close();
        }
      };
      for (const dictionary of [true, false]) {
        const small = await statementsFor(['t00*'], dictionary);
        const large = await statementsFor(undefined, dictionary);
        expect([small.n, large.n]).toEqual([10, NAMES.length + 1]);
        // schemata, where the 4 ranges of tables start and the tables range by range (storage facts open
        // every table: the server opens the next range's while this one is read), columns, views,
        // the dictionary's indexes and foreign keys or information_schema's three, CHECK constraints,
        // partitions, column statistics, routines, their parameters and triggers, and the views' definitions for lineage.
        expect(small.catalog).toHaveLength(1 + 1 + 4 + 2 + (dictionary ? 2 : 3) + 6 + 1);
        // The dictionary stores 5 of the large scope's names encoded: their keys are read by name, one statement per kind.
        const byName = (s: string) => s.includes(' TABLE_NAME IN (?)');
        expect(
          large.catalog
            .filter((s) => !byName(s))
            .map(reads)
            .sort(),
        ).toEqual(small.catalog.map(reads).sort());
        expect(large.catalog.filter(byName).map(reads)).toEqual(
          dictionary ? ['STATISTICS', 'KEY_COLUMN_USAGE', 'REFERENTIAL_CONSTRAINTS'] : [],
        );
      }
    });

    it('stops every statement on the server and gives the connections back when the run is cancelled', async () => {
      const controller = new AbortController();
      const c = mysqlConnector.create(CONFIG, context);
      try {
        const read: string[] = [];
        await expect(
          (async () => {
            for await (const batch of c.collect({ ...scope(), batchSize: 5, signal: controller.signal })) {
              read.push(...batch.assets.map((a) => a.name));
              if (read.length >= 10) controller.abort();
            }
          })(),
        ).rejects.toMatchObject({ code: 'CANCELLED' });
        expect(read.length).toBeLessThan(NAMES.length);
        await new Promise((r) => setTimeout(r, 300));
        const [{ n }] = await rows(
          `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE '%${MANY}%' AND INFO NOT LIKE '%PROCESSLIST%'`,
        );
        expect(Number(n)).toBe(0);
        // The pool still serves the next run.
        expect(assetsOf(await collectAll(c, scope(['t01*']))).size).toBe(10);
      } finally {
        await c.close();
      }
    });
  });

  describe('scope', () => {
    it('applies include and exclude globs in the query, literally for LIKE wildcards', async () => {
      const excluded = assetsOf(
        await collectAll(connector, options({ scope: { includeSchemas: [DB], excludeTables: ['temp_*', '*_view'] } })),
      );
      expect([...excluded.keys()].sort()).toEqual(ALL.filter((n) => n !== 'temp_skip' && n !== 'slow_view'));
      const included = assetsOf(
        await collectAll(
          connector,
          options({ scope: { includeSchemas: [DB], includeTables: ['cust*', 'big_?rders'] } }),
        ),
      );
      expect([...included.keys()].sort()).toEqual(['big_orders', 'customers']);
      const literal = await collectAll(
        connector,
        options({ scope: { includeSchemas: [DB], includeTables: ['temp%'] } }),
      );
      expect(literal.flatMap((b) => b.assets)).toHaveLength(0);
    });

    it('leaves system databases out unless named exactly, and narrows to the configured database', async () => {
      const everything = await collectAll(connector, options({ scope: { includeTables: ['no_such_table_*'] } }));
      const names = everything[0].namespaces!.map((n) => n.name);
      expect(names).toContain(DB);
      expect(names).not.toEqual(expect.arrayContaining(['mysql']));
      expect(names.some((n) => ['information_schema', 'performance_schema', 'sys', 'mysql'].includes(n))).toBe(false);
      const named = await collectAll(
        connector,
        options({ scope: { includeSchemas: ['mysql'], includeTables: ['db'] } }),
      );
      expect(named[0].namespaces!.map((n) => n.name)).toEqual(['mysql']);
      const configured = mysqlConnector.create({ ...CONFIG, database: DB }, context);
      try {
        const got = await collectAll(configured, options({ scope: {} }));
        expect(got[0].namespaces!.map((n) => n.name)).toEqual([DB]);
      } finally {
        await configured.close();
      }
    });
  });

  describe('incremental', () => {
    async function signalsNow(): Promise<Map<string, string>> {
      const all = (await collectAll(connector, options())).flatMap((b) => b.assets);
      return new Map(all.map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));
    }

    async function rerun(previous: Map<string, string>) {
      const batches = await collectAll(connector, options({ mode: 'incremental', previousSignals: previous }));
      return {
        read: batches.flatMap((b) => b.assets),
        unchanged: batches
          .flatMap((b) => b.unchanged ?? [])
          .map((r) => r.name)
          .sort(),
      };
    }

    it('re-reads nothing when only data changed', async () => {
      const previous = await signalsNow();
      await admin((c) => c.query(`INSERT INTO ${DB}.customers (email) VALUES ('late@example.com')`));
      const { read, unchanged } = await rerun(previous);
      expect(read).toEqual([]);
      expect(unchanged).toEqual(ALL);
    });

    it.each([
      ['a column added', 'orders', `ALTER TABLE ${DB}.orders ADD COLUMN shipped TINYINT(1) NOT NULL DEFAULT 0`],
      [
        'a column comment changed',
        'customers',
        `ALTER TABLE ${DB}.customers MODIFY name VARCHAR(80) NULL COMMENT 'Full name'`,
      ],
      ['a column type altered', 'temp_skip', `ALTER TABLE ${DB}.temp_skip MODIFY x BIGINT`],
      ['a column dropped', 'legacy', `ALTER TABLE ${DB}.legacy DROP COLUMN label`],
      ['a table comment changed', 'docs', `ALTER TABLE ${DB}.docs COMMENT = 'documents'`],
      ['an index added', 'customers', `CREATE INDEX customers_balance_ix ON ${DB}.customers (balance)`],
      [
        'a foreign key added on an indexed column',
        'temp_skip',
        `ALTER TABLE ${DB}.temp_skip ADD CONSTRAINT temp_fk FOREIGN KEY (cust) REFERENCES ${DB}.customers (id)`,
      ],
      [
        'a view redefined',
        'big_orders',
        `CREATE OR REPLACE VIEW ${DB}.big_orders AS SELECT id, amount FROM ${DB}.orders WHERE amount > 200`,
      ],
    ])('re-reads only the table with %s', async (_what, table, ddl) => {
      const previous = await signalsNow();
      await admin((c) => c.query(ddl));
      const { read, unchanged } = await rerun(previous);
      expect(read.map((a) => a.name)).toEqual([table]);
      expect(unchanged).toEqual(ALL.filter((n) => n !== table));
      expect(read[0].changeSignal).not.toBe(previous.get(assetKey(DB, table)));
      if (read[0].kind === 'table') expect(read[0].statistics).toBeDefined();
    });
  });

  describe('profile', () => {
    const target = () => ({
      namespace: DB,
      name: 'customers',
      fields: [
        { name: 'id', dataType: 'int(11)' },
        { name: 'name', dataType: 'varchar(80)' },
        { name: 'balance', dataType: 'decimal(12,2)' },
        { name: 'country', dataType: 'char(2)' },
        { name: 'created_at', dataType: 'timestamp' },
        { name: 'password_hash', dataType: 'char(32)' },
      ],
    });

    it('computes per-column metrics equal to ones computed independently', async () => {
      const profile = await connector.profile(target(), {
        sampleRows: 10_000,
        topValues: true,
        topN: 2,
        signal: new AbortController().signal,
      });
      const [e] =
        await rows(`SELECT COUNT(*) AS n, COUNT(name) AS names, COUNT(DISTINCT name) AS dn, MIN(balance) AS minb, MAX(balance) AS maxb,
          AVG(balance) AS meanb, STDDEV_SAMP(balance) AS sdb, MIN(CHAR_LENGTH(name)) AS minlen, MAX(CHAR_LENGTH(name)) AS maxlen,
          AVG(CHAR_LENGTH(name)) AS avglen, MIN(name) AS minname, MAX(name) AS maxname, COUNT(DISTINCT password_hash) AS dpw
        FROM ${DB}.customers`);
      const tops = await rows(
        `SELECT country AS value, COUNT(*) AS count FROM ${DB}.customers GROUP BY country ORDER BY COUNT(*) DESC, country LIMIT 2`,
      );
      const n = Number(e.n);
      expect(profile).toMatchObject({ row_count: n, sampled: false });
      const col = new Map(profile.columns.map((c) => [c.name, c]));
      expect(col.get('name')).toMatchObject({
        null_count: n - Number(e.names),
        distinct_count: Number(e.dn),
        distinct_ratio: Number(e.dn) / Number(e.names),
        min: e.minname,
        max: e.maxname,
        min_length: Number(e.minlen),
        max_length: Number(e.maxlen),
      });
      expect(col.get('name')!.avg_length).toBeCloseTo(Number(e.avglen), 4);
      expect(col.get('balance')).toMatchObject({ null_count: 0, min: Number(e.minb), max: Number(e.maxb) });
      expect(col.get('balance')!.mean).toBeCloseTo(Number(e.meanb), 4);
      expect(col.get('balance')!.stddev).toBeCloseTo(Number(e.sdb), 4);
      expect(col.get('id')).toMatchObject({ distinct_count: n, distinct_ratio: 1 });
      expect(col.get('country')!.top_values).toEqual(tops.map((t) => ({ value: t.value, count: Number(t.count) })));
      expect(typeof col.get('created_at')!.min).toBe('string');
      const secret = col.get('password_hash')!;
      expect(secret.distinct_count).toBe(Number(e.dpw));
      expect(secret.top_values).toBeUndefined();
      expect(secret.min).toBeUndefined();
    });

    it('samples a table larger than sampleRows and says so', async () => {
      const profile = await connector.profile(
        { namespace: DB, name: 'orders', fields: [{ name: 'amount', dataType: 'decimal(10,2)' }] },
        { sampleRows: 1000, topValues: false, topN: 0, signal: new AbortController().signal },
      );
      const [{ TABLE_ROWS }] = await rows(
        `SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${DB}' AND TABLE_NAME = 'orders'`,
      );
      expect(profile).toMatchObject({
        sampled: true,
        sample_rows: 1000,
        row_count: Math.max(Number(TABLE_ROWS), 1000),
      });
      expect(profile.columns[0]).toMatchObject({ null_count: 0, distinct_count: 1000 });
    });

    it('kills the statement on the server when the signal fires', async () => {
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 300);
      await expect(
        connector.profile(
          { namespace: DB, name: 'slow_view', fields: [{ name: 'one', dataType: 'int' }] },
          { sampleRows: 10, topValues: false, topN: 0, signal: controller.signal },
        ),
      ).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(Date.now() - started).toBeLessThan(5000);
      await new Promise((r) => setTimeout(r, 500));
      const [{ n }] = await rows(
        `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE '%slow_view%' AND INFO NOT LIKE '%PROCESSLIST%'`,
      );
      expect(Number(n)).toBe(0);
    });

    it('stops a statement at the source timeout', async () => {
      const quick = mysqlConnector.create({ ...CONFIG, timeout: 1 }, context);
      try {
        await expect(
          quick.profile(
            { namespace: DB, name: 'slow_view', fields: [{ name: 'one', dataType: 'int' }] },
            { sampleRows: 10, topValues: false, topN: 0, signal: new AbortController().signal },
          ),
        ).rejects.toMatchObject({ code: 'TIMEOUT' });
      } finally {
        await quick.close();
      }
    });
  });

  describe('test connection', () => {
    const run = (config: ConnectorConfig) => {
      const c = mysqlConnector.create(config, context);
      return c.test(new AbortController().signal).finally(() => c.close());
    };

    it('reports every step, the server version and what the account sees', async () => {
      const [{ v }] = await rows('SELECT VERSION() AS v');
      const version = /^[\d.]+/.exec(String(v))![0];
      const result = await run(CONFIG);
      expect(result).toMatchObject({
        success: true,
        message: 'Connection successful',
        server_info: `MariaDB ${version}`,
        version,
      });
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['authenticate', true],
        ['catalog', true],
      ]);
      expect(result.steps[3].message).toMatch(/^\d+ databases, \d+ tables visible$/);
    });

    it('fails at authenticate with a hint on a wrong password', async () => {
      const result = await run({ ...CONFIG, password: 'definitely-wrong' });
      expect(result).toMatchObject({ success: false, error_code: 'AUTH_FAILED' });
      expect(result.message).toMatch(/Access denied/);
      expect(result.details).toMatch(/wrong user name or password/);
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['authenticate', false],
      ]);
    });

    it('fails at authenticate with PERMISSION_DENIED for a database the account may not use', async () => {
      await admin(async (c) =>
        c.query(`CREATE USER IF NOT EXISTS '${LIMITED_USER}'@'127.0.0.1' IDENTIFIED BY 'pw-${SUFFIX}'`),
      );
      const result = await run({ ...CONFIG, username: LIMITED_USER, password: `pw-${SUFFIX}`, database: 'mysql' });
      expect(result).toMatchObject({ success: false, error_code: 'PERMISSION_DENIED' });
      expect(result.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });
    });

    it('fails at tcp when nothing listens on the port', async () => {
      const free = await new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const p = (server.address() as { port: number }).port;
          server.close(() => resolve(p));
        });
      });
      const result = await run({ ...CONFIG, port: free });
      expect(result).toMatchObject({ success: false, error_code: 'UNREACHABLE' });
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', false],
      ]);
    });

    it('fails at resolve when the host is unknown', async () => {
      const result = await run({ ...CONFIG, host: 'no-such-host.invalid' });
      expect(result).toMatchObject({ success: false, error_code: 'UNREACHABLE' });
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([['resolve', false]]);
    });

    it('fails at authenticate with TLS when TLS is asked of a server that does not offer it', async () => {
      const [{ Value }] = await rows("SHOW VARIABLES LIKE 'have_ssl'");
      const result = await run({ ...CONFIG, ssl: true });
      if (Value === 'YES') {
        expect(result.success).toBe(true);
      } else {
        expect(result).toMatchObject({ success: false, error_code: 'TLS' });
        expect(result.details).toMatch(/TLS/);
        expect(result.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });
      }
    });
  });
});
