/**
 * The third store: the whole app on MariaDB (DATABASE_URL=mysql://…). Migrations run at start;
 * a user, a data source, a collection into the catalog, a webhook and the audit log all work.
 * Runs in the e2e-sqlite project only (it picks its own store).
 */
import { Client } from 'pg';
import { bearer, bootApp, createStore, TestApp } from './support/app';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';

const schema = `store_mysql_${process.pid}_${Date.now().toString(36)}`;
const pg = () =>
  new Client({
    host: SERVER_ENDPOINTS.postgres.host,
    port: SERVER_ENDPOINTS.postgres.port,
    user: 'postgres',
    database: 'test',
  });

describeWithServers(['mariadb', 'postgres'], 'the app on a MariaDB store', () => {
  let t: TestApp;

  beforeAll(async () => {
    const c = pg();
    await c.connect();
    await c.query(`CREATE SCHEMA ${schema}`);
    await c.query(
      `CREATE TABLE ${schema}.customers (id serial PRIMARY KEY, email varchar(200) NOT NULL UNIQUE, note text)`,
    );
    await c.query(`COMMENT ON COLUMN ${schema}.customers.email IS 'login address'`);
    await c.end();
    t = await bootApp({ store: await createStore('mysql') });
  });

  afterAll(async () => {
    await t?.close();
    const c = pg();
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  it('ran every migration', async () => {
    const rows = await t.store.query('SELECT name FROM migrations ORDER BY timestamp');
    const names = rows.map((r) => String(r.name));
    expect(names[0]).toMatch(/^Foundation/);
    expect(names.length).toBeGreaterThanOrEqual(4);
  });

  it('collects a real source into the catalog, end to end', async () => {
    const ds = await t.http
      .post('/api/v1/datasources')
      .set(bearer(t.adminToken))
      .send({
        name: 'pg-on-mysql-store',
        type: 'postgresql',
        config: {
          host: SERVER_ENDPOINTS.postgres.host,
          port: SERVER_ENDPOINTS.postgres.port,
          username: 'postgres',
          password: 'unused-with-trust',
          database: 'test',
        },
      });
    expect(ds.status).toBe(201);
    const stored = await t.store.query('SELECT config FROM data_sources WHERE id = ?', [ds.body.id]);
    expect(String(stored[0].config)).not.toContain('unused-with-trust');

    const test = await t.http.post(`/api/v1/datasources/${ds.body.id}/test`).set(bearer(t.adminToken));
    expect(test.body.success).toBe(true);

    const task = await t.http
      .post('/api/v1/tasks')
      .set(bearer(t.adminToken))
      .send({
        name: 'collect-on-mysql-store',
        datasource_id: ds.body.id,
        type: 'full_collection',
        config: { include_schemas: [schema] },
      });
    expect(task.status).toBe(201);
    const run = await t.http.post(`/api/v1/tasks/${task.body.id}/execute`).set(bearer(t.adminToken));
    expect(run.status).toBe(202);
    let exec = { status: 'pending' } as { status: string; result?: { tables_processed: number } };
    for (let i = 0; i < 100 && !['completed', 'failed', 'cancelled'].includes(exec.status); i++) {
      await new Promise((r) => setTimeout(r, 200));
      exec = (
        await t.http.get(`/api/v1/tasks/${task.body.id}/executions/${run.body.execution_id}`).set(bearer(t.adminToken))
      ).body;
    }
    expect(exec.status).toBe('completed');
    // The table and its serial column's sequence.
    expect(exec.result?.tables_processed).toBe(2);

    const assets = await t.http.get(`/api/v1/metadata/assets?datasource_id=${ds.body.id}`).set(bearer(t.adminToken));
    expect(assets.body.assets.map((a: { name: string }) => a.name)).toEqual(['customers', 'customers_id_seq']);
    const detail = await t.http.get(`/api/v1/metadata/assets/${assets.body.assets[0].id}`).set(bearer(t.adminToken));
    const email = detail.body.fields.find((f: { name: string }) => f.name === 'email');
    expect(email).toMatchObject({ nullable: false, comment: 'login address' });
  });

  it('keeps webhooks and the audit log', async () => {
    const hook = await t.http
      .post('/api/v1/webhooks')
      .set(bearer(t.adminToken))
      .send({ name: 'h', url: 'http://127.0.0.1:9/hook', events: ['execution.finished'] });
    expect(hook.status).toBe(201);
    const audit = await t.http.get('/api/v1/audit-logs?resource_type=webhooks').set(bearer(t.adminToken));
    expect(audit.body.total).toBeGreaterThanOrEqual(1);
  });
});
