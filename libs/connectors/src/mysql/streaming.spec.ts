/**
 * The streamed read at the driver boundary: mysql2 is replaced by a stand-in whose statements
 * answer with object-mode streams the test feeds, stalls or ends. The real server is in
 * test/mysql.it-spec.ts.
 */
import { Readable } from 'node:stream';
import type { PoolOptions } from 'mysql2';
import { CatalogBatch, Connector } from '../core/types';
import { byNameBytes, rangeStartsStatement, tablesStatement } from './catalog-sql';
import { streamedStatementText } from './flavor';
import { createMysqlConnector } from '.';
import { rowsAsStream, rowsInSequence, RowStream, StreamedRows, StreamOutcome } from './row-stream';
import { MysqlDriver, Row, SqlConnection } from './session';
import { compareNames, TableCursor } from './table-cursor';

/** An object-mode stream the test pushes rows into; counts what the reader pulled. */
function rowSource(highWaterMark = 4) {
  const readable = new Readable({ objectMode: true, highWaterMark, read: () => undefined });
  return readable;
}

function streamed(readable: Readable, waitMs = 1000, signal = new AbortController().signal, firstMs = waitMs) {
  const outcomes: StreamOutcome[] = [];
  return { rows: new StreamedRows(readable, { firstMs, nextMs: waitMs }, signal, (o) => outcomes.push(o)), outcomes };
}

describe('table names in the order the server sorts them', () => {
  it('orders by code point, as MariaDB orders CAST(name AS BINARY), not as UTF-16 or a case-insensitive collation', () => {
    const names = ['abc', 'Abc', 'ábc', 'ABC_2', '_x', 'Zed', 'zeta', 'b-1', 'a b', '日本', 'Ωmega', '\u{1F600}x', '\uFF21', 't001', 't0010'];
    const byBytes = [...names].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
    expect([...names].sort(compareNames)).toEqual(byBytes);
    // UTF-16 order puts the emoji (a surrogate pair) before U+FF21; bytes put it after.
    expect([...names].sort()).not.toEqual(byBytes);
  });

  it('sorts names by their bytes in SQL, except on Doris which compares bytes already', () => {
    expect(byNameBytes('TABLE_NAME', 'mariadb')).toBe('CAST(TABLE_NAME AS BINARY)');
    expect(byNameBytes('TABLE_NAME', 'doris')).toBe('TABLE_NAME');
    const chunk = tablesStatement('sales', { names: ['Abc', 'abc'] }, 'mysql', false);
    expect(chunk.sql).toMatch(/TABLE_NAME IN \(\?\)\s+ORDER BY CAST\(TABLE_NAME AS BINARY\)$/);
    expect(chunk.values).toEqual(['sales', ['Abc', 'abc']]);
    const ranged = tablesStatement('sales', { include: ['a*'], range: { from: 'b', before: 'ó' } }, 'mariadb', true);
    expect(ranged.sql).toContain('AND CAST(TABLE_NAME AS BINARY) >= CAST(CONVERT(? USING utf8mb4) AS BINARY) AND CAST(TABLE_NAME AS BINARY) < CAST(CONVERT(? USING utf8mb4) AS BINARY)');
    expect(ranged.values).toEqual(['sales', 'a%', 'b', 'ó']);
    const starts = rangeStartsStatement('sales', { exclude: ['tmp_*'] }, 'mariadb', 4);
    expect(starts.sql).toContain('ROW_NUMBER() OVER (ORDER BY CAST(TABLE_NAME AS BINARY))');
    expect(starts.values).toEqual(['sales', 'tmp\\_%', 4]);
    const whole = tablesStatement('sales', { exclude: ['tmp_*'] }, 'mariadb', true);
    expect(whole.sql).toMatch(/NOT \(TABLE_NAME LIKE \?\)\s+ORDER BY CAST\(TABLE_NAME AS BINARY\)$/);
    expect(whole.sql).toContain('TABLE_ROWS AS table_rows');
  });

  it('lifts the per-statement limit of streamed statements, flavor by flavor', () => {
    const statement = { sql: 'SELECT 1 FROM t', values: [], settings: ["optimizer_switch = 'derived_merge=off'"] };
    expect(streamedStatementText('mariadb', statement)).toBe("SET STATEMENT max_statement_time = 0, net_write_timeout = 86400, optimizer_switch = 'derived_merge=off' FOR SELECT 1 FROM t");
    expect(streamedStatementText('mysql', statement)).toBe('SELECT /*+ MAX_EXECUTION_TIME(86400000) */ 1 FROM t');
    expect(streamedStatementText('doris', statement)).toBe('SELECT /*+ SET_VAR(query_timeout = 86400) */ 1 FROM t');
  });
});

describe('merge join cursor', () => {
  it('takes each table its rows, passes over rows of tables never asked for, across reads', async () => {
    const rows = ['Abc', 'Abc', 'Gone', 'abc', 'ábc', 'ábc', '日本'].map((table, i) => ({ table, i }));
    const parts = [rows.slice(0, 2), rows.slice(2, 5), rows.slice(5)];
    const source = { next: async () => parts.shift(), drain: async () => undefined, close: () => undefined };
    const cursor = new TableCursor(source, (r: Row) => String(r.table));
    const take = async (t: string) => (await cursor.take(t)).map((r) => r.i);
    expect(await take('Abc')).toEqual([0, 1]);
    expect(await take('ABC')).toEqual([]);
    expect(await take('abc')).toEqual([3]);
    expect(await take('ábc')).toEqual([4, 5]);
    expect(await take('zzz')).toEqual([]);
    expect(await take('日本')).toEqual([6]);
    expect(await take('日本語')).toEqual([]);
  });
});

describe('streamed rows', () => {
  it('hands over what is buffered and leaves the rest to back-pressure', async () => {
    const readable = rowSource(4);
    const { rows, outcomes } = streamed(readable);
    for (let i = 0; i < 10; i++) readable.push({ i });
    // The source is over its high-water mark: a real driver pauses its socket here.
    expect(readable.push({ i: 10 })).toBe(false);
    expect((await rows.next())!.map((r) => r.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    setTimeout(() => {
      readable.push({ i: 11 });
      readable.push(null);
    }, 20);
    expect((await rows.next())!.map((r) => r.i)).toEqual([11]);
    expect(await rows.next()).toBeUndefined();
    expect(outcomes).toEqual([{ kind: 'ended' }]);
  });

  it('bounds each wait for rows, not the stream as a whole', async () => {
    const readable = rowSource();
    const { rows, outcomes } = streamed(readable, 150);
    let sent = 0;
    const feed = setInterval(() => readable.push({ i: sent++ }), 50);
    let got = 0;
    const started = Date.now();
    while (Date.now() - started < 500) got += (await rows.next())!.length;
    clearInterval(feed);
    expect(got).toBeGreaterThan(3);
    await expect(rows.next().then(() => rows.next()).then(() => rows.next())).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(outcomes).toEqual([{ kind: 'stopped' }]);
    expect(readable.destroyed).toBe(true);
  });

  it('waits longer for the first rows, which come once the server has gathered them all, than for the next', async () => {
    const readable = rowSource();
    const { rows } = streamed(readable, 100, undefined, 1000);
    setTimeout(() => readable.push({ i: 0 }), 300);
    expect(await rows.next()).toEqual([{ i: 0 }]);
    const started = Date.now();
    await expect(rows.next()).rejects.toMatchObject({ code: 'TIMEOUT', message: 'No rows arrived within 100 ms' });
    expect(Date.now() - started).toBeLessThan(900);

    const silent = streamed(rowSource(), 100, undefined, 400);
    await expect(silent.rows.next()).rejects.toMatchObject({ code: 'TIMEOUT', message: 'No rows arrived within 400 ms' });
  });

  it('stops on abort and reports server errors as connector errors', async () => {
    const controller = new AbortController();
    const stalled = streamed(rowSource(), 10_000, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await expect(stalled.rows.next()).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(stalled.outcomes).toEqual([{ kind: 'stopped' }]);

    const failing = rowSource();
    const broken = streamed(failing);
    setTimeout(() => failing.destroy(Object.assign(new Error('Query execution was interrupted (max_statement_time exceeded)'), { errno: 1969 })), 10);
    await expect(broken.rows.next()).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(broken.outcomes.map((o) => o.kind)).toEqual(['failed']);
  });

  it('reads statements in sequence, sending the next as rows of the current arrive, and closes them all', async () => {
    const events: string[] = [];
    const part = (k: number): (() => Promise<RowStream>) => async () => {
      events.push(`open ${k}`);
      const rows = [[{ k, i: 0 }], [{ k, i: 1 }]];
      return { next: async () => rows.shift(), drain: async () => undefined, close: () => void events.push(`close ${k}`) };
    };
    const sequence = rowsInSequence([part(0), part(1), part(2)]);
    const seen: string[] = [];
    for (let rows = await sequence.next(); rows; rows = await sequence.next()) seen.push(...rows.map((r) => `${r.k}.${r.i}`));
    expect(seen).toEqual(['0.0', '0.1', '1.0', '1.1', '2.0', '2.1']);
    expect(events).toEqual(['open 0', 'open 1', 'open 2']);
    sequence.close();
    await new Promise((r) => setImmediate(r));
    expect(events.slice(3)).toEqual(['close 0', 'close 1', 'close 2']);
  });

  it('reads rows already read whole as one part', async () => {
    const whole = rowsAsStream([{ a: 1 }, { a: 2 }]);
    expect(await whole.next()).toEqual([{ a: 1 }, { a: 2 }]);
    expect(await whole.next()).toBeUndefined();
    expect(await rowsAsStream([]).next()).toBeUndefined();
  });
});

/** A MariaDB stand-in whose catalog statements stream; COLUMNS can be told to stall after some rows. */
function streamingServer(tables: string[], options: { stallColumnsAfter?: number } = {}) {
  const sent: string[] = [];
  const killed: unknown[] = [];
  const connections: Array<{ threadId: number; released: number; destroyed: boolean }> = [];
  let thread = 10;
  const answer = (sql: string, values: unknown[] = []): Row[] => {
    // A chunk's statement names its tables (matched ignoring case, as information_schema does); a whole-database one reads them all.
    const asked = Array.isArray(values[1]) ? (values[1] as string[]).map((t) => t.toLowerCase()) : undefined;
    const named = asked ? tables.filter((t) => asked.includes(t.toLowerCase())) : tables;
    if (sql.startsWith('SELECT VERSION()')) return [{ version: '10.11.6-MariaDB', comment: 'test' }];
    if (sql.includes('information_schema.SCHEMATA')) return [{ name: 'shop', charset: 'utf8mb4', collation: 'utf8mb4_general_ci' }];
    if (sql.includes('AS name FROM information_schema.TABLES')) return named.map((name) => ({ name }));
    if (sql.includes('ROW_NUMBER()')) {
      const size = Math.ceil(tables.length / Number(values.at(-1)));
      return tables.filter((_, i) => i > 0 && i % size === 0).map((name) => ({ name }));
    }
    if (sql.includes('TABLE_TYPE AS type')) {
      // A range's bounds follow the schema, as the statement names them.
      const bounds = values.slice(1);
      const from = sql.includes('>= CAST(CONVERT') ? (bounds.shift() as string) : undefined;
      const before = sql.includes('< CAST(CONVERT') ? (bounds.shift() as string) : undefined;
      return named
        .filter((name) => (from === undefined || compareNames(name, from) >= 0) && (before === undefined || compareNames(name, before) < 0))
        .map((name) => ({ name, type: 'BASE TABLE', engine: 'InnoDB', collation: 'utf8mb4_general_ci', comment: '', ...(sql.includes('ROW_FORMAT') ? { table_rows: '7', data_length: '16384', index_length: '0' } : {}) }));
    }
    if (sql.includes('information_schema.COLUMNS'))
      return named.flatMap((t) => [1, 2].map((ordinal) => ({ table_name: t, name: `c${ordinal}`, ordinal, nullable: 'YES', data_type: 'int(11)', column_key: '', extra: '', comment: '' })));
    return [];
  };
  const connection = (): SqlConnection & { end(): Promise<void> } => {
    const state = { threadId: ++thread, released: 0, destroyed: false };
    connections.push(state);
    return {
      threadId: state.threadId,
      async query({ sql, values }) {
        sent.push(sql);
        if (sql.startsWith('KILL QUERY')) killed.push(values?.[0]);
        return [answer(sql, values), []];
      },
      stream({ sql, values }, highWaterMark) {
        sent.push(sql);
        const rows = answer(sql, values);
        const stallAt = sql.includes('information_schema.COLUMNS') ? options.stallColumnsAfter ?? Infinity : Infinity;
        let next = 0;
        return new Readable({
          objectMode: true,
          highWaterMark,
          read() {
            if (next === stallAt) return;
            if (next < rows.length) this.push(rows[next++]);
            else this.push(null);
          },
        });
      },
      release: () => void state.released++,
      destroy: () => void (state.destroyed = true),
      end: async () => undefined,
    };
  };
  const driver: MysqlDriver = {
    createPool: (_options: PoolOptions) => ({ getConnection: async () => connection(), end: async () => undefined }),
    connect: async () => connection(),
  };
  return { driver, sent, killed, connections };
}

const context = { guardAddress: async () => ['10.0.0.7'] };

async function collect(connector: Connector, mode: 'full' | 'schema_only' = 'schema_only'): Promise<CatalogBatch[]> {
  const batches: CatalogBatch[] = [];
  for await (const b of connector.collect({ mode, scope: {}, batchSize: 100, signal: new AbortController().signal })) batches.push(b);
  return batches;
}

describe('streamed collection at the driver boundary', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `t${String(i).padStart(5, '0')}`);

  it('sends the same statements for 3 tables as for 3,000, and gives every connection back', async () => {
    const runs = [];
    for (const n of [3, 3000]) {
      const server = streamingServer(names(n));
      const connector = createMysqlConnector({ host: 'db', timeout: 5 }, context, { driver: server.driver, innodbDictionary: false, chunkSize: 100 });
      const assets = (await collect(connector)).flatMap((b) => b.assets);
      expect(assets).toHaveLength(n);
      expect(assets[n - 1].fields.map((f) => f.name)).toEqual(['c1', 'c2']);
      runs.push(server.sent.filter((s) => !s.startsWith('SET SESSION')));
      expect(server.connections.every((c) => c.released > 0 && !c.destroyed)).toBe(true);
      await connector.close();
    }
    expect(runs[1]).toEqual(runs[0]);
    // version, schemata, then tables, columns, views, statistics, foreign-key columns and rules.
    expect(runs[0]).toHaveLength(8);
  });

  it("reads a full run's tables, whose storage facts open every table on MariaDB, in 4 ranges one after another", async () => {
    const runs = [];
    for (const n of [40, 1000]) {
      const server = streamingServer(names(n));
      const connector = createMysqlConnector({ host: 'db' }, context, { driver: server.driver, innodbDictionary: false });
      const assets = (await collect(connector, 'full')).flatMap((b) => b.assets);
      expect(assets.map((a) => a.name)).toEqual(names(n));
      expect(assets.every((a) => a.statistics?.rows === 7)).toBe(true);
      const tables = server.sent.filter((s) => s.includes('TABLE_TYPE AS type'));
      expect(tables).toHaveLength(4);
      runs.push(server.sent.filter((s) => !s.startsWith('SET SESSION')));
      await connector.close();
    }
    expect(runs[1]).toEqual(runs[0]);
  });

  it('times out a stream that stops sending, then stops every statement and drops their connections', async () => {
    const server = streamingServer(names(500), { stallColumnsAfter: 700 });
    const connector = createMysqlConnector({ host: 'db', timeout: 0.2 }, context, { driver: server.driver, innodbDictionary: false });
    const started = Date.now();
    await expect(collect(connector)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 20));
    const streams = server.connections.filter((c) => c.destroyed);
    // Streams not read to their end (tables, the stalled columns, views) were killed on the server
    // and their connections dropped rather than reused; those that ended went back to the pool.
    expect(streams).toHaveLength(3);
    expect(server.killed.sort()).toEqual(streams.map((c) => c.threadId).sort());
    await connector.close();
  });

  it('reads chunk after chunk when the pool cannot hold a connection per stream, keeping each chunk to its own names', async () => {
    // T00005 and t00005 fall in different chunks; the server matches either for both.
    const tables = [...names(25), 'T00005'].sort(compareNames);
    const server = streamingServer(tables);
    const connector = createMysqlConnector({ host: 'db', max_conns: 3 }, context, { driver: server.driver, innodbDictionary: false, chunkSize: 10 });
    const assets = (await collect(connector)).flatMap((b) => b.assets);
    expect(assets.map((a) => a.name)).toEqual(tables);
    expect(assets.every((a) => a.fields.length === 2)).toBe(true);
    const columns = server.sent.filter((s) => s.includes('information_schema.COLUMNS'));
    expect(columns).toHaveLength(3);
    expect(columns.every((s) => s.includes('TABLE_NAME IN (?)') && !s.startsWith('SET STATEMENT'))).toBe(true);
    await connector.close();
  });
});
