/**
 * The streamed read at the driver boundary: mysql2 is replaced by a stand-in whose statements
 * answer with object-mode streams the test feeds, stalls or ends. The real server is in
 * test/mysql.it-spec.ts.
 */
import { Readable } from 'node:stream';
import type { PoolOptions } from 'mysql2';
import { CatalogBatch, Connector } from '../core/types';
import { createMysqlConnector } from './mysql.connector';
import { MysqlDriver, Row, SqlConnection } from './session';
import { compareNames } from './table-cursor';

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
    if (sql.includes('information_schema.SCHEMATA'))
      return [{ name: 'shop', charset: 'utf8mb4', collation: 'utf8mb4_general_ci' }];
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
        .filter(
          (name) =>
            (from === undefined || compareNames(name, from) >= 0) &&
            (before === undefined || compareNames(name, before) < 0),
        )
        .map((name) => ({
          name,
          type: 'BASE TABLE',
          engine: 'InnoDB',
          collation: 'utf8mb4_general_ci',
          comment: '',
          ...(sql.includes('ROW_FORMAT') ? { table_rows: '7', data_length: '16384', index_length: '0' } : {}),
        }));
    }
    if (sql.includes('information_schema.COLUMNS'))
      return named.flatMap((t) =>
        [1, 2].map((ordinal) => ({
          table_name: t,
          name: `c${ordinal}`,
          ordinal,
          nullable: 'YES',
          data_type: 'int(11)',
          column_key: '',
          extra: '',
          comment: '',
        })),
      );
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
        const stallAt = sql.includes('information_schema.COLUMNS') ? (options.stallColumnsAfter ?? Infinity) : Infinity;
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
  for await (const b of connector.collect({ mode, scope: {}, batchSize: 100, signal: new AbortController().signal }))
    batches.push(b);
  return batches;
}

describe('streamed collection at the driver boundary', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `t${String(i).padStart(5, '0')}`);

  it('sends the same statements for 3 tables as for 3,000, and gives every connection back', async () => {
    const runs = [];
    for (const n of [3, 3000]) {
      const server = streamingServer(names(n));
      const connector = createMysqlConnector({ host: 'db', timeout: 5 }, context, {
        driver: server.driver,
        innodbDictionary: false,
        chunkSize: 100,
      });
      const assets = (await collect(connector)).flatMap((b) => b.assets);
      expect(assets).toHaveLength(n);
      expect(assets[n - 1].fields.map((f) => f.name)).toEqual(['c1', 'c2']);
      runs.push(server.sent.filter((s) => !s.startsWith('SET SESSION')));
      expect(server.connections.every((c) => c.released > 0 && !c.destroyed)).toBe(true);
      await connector.close();
    }
    expect(runs[1]).toEqual(runs[0]);
    // version, schemata, then tables, columns, views, statistics, foreign-key columns and rules,
    // CHECK constraints, partitions, routines, parameters and triggers (schema-only runs read no column statistics),
    // and the views' definitions with their columns for lineage.
    expect(runs[0]).toHaveLength(8 + 5 + 1);
  });

  it("reads a full run's tables, whose storage facts open every table on MariaDB, in 4 ranges one after another", async () => {
    const runs = [];
    for (const n of [40, 1000]) {
      const server = streamingServer(names(n));
      const connector = createMysqlConnector({ host: 'db' }, context, {
        driver: server.driver,
        innodbDictionary: false,
      });
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
    const connector = createMysqlConnector({ host: 'db', timeout: 0.2 }, context, {
      driver: server.driver,
      innodbDictionary: false,
    });
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
    const connector = createMysqlConnector({ host: 'db', max_conns: 3 }, context, {
      driver: server.driver,
      innodbDictionary: false,
      chunkSize: 10,
    });
    const assets = (await collect(connector)).flatMap((b) => b.assets);
    expect(assets.map((a) => a.name)).toEqual(tables);
    expect(assets.every((a) => a.fields.length === 2)).toBe(true);
    // The columns statements (the views' lineage reads COLUMNS inside its VIEWS statement).
    const columns = server.sent.filter(
      (s) => s.includes('information_schema.COLUMNS') && !s.includes('information_schema.VIEWS'),
    );
    expect(columns).toHaveLength(3);
    expect(columns.every((s) => s.includes('TABLE_NAME IN (?)') && !s.startsWith('SET STATEMENT'))).toBe(true);
    await connector.close();
  });
});
