import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';

/*
 * Sequences, routines, triggers, user-defined types, partitions and column statistics collected
 * by a task from a real PostgreSQL source and read back over REST, compared with the server's
 * own catalog.
 */
const { host, port } = SERVER_ENDPOINTS.postgres;
const S = `obj_e2e_${randomBytes(4).toString('hex')}`;

const FIXTURE = `
CREATE SCHEMA ${S};
CREATE TYPE ${S}.status AS ENUM ('new', 'paid', 'shipped');
CREATE DOMAIN ${S}.cents AS bigint DEFAULT 0 CHECK (VALUE >= 0);
CREATE TABLE ${S}.orders (id serial, status ${S}.status NOT NULL DEFAULT 'new', total ${S}.cents,
  api_token text, placed date NOT NULL, PRIMARY KEY (id, placed)) PARTITION BY RANGE (placed);
CREATE TABLE ${S}.orders_2024 PARTITION OF ${S}.orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE ${S}.orders_2025 PARTITION OF ${S}.orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE FUNCTION ${S}.total_of(o integer, tax numeric DEFAULT 0.2) RETURNS numeric LANGUAGE sql STABLE AS 'SELECT 1.0';
CREATE FUNCTION ${S}.stamp() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE PROCEDURE ${S}.ship(IN o integer) LANGUAGE sql AS 'SELECT 1';
CREATE TRIGGER orders_stamp BEFORE UPDATE ON ${S}.orders_2024 FOR EACH ROW EXECUTE FUNCTION ${S}.stamp();
INSERT INTO ${S}.orders (status, total, api_token, placed)
  SELECT (ARRAY['new', 'paid', 'shipped'])[1 + g % 3]::${S}.status, g, md5(g::text), DATE '2024-01-01' + (g % 500)
  FROM generate_series(1, 900) g;
ANALYZE ${S}.orders;
ANALYZE ${S}.orders_2024;
ANALYZE ${S}.orders_2025;
`;

interface RestField {
  name: string;
  ordinal: number;
  data_type: string;
  default: string | null;
  properties: Record<string, unknown> | null;
}
interface RestAsset {
  id: string;
  name: string;
  type: string;
  statistics: { rows: number | null; bytes: number | null };
  properties: Record<string, unknown>;
  fields: RestField[];
  keys: Array<{ name: string; type: string; definition?: string }>;
}

describeE2E('PostgreSQL objects beside tables, collected and read back over REST', () => {
  describeWithServers(['postgres'], 'PostgreSQL source', () => {
    let t: TestApp;
    let client: Client;
    let assets: Map<string, RestAsset>;
    const rows = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];
    const get = (path: string) => t.http.get(`/api/v1${path}`).set(bearer(t.adminToken));
    const asset = (name: string) => {
      const found = assets.get(name);
      if (!found) throw new Error(`${name} is not in the catalog: ${[...assets.keys()].join(', ')}`);
      return found;
    };

    beforeAll(async () => {
      client = new Client({ host, port, user: 'postgres', database: 'test' });
      await client.connect();
      await client.query(FIXTURE);
      t = await bootApp();
      const ds = await t.http
        .post('/api/v1/datasources')
        .set(bearer(t.adminToken))
        .send({ name: `pg-${S}`, type: 'postgresql', config: { host, port, database: 'test', username: 'postgres' } });
      expect(ds.status).toBe(201);
      const task = await t.http
        .post('/api/v1/tasks')
        .set(bearer(t.adminToken))
        .send({
          name: `collect-${S}`,
          datasource_id: ds.body.id,
          type: 'full_collection',
          config: { include_schemas: [S], top_values: true },
        });
      expect(task.status).toBe(201);
      const run = await t.http.post(`/api/v1/tasks/${task.body.id}/execute`).set(bearer(t.adminToken));
      expect(run.status).toBe(202);
      let status = 'pending';
      for (let i = 0; i < 300 && !['completed', 'failed', 'cancelled'].includes(status); i++) {
        await new Promise((r) => setTimeout(r, 200));
        status = (await get(`/tasks/${task.body.id}/executions/${run.body.execution_id}`)).body.status;
      }
      expect(status).toBe('completed');
      const list = await get(`/metadata/assets?datasource_id=${ds.body.id}&page_size=100`);
      expect(list.status).toBe(200);
      assets = new Map();
      for (const a of list.body.assets as Array<{ id: string }>) {
        const detail = (await get(`/metadata/assets/${a.id}`)).body as RestAsset;
        assets.set(detail.name, detail);
      }
    });

    afterAll(async () => {
      await t?.close();
      await client?.query(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
      await client?.end();
    });

    it('lists every object with its kind, as the server catalog has them', async () => {
      const expected = await rows<{ name: string; type: string }>(
        `SELECT c.relname AS name, CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'p' THEN 'partitioned_table' ELSE 'table' END AS type
           FROM pg_class c WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p', 'S')
         UNION ALL SELECT p.proname || '(' || oidvectortypes(p.proargtypes) || ')',
                CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END
           FROM pg_proc p WHERE p.pronamespace = $1::regnamespace
         UNION ALL SELECT r.relname || '.' || g.tgname, 'trigger'
           FROM pg_trigger g JOIN pg_class r ON r.oid = g.tgrelid WHERE r.relnamespace = $1::regnamespace AND NOT g.tgisinternal
         UNION ALL SELECT t.typname, 'user_type' FROM pg_type t WHERE t.typnamespace = $1::regnamespace AND t.typtype IN ('e', 'd')`,
        [S],
      );
      const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      expect([...assets.values()].map((a) => ({ name: a.name, type: a.type })).sort(byName)).toEqual(
        expected.sort(byName),
      );
    });

    it('shows a function’s arguments as fields with types, defaults and modes, and its result and language', async () => {
      const [truth] = await rows<{ args: string; result: string; lang: string }>(
        `SELECT pg_get_function_arguments(p.oid) AS args, pg_get_function_result(p.oid) AS result, l.lanname AS lang
           FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.oid = $1::regprocedure`,
        [`${S}.total_of(integer, numeric)`],
      );
      const fn = asset('total_of(integer, numeric)');
      const rebuilt = fn.fields
        .map((f) => `${f.name} ${f.data_type}${f.default ? ` DEFAULT ${f.default}` : ''}`)
        .join(', ');
      expect(rebuilt).toBe(truth.args);
      expect(fn.fields.map((f) => f.properties?.mode)).toEqual(['IN', 'IN']);
      expect(fn.properties).toMatchObject({ returns: truth.result, language: truth.lang, volatility: 'STABLE' });
      expect(asset('ship(integer)').type).toBe('procedure');
    });

    it('shows enum labels in order, the domain with base type, default and check, and the trigger', async () => {
      const [labels] = await rows<{ labels: string[] }>(`SELECT enum_range(NULL::${S}.status)::text[] AS labels`);
      expect(asset('status').fields.map((f) => f.name)).toEqual(labels.labels);
      const [domain] = await rows<{ base: string; dflt: string; check: string }>(
        `SELECT format_type(t.typbasetype, t.typtypmod) AS base, pg_get_expr(t.typdefaultbin, 0, true) AS dflt,
                pg_get_constraintdef(k.oid, true) AS check
           FROM pg_type t JOIN pg_constraint k ON k.contypid = t.oid WHERE t.oid = $1::regtype`,
        [`${S}.cents`],
      );
      expect(asset('cents').properties).toMatchObject({ base_type: domain.base, default: domain.dflt });
      expect(asset('cents').keys.map((k) => ({ type: k.type, definition: k.definition }))).toEqual([
        { type: 'check', definition: domain.check },
      ]);
      const [trigger] = await rows<{ timing: string; event: string; orientation: string }>(
        `SELECT action_timing AS timing, event_manipulation AS event, action_orientation AS orientation
           FROM information_schema.triggers WHERE trigger_schema = $1 AND trigger_name = 'orders_stamp'`,
        [S],
      );
      expect(asset('orders_2024.orders_stamp').properties).toMatchObject({
        timing: trigger.timing,
        events: [trigger.event],
        level: trigger.orientation,
        function: { namespace: S, name: 'stamp' },
        enabled: true,
      });
    });

    it('shows the sequence with its settings and owner column, and the partitioned parent with its partitions’ totals', async () => {
      const [seq] = await rows<Record<string, string>>(
        `SELECT data_type::text AS data_type, start_value::text AS start, max_value::text AS max
           FROM pg_sequences WHERE schemaname = $1 AND sequencename = 'orders_id_seq'`,
        [S],
      );
      expect(asset('orders_id_seq').properties).toMatchObject({
        ...seq,
        owned_by: { namespace: S, table: 'orders', column: 'id', identity: false },
      });
      const [leaves] = await rows<{ rows: number; bytes: number }>(
        `SELECT sum(c.reltuples)::float8 AS rows,
                sum(pg_relation_size(c.oid) + coalesce(pg_relation_size(nullif(c.reltoastrelid, 0)), 0) + pg_indexes_size(c.oid))::float8 AS bytes
           FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass`,
        [`${S}.orders`],
      );
      const parent = asset('orders');
      expect(parent.type).toBe('partitioned_table');
      expect(parent.statistics).toMatchObject({ rows: leaves.rows, bytes: leaves.bytes });
      expect((parent.properties.partitions as Array<{ name: string }>).map((p) => p.name)).toEqual([
        'orders_2024',
        'orders_2025',
      ]);
    });

    it('keeps pg_stats per column as estimates, with most common values the task asked for, never for a secret column', async () => {
      const [status] = await rows<{ values: string[]; freqs: number[]; null_frac: number }>(
        `SELECT most_common_vals::text::text[] AS values, most_common_freqs AS freqs, null_frac FROM pg_stats
          WHERE schemaname = $1 AND tablename = 'orders' AND attname = 'status' AND inherited`,
        [S],
      );
      const stats = asset('orders').fields.find((f) => f.name === 'status')!.properties!.statistics;
      expect(stats).toMatchObject({
        estimate: true,
        null_fraction: status.null_frac,
        most_common_values: status.values.map((value, i) => ({ value, frequency: status.freqs[i] })),
      });
      const secret = asset('orders').fields.find((f) => f.name === 'api_token')!.properties!.statistics as Record<
        string,
        unknown
      >;
      expect(secret.estimate).toBe(true);
      expect(secret.most_common_values).toBeUndefined();
      expect(secret.histogram_bounds).toBeNull();
    });
  });
});
