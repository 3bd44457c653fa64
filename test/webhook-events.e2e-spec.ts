/**
 * Each webhook event, delivered after the real action that causes it: a connection test that
 * fails against a closed port, a collection of a real PostgreSQL schema finishing, and the schema
 * change that run records.
 */
import { Client } from 'pg';
import { createServer } from 'node:net';
import { verify } from '../src/webhooks/signature';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { Receiver } from './support/receiver';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';

const schema = `wh_events_${process.pid}_${Date.now().toString(36)}`;
const pg = () =>
  new Client({
    host: SERVER_ENDPOINTS.postgres.host,
    port: SERVER_ENDPOINTS.postgres.port,
    user: 'postgres',
    database: 'test',
  });

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describeE2E('webhook events from real actions', () => {
  describeWithServers(['postgres'], 'against a real PostgreSQL source', () => {
    let t: TestApp;
    let receiver: Receiver;
    let secret: string;

    beforeAll(async () => {
      const c = pg();
      await c.connect();
      await c.query(`CREATE SCHEMA ${schema}`);
      await c.query(`CREATE TABLE ${schema}.orders (id bigint PRIMARY KEY, total numeric(12,2))`);
      await c.query(
        `CREATE TABLE ${schema}.items (id bigint PRIMARY KEY, order_id bigint REFERENCES ${schema}.orders(id))`,
      );
      await c.end();
      receiver = await new Receiver().start();
      t = await bootApp({
        env: { WEBHOOK_DISPATCH_INTERVAL_MS: '50', WEBHOOK_RETRY_BASE_MS: '50', HEALTH_CHECK_INTERVAL_SECONDS: '0' },
      });
      const hook = await t.http
        .post('/api/v1/webhooks')
        .set(bearer(t.adminToken))
        .send({
          name: 'all',
          url: receiver.url,
          events: [
            'datasource.status_changed',
            'datasource.connection_failed',
            'execution.finished',
            'metadata.changed',
          ],
        });
      secret = hook.body.secret;
    });

    afterAll(async () => {
      await t?.close();
      await receiver?.stop();
      const c = pg();
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    });

    const ofType = (type: string) => (r: { json: { type: string } }) => r.json.type === type;

    it('a failing connection test sends datasource.connection_failed and datasource.status_changed', async () => {
      const ds = await t.http
        .post('/api/v1/datasources')
        .set(bearer(t.adminToken))
        .send({
          name: 'closed-port',
          type: 'postgresql',
          config: { host: '127.0.0.1', port: await closedPort(), username: 'postgres', database: 'test' },
        });
      expect(ds.status).toBe(201);
      const test = await t.http.post(`/api/v1/datasources/${ds.body.id}/test`).set(bearer(t.adminToken));
      expect(test.body.success).toBe(false);

      const [failed] = await receiver.waitFor(1, ofType('datasource.connection_failed'));
      expect(failed.json.data).toMatchObject({ datasource_id: ds.body.id });
      expect(JSON.stringify(failed.json.data)).toMatch(/tcp|ECONNREFUSED|refused/i);
      const [changed] = await receiver.waitFor(1, ofType('datasource.status_changed'));
      expect(changed.json.data).toMatchObject({ datasource_id: ds.body.id, new_status: 'error' });
      expect(changed.json.data.old_status).not.toBe('error');
      for (const r of [failed, changed]) {
        expect(
          verify(secret, Number(r.headers['x-webhook-timestamp']), r.body, String(r.headers['x-webhook-signature'])),
        ).toBe(true);
        expect(r.json.id).toMatch(/^evt-/);
      }
    });

    it('a collection sends execution.finished with its counts and metadata.changed with what changed', async () => {
      const ds = await t.http
        .post('/api/v1/datasources')
        .set(bearer(t.adminToken))
        .send({
          name: 'events-source',
          type: 'postgresql',
          config: {
            host: SERVER_ENDPOINTS.postgres.host,
            port: SERVER_ENDPOINTS.postgres.port,
            username: 'postgres',
            database: 'test',
          },
        });
      const task = await t.http
        .post('/api/v1/tasks')
        .set(bearer(t.adminToken))
        .send({
          name: 'events-task',
          datasource_id: ds.body.id,
          type: 'full_collection',
          config: { include_schemas: [schema] },
        });
      const run = async () => {
        const exec = await t.http.post(`/api/v1/tasks/${task.body.id}/execute`).set(bearer(t.adminToken));
        expect(exec.status).toBe(202);
        const [finished] = await receiver.waitFor(
          1,
          (r) => r.json.type === 'execution.finished' && r.json.data.execution_id === exec.body.execution_id,
          30000,
        );
        return { id: exec.body.execution_id as string, finished };
      };

      const first = await run();
      expect(first.finished.json.data).toMatchObject({
        task_id: task.body.id,
        datasource_id: ds.body.id,
        status: 'completed',
        result: { tables_processed: 2 },
      });
      expect(typeof first.finished.json.data.duration).toBe('number');
      const [added] = await receiver.waitFor(
        1,
        (r) => r.json.type === 'metadata.changed' && r.json.data.execution_id === first.id,
      );
      expect(added.json.data).toMatchObject({
        datasource_id: ds.body.id,
        changes: { assets_added: 2, assets_removed: 0, assets_altered: 0 },
      });

      // A real schema change: one column added, one table dropped.
      const c = pg();
      await c.connect();
      await c.query(`ALTER TABLE ${schema}.orders ADD COLUMN note text`);
      await c.query(`DROP TABLE ${schema}.items`);
      await c.end();
      const second = await run();
      const [changed] = await receiver.waitFor(
        1,
        (r) => r.json.type === 'metadata.changed' && r.json.data.execution_id === second.id,
      );
      expect(changed.json.data).toMatchObject({
        changes: { assets_added: 0, assets_removed: 1, assets_altered: 1, fields_added: 1 },
      });
      const assets = changed.json.data.assets as Array<{ name: string; change: string; versions_url: string }>;
      expect(assets.map((a) => `${a.change}:${a.name}`).sort()).toEqual(['altered:orders', 'removed:items']);
      const versions = await t.http
        .get(assets.find((a) => a.name === 'orders')!.versions_url)
        .set(bearer(t.adminToken));
      expect(versions.status).toBe(200);

      // Nothing changed: a finished event, but no metadata.changed.
      const third = await run();
      await new Promise((r) => setTimeout(r, 500));
      expect(
        receiver.received.filter((r) => r.json.type === 'metadata.changed' && r.json.data.execution_id === third.id),
      ).toHaveLength(0);
    });
  });
});
