import { randomBytes } from 'node:crypto';
import { DATA_SOURCE_TYPES } from '@app/connectors';
import { ConnectorsService } from '../src/connectors/connectors.service';
import { DataSourcesService } from '../src/datasources/datasources.service';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';

const API = '/api/v1/templates';
const PG = SERVER_ENDPOINTS.postgres;

type Body = Record<string, unknown>;

const expectEnvelope = (body: Body, code: string) => {
  expect(Object.keys(body).sort()).toEqual(['code', 'details', 'message', 'request_id']);
  expect(body.code).toBe(code);
};

describeE2E('templates', () => {
  let t: TestApp;
  let auth: { Authorization: string };
  const unique = () => randomBytes(4).toString('hex');

  const create = async (body: Body) => {
    const res = await t.http.post(API).set(auth).send(body);
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Body & { id: string; config_template: Body };
  };

  beforeAll(async () => {
    t = await bootApp({ env: { HEALTH_CHECK_INTERVAL_SECONDS: '0' } });
    auth = bearer(t.adminToken);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('built-in templates', () => {
    it('one read-only system template for each of the 13 types, holding only fields of its type', async () => {
      const res = await t.http.get(API).query({ is_system: 'true', page_size: 100 }).set(auth);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['page', 'page_size', 'templates', 'total']);
      const system = res.body.templates as Array<Body & { type: string; config_template: Body }>;
      expect(system.map((x) => x.type).sort()).toEqual([...DATA_SOURCE_TYPES].sort());
      const registry = t.app.get(ConnectorsService).registry;
      for (const tpl of system) {
        expect(tpl.is_system).toBe(true);
        const names = registry.get(tpl.type).configSpec.map((f) => f.name);
        for (const key of Object.keys(tpl.config_template)) expect(names).toContain(key);
      }
    });

    it('lists by type', async () => {
      const res = await t.http.get(API).query({ type: 'postgresql' }).set(auth);
      expect(res.status).toBe(200);
      const templates = res.body.templates as Body[];
      expect(templates.length).toBeGreaterThan(0);
      expect(templates.every((x) => x.type === 'postgresql')).toBe(true);
      expect(templates.find((x) => x.is_system)).toMatchObject({ id: 'tpl-system-postgresql', config_template: { port: 5432, timeout: 30 } });
    });

    it('changing or deleting a system template is 403 FORBIDDEN in the envelope', async () => {
      const put = await t.http.put(`${API}/tpl-system-postgresql`).set(auth).send({ description: 'mine now' });
      expect(put.status).toBe(403);
      expectEnvelope(put.body, 'FORBIDDEN');
      const del = await t.http.delete(`${API}/tpl-system-postgresql`).set(auth);
      expect(del.status).toBe(403);
      expectEnvelope(del.body, 'FORBIDDEN');
      expect((await t.http.get(`${API}/tpl-system-postgresql`).set(auth)).body.description).not.toBe('mine now');
    });

    it('are seeded once: a second instance on the same store adds none', async () => {
      // SQLite keeps booleans as 1/0, PostgreSQL as true/false.
      const count = async () => (await t.store.query('SELECT is_system FROM templates')).filter((r) => r.is_system === true || r.is_system === 1).length;
      const before = await count();
      const replica = await bootApp({ store: t.store, keepStore: true, env: { HEALTH_CHECK_INTERVAL_SECONDS: '0' } });
      await replica.close();
      expect(await count()).toBe(before);
      expect(before).toBe(t.app.get(ConnectorsService).registry.list().length);
    });
  });

  describe('user templates', () => {
    it('create (201), get, list, update (merged), delete (200 {success: true})', async () => {
      const name = `pg-standard-${unique()}`;
      const res = await t.http
        .post(API)
        .set(auth)
        .send({ name, type: 'postgresql', description: 'Standard PostgreSQL configuration', config_template: { port: 5432, timeout: 30, max_conns: 10, max_idle_conns: 5 } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name, type: 'postgresql', is_system: false, config_template: { port: 5432, timeout: 30, max_conns: 10, max_idle_conns: 5 } });
      expect(res.body.id).toMatch(/^tpl-[0-9a-z]{26}$/);
      expect(res.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const id = res.body.id as string;

      expect((await t.http.get(`${API}/${id}`).set(auth)).body).toEqual(res.body);
      const listed = await t.http.get(API).query({ type: 'postgresql', is_system: 'false', page_size: 100 }).set(auth);
      expect((listed.body.templates as Body[]).map((x) => x.id)).toContain(id);

      const upd = await t.http.put(`${API}/${id}`).set(auth).send({ description: 'changed', config_template: { timeout: 60, max_idle_conns: null } });
      expect(upd.status).toBe(200);
      expect(upd.body).toMatchObject({ description: 'changed', config_template: { port: 5432, timeout: 60, max_conns: 10 } });
      expect(upd.body.config_template.max_idle_conns).toBeUndefined();

      const del = await t.http.delete(`${API}/${id}`).set(auth);
      expect(del.status).toBe(200);
      expect(del.body).toEqual({ success: true });
      const gone = await t.http.get(`${API}/${id}`).set(auth);
      expect(gone.status).toBe(404);
      expectEnvelope(gone.body, 'NOT_FOUND');
    });

    it('names are unique per type: 409 for the same type, fine for another type', async () => {
      const name = `shared-${unique()}`;
      await create({ name, type: 'postgresql', config_template: {} });
      const dup = await t.http.post(API).set(auth).send({ name, type: 'postgresql', config_template: {} });
      expect(dup.status).toBe(409);
      expectEnvelope(dup.body, 'CONFLICT');
      const otherType = t.app.get(ConnectorsService).registry.list().find((d) => d.type !== 'postgresql')!.type;
      const other = await t.http.post(API).set(auth).send({ name, type: otherType, config_template: {} });
      expect(other.status).toBe(201);
      const renamed = await create({ name: `rename-${unique()}`, type: 'postgresql', config_template: {} });
      const clash = await t.http.put(`${API}/${renamed.id}`).set(auth).send({ name });
      expect(clash.status).toBe(409);
    });

    it('400 naming the field for settings the type does not have or of the wrong type', async () => {
      const unknown = await t.http.post(API).set(auth).send({ name: `bad-${unique()}`, type: 'postgresql', config_template: { brokers: ['k:9092'] } });
      expect(unknown.status).toBe(400);
      expectEnvelope(unknown.body, 'INVALID_REQUEST');
      expect(unknown.body.message).toContain('config_template.brokers');
      const wrongType = await t.http.post(API).set(auth).send({ name: `bad-${unique()}`, type: 'postgresql', config_template: { port: '5432' } });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.message).toContain('config_template.port');
      const noType = await t.http.post(API).set(auth).send({ name: `bad-${unique()}`, config_template: {} });
      expect(noType.status).toBe(400);
      expect(noType.body.details).toContain('type');
    });

    it('a secret in a template is encrypted in the store and masked in responses', async () => {
      const tpl = await create({ name: `with-secret-${unique()}`, type: 'postgresql', config_template: { username: 'svc', password: 'tpl-secret-pw' } });
      expect(tpl.config_template).toEqual({ username: 'svc', password: '******' });
      const rows = await t.store.query('SELECT config_template FROM templates WHERE id = ?', [tpl.id]);
      expect(String(rows[0].config_template)).not.toContain('tpl-secret-pw');
      const audit = await t.store.query("SELECT details FROM audit_logs WHERE resource_type = 'templates'");
      expect(audit.map((r) => String(r.details)).join('\n')).not.toContain('tpl-secret-pw');
    });

    it('a viewer cannot create or change templates', async () => {
      const viewer = bearer(await t.tokenFor('viewer'));
      expect((await t.http.get(API).set(viewer)).status).toBe(200);
      const res = await t.http.post(API).set(viewer).send({ name: `v-${unique()}`, type: 'postgresql', config_template: {} });
      expect(res.status).toBe(403);
      expectEnvelope(res.body, 'FORBIDDEN');
    });
  });

  describe('apply', () => {
    it('merges config_overrides over config_template, validates the result as a data source config, and creates it (201)', async () => {
      const tpl = await create({ name: `apply-${unique()}`, type: 'postgresql', config_template: { port: 5432, username: 'svc', password: 'applied-pw', timeout: 30 } });
      const name = `from-template-${unique()}`;
      const res = await t.http
        .post(`${API}/${tpl.id}/apply`)
        .set(auth)
        .send({ name, config_overrides: { host: 'production-host', database: 'production_db', timeout: 10 }, tags: ['templated'] });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name,
        type: 'postgresql',
        status: 'active',
        config: { host: 'production-host', port: 5432, username: 'svc', password: '******', database: 'production_db', timeout: 10 },
        tags: ['templated'],
      });
      expect(res.body.id).toMatch(/^ds-/);
      const run = await t.app.get(DataSourcesService).requireForRun(res.body.id as string);
      expect(run.config.password).toBe('applied-pw');
    });

    it('400 naming the field when the merged config is incomplete or wrong; 409 for a taken name; 404 for an unknown template', async () => {
      const tpl = await create({ name: `apply-bad-${unique()}`, type: 'postgresql', config_template: { port: 5432 } });
      const noHost = await t.http.post(`${API}/${tpl.id}/apply`).set(auth).send({ name: `x-${unique()}` });
      expect(noHost.status).toBe(400);
      expectEnvelope(noHost.body, 'INVALID_REQUEST');
      expect(noHost.body.message).toContain('config.host');
      const badPort = await t.http.post(`${API}/${tpl.id}/apply`).set(auth).send({ name: `x-${unique()}`, config_overrides: { host: 'h', port: 0 } });
      expect(badPort.status).toBe(400);
      expect(badPort.body.message).toContain('config.port');

      const name = `taken-${unique()}`;
      await t.http.post(`${API}/${tpl.id}/apply`).set(auth).send({ name, config_overrides: { host: 'h' } }).expect(201);
      const taken = await t.http.post(`${API}/${tpl.id}/apply`).set(auth).send({ name, config_overrides: { host: 'h' } });
      expect(taken.status).toBe(409);
      expectEnvelope(taken.body, 'CONFLICT');

      const missing = await t.http.post(`${API}/tpl-missing/apply`).set(auth).send({ name: `x-${unique()}` });
      expect(missing.status).toBe(404);
      expectEnvelope(missing.body, 'NOT_FOUND');
    });

    describeWithServers(['postgres'], 'against the real PostgreSQL', () => {
      it('applying the built-in template gives a source whose connection test succeeds', async () => {
        const res = await t.http
          .post(`${API}/tpl-system-postgresql/apply`)
          .set(auth)
          .send({ name: `builtin-pg-${unique()}`, config_overrides: { host: PG.host, port: PG.port, username: 'postgres', database: 'test' } });
        expect(res.status).toBe(201);
        const test = await t.http.post(`/api/v1/datasources/${res.body.id}/test`).set(auth);
        expect(test.status).toBe(200);
        expect(test.body).toMatchObject({ success: true, server_info: expect.stringMatching(/^PostgreSQL/) });
        expect((await t.http.get(`/api/v1/datasources/${res.body.id}`).set(auth)).body.status).toBe('active');
      });
    });
  });
});
