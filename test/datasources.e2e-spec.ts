import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { parse as parseYaml } from 'yaml';
import { DATA_SOURCE_TYPES } from '@app/connectors';
import { DataSourcesService } from '../src/datasources/datasources.service';
import { DataSourcesHealthCheckService } from '../src/datasources/data-sources-health-check.service';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';
import { seedKeysOf } from './support/envelope';

const API = '/api/v1/datasources';
const PG = SERVER_ENDPOINTS.postgres;
const MARIADB = SERVER_ENDPOINTS.mariadb;

type Body = Record<string, unknown>;

const expectEnvelope = (body: Body, code: string) => {
  expect(seedKeysOf(body)).toEqual(['code', 'details', 'message', 'request_id']);
  expect(body.code).toBe(code);
};

/** A PostgreSQL config; the host only matters to tests that connect. */
const pgConfig = (extra: Body = {}): Body => ({
  host: PG.host,
  port: PG.port,
  username: 'postgres',
  database: 'test',
  ...extra,
});

describeE2E('data sources', () => {
  let t: TestApp;
  let auth: { Authorization: string };
  const unique = () => randomBytes(4).toString('hex');

  const create = async (body: Body) => {
    const res = await t.http.post(API).set(auth).send(body);
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Body & { id: string; config: Body };
  };
  const storedRow = async (id: string) => (await t.store.query('SELECT * FROM data_sources WHERE id = ?', [id]))[0];

  beforeAll(async () => {
    t = await bootApp({ env: { HEALTH_CHECK_INTERVAL_SECONDS: '3600' } });
    auth = bearer(t.adminToken);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('GET /datasources/types', () => {
    it('lists the 13 types, each with its config fields and capabilities', async () => {
      const res = await t.http.get(`${API}/types`).set(auth);
      expect(res.status).toBe(200);
      const types = res.body.types as Array<{ type: string; config_fields: Array<Body>; capabilities: Body }>;
      expect(types.map((x) => x.type).sort()).toEqual([...DATA_SOURCE_TYPES].sort());
      for (const type of types) {
        expect(type.config_fields.length).toBeGreaterThan(0);
        for (const f of type.config_fields) {
          expect(typeof f.name).toBe('string');
          expect(typeof f.required).toBe('boolean');
          expect(typeof f.secret).toBe('boolean');
          expect(typeof f.description).toBe('string');
        }
        expect(Array.isArray(type.capabilities.task_types)).toBe(true);
      }
    });

    it('says which fields are secret and what the defaults are (postgresql)', async () => {
      const res = await t.http.get(`${API}/types`).set(auth);
      const pg = (res.body.types as Array<{ type: string; config_fields: Array<Body> }>).find(
        (x) => x.type === 'postgresql',
      )!;
      const field = (name: string) => pg.config_fields.find((f) => f.name === name)!;
      expect(field('password').secret).toBe(true);
      expect(field('host')).toMatchObject({ required: true, secret: false, type: 'string' });
      expect(field('port')).toMatchObject({ default: 5432, type: 'integer' });
      expect(field('timeout')).toMatchObject({ default: 30 });
    });
  });

  describe('create, get, list', () => {
    it('201 with the whole resource; the password is "******" in the response and encrypted in the store', async () => {
      const name = `pg-create-${unique()}`;
      const res = await t.http
        .post(API)
        .set(auth)
        .send({
          name,
          type: 'postgresql',
          description: 'Production PostgreSQL',
          config: pgConfig({ password: 'clear-text-pw-1' }),
          tags: ['production', 'pg'],
        });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name,
        type: 'postgresql',
        description: 'Production PostgreSQL',
        status: 'active',
        config: { host: PG.host, port: PG.port, username: 'postgres', database: 'test', password: '******' },
        tags: ['production', 'pg'],
      });
      expect(res.body.id).toMatch(/^ds-[0-9a-z]{26}$/);
      expect(res.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(res.body.updated_at).toMatch(/Z$/);
      const row = await storedRow(res.body.id);
      expect(String(row.config)).not.toContain('clear-text-pw-1');
      expect((JSON.parse(String(row.config)) as Body).password).toMatch(/^enc:v1:/);

      const got = await t.http.get(`${API}/${res.body.id}`).set(auth);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
    });

    it('400 naming the field for a config that does not fit the type', async () => {
      const bad = async (config: Body, field: string) => {
        const res = await t.http
          .post(API)
          .set(auth)
          .send({ name: `bad-${unique()}`, type: 'postgresql', config });
        expect(res.status).toBe(400);
        expectEnvelope(res.body, 'INVALID_REQUEST');
        expect(`${res.body.message} ${res.body.details}`).toContain(`config.${field}`);
      };
      await bad(pgConfig({ port: 'five' }), 'port');
      await bad(pgConfig({ port: 70000 }), 'port');
      await bad(pgConfig({ brokers: ['x:9092'] }), 'brokers');
      await bad({ port: 5432 }, 'host');
      await bad(pgConfig({ sslmode: 'sometimes' }), 'sslmode');
      await bad(pgConfig({ password: '******' }), 'password');
    });

    it('400 for an unknown type, a missing config, or unknown fields', async () => {
      const unknownType = await t.http
        .post(API)
        .set(auth)
        .send({ name: `x-${unique()}`, type: 'db2', config: {} });
      expect(unknownType.status).toBe(400);
      expectEnvelope(unknownType.body, 'INVALID_REQUEST');
      expect(unknownType.body.details).toContain('type');
      const noConfig = await t.http
        .post(API)
        .set(auth)
        .send({ name: `x-${unique()}`, type: 'postgresql' });
      expect(noConfig.status).toBe(400);
      expect(noConfig.body.details).toContain('config');
      const extra = await t.http
        .post(API)
        .set(auth)
        .send({ name: `x-${unique()}`, type: 'postgresql', config: pgConfig(), owner: 'me' });
      expect(extra.status).toBe(400);
      expect(extra.body.details).toContain('owner');
    });

    it('refuses a password inside a URI of a non-secret field (create, update, import), so it is never stored or audited', async () => {
      const nodes = ['http://elastic:uri-embedded-pw@es1.example:9200'];
      const created = await t.http
        .post(API)
        .set(auth)
        .send({ name: `es-${unique()}`, type: 'elasticsearch', config: { nodes } });
      expect(created.status).toBe(400);
      expectEnvelope(created.body, 'INVALID_REQUEST');
      expect(created.body.message).toContain('config.nodes');
      expect(created.body.details).toContain('config.password');

      const ok = await create({
        name: `es-${unique()}`,
        type: 'elasticsearch',
        config: { nodes: ['http://es1.example:9200'], username: 'elastic', password: 'es-pw' },
      });
      const put = await t.http.put(`${API}/${ok.id}`).set(auth).send({ config: { nodes } });
      expect(put.status).toBe(400);
      const imported = await t.http
        .post(`${API}/import`)
        .set(auth)
        .send({
          continue_on_error: true,
          data_sources: [{ name: `es-${unique()}`, type: 'elasticsearch', config: { nodes } }],
        });
      expect(imported.status).toBe(400);
      expect(imported.body.message).toContain('data_sources[0].config.nodes');

      const audit = await t.store.query('SELECT details FROM audit_logs');
      expect(audit.map((r) => String(r.details)).join('\n')).not.toContain('uri-embedded-pw');
    });

    it('409 CONFLICT for a name that is taken', async () => {
      const name = `dup-${unique()}`;
      await create({ name, type: 'postgresql', config: pgConfig() });
      const res = await t.http.post(API).set(auth).send({ name, type: 'postgresql', config: pgConfig() });
      expect(res.status).toBe(409);
      expectEnvelope(res.body, 'CONFLICT');
      expect(res.body.message).toContain(name);
    });

    it('404 NOT_FOUND in the envelope for an unknown id', async () => {
      const res = await t.http.get(`${API}/ds-unknown`).set(auth);
      expect(res.status).toBe(404);
      expectEnvelope(res.body, 'NOT_FOUND');
    });

    it('lists under data_sources with type, status and case-insensitive name filters and pagination', async () => {
      const tag = unique();
      const a = await create({ name: `List-Alpha-${tag}`, type: 'postgresql', config: pgConfig() });
      await create({ name: `list-beta-${tag}`, type: 'postgresql', config: pgConfig() });
      await create({ name: `list_gamma-${tag}`, type: 'postgresql', config: pgConfig() });
      await t.http
        .post(`${API}/batch/status`)
        .set(auth)
        .send({ ids: [a.id], status: 'inactive' })
        .expect(200);

      const all = await t.http.get(API).query({ name: `LIST-`, page_size: 100 }).set(auth);
      expect(all.status).toBe(200);
      expect(Object.keys(all.body).sort()).toEqual(['data_sources', 'page', 'page_size', 'total']);
      const names = (all.body.data_sources as Body[]).map((d) => d.name).filter((n) => String(n).endsWith(tag));
      expect(names.sort()).toEqual([`List-Alpha-${tag}`, `list-beta-${tag}`].sort());

      // `_` is matched literally, not as a wildcard
      const underscore = await t.http
        .get(API)
        .query({ name: `list_gamma-${tag}` })
        .set(auth);
      expect((underscore.body.data_sources as Body[]).map((d) => d.name)).toEqual([`list_gamma-${tag}`]);

      const inactive = await t.http.get(API).query({ status: 'inactive', name: tag }).set(auth);
      expect((inactive.body.data_sources as Body[]).map((d) => d.id)).toEqual([a.id]);
      const byType = await t.http.get(API).query({ type: 'mysql', name: tag }).set(auth);
      expect(byType.body.total).toBe(0);

      const page1 = await t.http.get(API).query({ name: tag, page: 1, page_size: 2 }).set(auth);
      const page2 = await t.http.get(API).query({ name: tag, page: 2, page_size: 2 }).set(auth);
      expect(page1.body).toMatchObject({ total: 3, page: 1, page_size: 2 });
      expect(page1.body.data_sources).toHaveLength(2);
      expect(page2.body.data_sources).toHaveLength(1);
      for (const d of [...page1.body.data_sources, ...page2.body.data_sources] as Body[])
        expect(JSON.stringify(d)).not.toContain('enc:v1');
    });

    it('400 for page_size over 100, page 0, or an unknown status', async () => {
      for (const query of [{ page_size: 101 }, { page: 0 }, { status: 'broken' }, { type: 'db2' }]) {
        const res = await t.http.get(API).query(query).set(auth);
        expect(res.status).toBe(400);
        expectEnvelope(res.body, 'INVALID_REQUEST');
      }
    });
  });

  describe('update', () => {
    it('merges config key by key, keeps the stored password when it is omitted or sent as "******", and bumps the version', async () => {
      const ds = await create({
        name: `upd-${unique()}`,
        type: 'postgresql',
        config: pgConfig({ password: 'keep-me-pw' }),
        tags: ['a'],
      });
      const service = t.app.get(DataSourcesService);
      const v1 = await service.requireForRun(ds.id);

      const res = await t.http
        .put(`${API}/${ds.id}`)
        .set(auth)
        .send({ config: { database: 'other', timeout: 20 } });
      expect(res.status).toBe(200);
      expect(res.body.config).toEqual({ ...pgConfig({ password: '******' }), database: 'other', timeout: 20 });
      expect(res.body.tags).toEqual(['a']);
      const v2 = await service.requireForRun(ds.id);
      expect(v2.config.password).toBe('keep-me-pw');
      expect(v2.config.database).toBe('other');
      expect(v2.version).not.toBe(v1.version);

      const masked = await t.http
        .put(`${API}/${ds.id}`)
        .set(auth)
        .send({ config: { password: '******' }, description: 'described', tags: ['b'] });
      expect(masked.status).toBe(200);
      expect(masked.body).toMatchObject({ description: 'described', tags: ['b'] });
      const v3 = await service.requireForRun(ds.id);
      expect(v3.config.password).toBe('keep-me-pw');
      // neither the description nor the mask changed the config, so pools stay
      expect(v3.version).toBe(v2.version);
      // defaults are applied for runs
      expect(v3.config.max_conns).toBe(10);

      const removed = await t.http
        .put(`${API}/${ds.id}`)
        .set(auth)
        .send({ config: { timeout: null } });
      expect(removed.body.config.timeout).toBeUndefined();

      const row = await storedRow(ds.id);
      expect(JSON.stringify(row)).not.toContain('keep-me-pw');
    });

    it('400 naming the field for a bad merged config, 409 for a taken name, 404 for an unknown id', async () => {
      const ds = await create({ name: `upd-bad-${unique()}`, type: 'postgresql', config: pgConfig() });
      const other = await create({ name: `upd-other-${unique()}`, type: 'postgresql', config: pgConfig() });
      const bad = await t.http
        .put(`${API}/${ds.id}`)
        .set(auth)
        .send({ config: { port: -1 } });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain('config.port');
      const noHost = await t.http
        .put(`${API}/${ds.id}`)
        .set(auth)
        .send({ config: { host: null } });
      expect(noHost.status).toBe(400);
      expect(noHost.body.message).toContain('config.host');
      const taken = await t.http.put(`${API}/${ds.id}`).set(auth).send({ name: other.name });
      expect(taken.status).toBe(409);
      expectEnvelope(taken.body, 'CONFLICT');
      const typeChange = await t.http.put(`${API}/${ds.id}`).set(auth).send({ type: 'mysql' });
      expect(typeChange.status).toBe(400);
      const missing = await t.http.put(`${API}/ds-missing`).set(auth).send({ description: 'x' });
      expect(missing.status).toBe(404);
      expectEnvelope(missing.body, 'NOT_FOUND');
    });
  });

  describe('delete and can-delete', () => {
    it('409 CONFLICT naming the tasks while tasks use the source; can-delete says so; then 200 {success: true}', async () => {
      const ds = await create({ name: `del-${unique()}`, type: 'postgresql', config: pgConfig() });
      const taskName = `daily-collection-${unique()}`;
      const task = await t.http
        .post('/api/v1/tasks')
        .set(auth)
        .send({ name: taskName, datasource_id: ds.id, type: 'full_collection' });
      expect(task.status).toBe(201);
      const taskId = task.body.id as string;

      const check = await t.http.get(`${API}/${ds.id}/can-delete`).set(auth);
      expect(check.status).toBe(200);
      expect(check.body).toMatchObject({
        can_delete: false,
        dependents: [{ kind: 'tasks', id: taskId, name: taskName }],
      });

      const refused = await t.http.delete(`${API}/${ds.id}`).set(auth);
      expect(refused.status).toBe(409);
      expectEnvelope(refused.body, 'CONFLICT');
      expect(refused.body.message).toContain(taskName);
      expect(refused.body.message).toContain(taskId);
      expect((await t.http.get(`${API}/${ds.id}`).set(auth)).status).toBe(200);

      await t.http.delete(`/api/v1/tasks/${taskId}`).set(auth).expect(200);
      expect((await t.http.get(`${API}/${ds.id}/can-delete`).set(auth)).body).toMatchObject({
        can_delete: true,
        dependents: [],
      });
      const ok = await t.http.delete(`${API}/${ds.id}`).set(auth);
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ success: true });
      expect((await t.http.get(`${API}/${ds.id}`).set(auth)).status).toBe(404);
      expect((await t.http.delete(`${API}/${ds.id}`).set(auth)).status).toBe(404);
    });

    it('a source used by something registered through the service cannot be deleted either', async () => {
      const ds = await create({ name: `del-dep-${unique()}`, type: 'postgresql', config: pgConfig() });
      let blocked = true;
      t.app
        .get(DataSourcesService)
        .registerDependents('pipelines', async (id) =>
          blocked && id === ds.id ? [{ id: 'pipe-1', name: 'nightly-export' }] : [],
        );
      const refused = await t.http.delete(`${API}/${ds.id}`).set(auth);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toContain('nightly-export (pipe-1)');
      blocked = false;
      expect((await t.http.delete(`${API}/${ds.id}`).set(auth)).status).toBe(200);
    });
  });

  describe('roles', () => {
    it('a viewer reads but cannot create or test; an operator creates but cannot delete a data source', async () => {
      const viewer = bearer(await t.tokenFor('viewer'));
      const operator = bearer(await t.tokenFor('operator'));
      expect((await t.http.get(API).set(viewer)).status).toBe(200);
      const denied = await t.http
        .post(API)
        .set(viewer)
        .send({ name: `v-${unique()}`, type: 'postgresql', config: pgConfig() });
      expect(denied.status).toBe(403);
      expectEnvelope(denied.body, 'FORBIDDEN');

      const made = await t.http
        .post(API)
        .set(operator)
        .send({ name: `op-${unique()}`, type: 'postgresql', config: pgConfig() });
      expect(made.status).toBe(201);
      expect((await t.http.post(`${API}/${made.body.id}/test`).set(viewer)).status).toBe(403);
      const updated = await t.http.put(`${API}/${made.body.id}`).set(operator).send({ description: 'by operator' });
      expect(updated.status).toBe(200);
      const noDelete = await t.http.delete(`${API}/${made.body.id}`).set(operator);
      expect(noDelete.status).toBe(403);
      expectEnvelope(noDelete.body, 'FORBIDDEN');
      expect((await t.http.delete(`${API}/${made.body.id}`).set(auth)).status).toBe(200);
      expect((await t.http.post(`${API}/export`).set(viewer).send({})).status).toBe(200);
    });
  });

  describe('batch status', () => {
    it('reports per id: unknown ids are errors, not fatal; status changes are recorded', async () => {
      const a = await create({ name: `batch-a-${unique()}`, type: 'postgresql', config: pgConfig() });
      const b = await create({ name: `batch-b-${unique()}`, type: 'postgresql', config: pgConfig() });
      const res = await t.http
        .post(`${API}/batch/status`)
        .set(auth)
        .send({ ids: [a.id, 'ds-does-not-exist', b.id], status: 'inactive' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        total: 3,
        success: 2,
        failed: 1,
        errors: [{ id: 'ds-does-not-exist', code: 'NOT_FOUND', message: expect.stringContaining('ds-does-not-exist') }],
      });
      const got = await t.http.get(`${API}/${a.id}`).set(auth);
      expect(got.body.status).toBe('inactive');
      expect(Date.parse(got.body.status_changed_at)).toBeGreaterThanOrEqual(Date.parse(a.created_at as string));
      const changes = await t.store.query(
        "SELECT details FROM audit_logs WHERE action = 'datasources.status_changed' AND resource_id = ?",
        [a.id],
      );
      expect(changes).toHaveLength(1);
      expect(JSON.parse(String(changes[0].details))).toMatchObject({ from: 'active', to: 'inactive', reason: 'batch' });

      const back = await t.http
        .post(`${API}/batch/status`)
        .set(auth)
        .send({ ids: [a.id, b.id], status: 'active' });
      expect(back.body).toEqual({ total: 2, success: 2, failed: 0, errors: [] });
    });

    it('400 for statuses other than active/inactive or an empty id list', async () => {
      for (const body of [{ ids: ['ds-1'], status: 'error' }, { ids: [], status: 'active' }, { status: 'active' }]) {
        const res = await t.http.post(`${API}/batch/status`).set(auth).send(body);
        expect(res.status).toBe(400);
        expectEnvelope(res.body, 'INVALID_REQUEST');
      }
    });
  });

  describe('export and import', () => {
    it('exports JSON and YAML with every secret as "******"', async () => {
      const tag = unique();
      const ds = await create({
        name: `exp-${tag}`,
        type: 'postgresql',
        config: pgConfig({ password: 'export-secret-pw' }),
        description: 'to export',
      });
      const json = await t.http
        .post(`${API}/export`)
        .set(auth)
        .send({ ids: [ds.id] });
      expect(json.status).toBe(200);
      expect(json.body).toMatchObject({
        count: 1,
        data_sources: [
          { name: `exp-${tag}`, type: 'postgresql', description: 'to export', config: { password: '******' } },
        ],
      });
      expect(JSON.stringify(json.body)).not.toContain('export-secret-pw');
      expect(JSON.stringify(json.body)).not.toContain('enc:v1');

      const yaml = await t.http
        .post(`${API}/export`)
        .set(auth)
        .send({ format: 'yaml' })
        .buffer(true)
        .parse((res, cb) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => cb(null, text));
        });
      expect(yaml.status).toBe(200);
      expect(yaml.headers['content-type']).toContain('application/yaml');
      const text = yaml.body as string;
      expect(text).not.toContain('export-secret-pw');
      expect(text).not.toContain('enc:v1');
      const doc = parseYaml(text) as { data_sources: Body[] };
      expect(doc.data_sources.find((d) => d.name === `exp-${tag}`)).toMatchObject({ config: { password: '******' } });

      const missing = await t.http
        .post(`${API}/export`)
        .set(auth)
        .send({ ids: ['ds-nope'] });
      expect(missing.status).toBe(404);
    });

    it('imports a list; one bad item imports nothing; continue_on_error imports the good ones', async () => {
      const tag = unique();
      const count = async () => Number((await t.store.query('SELECT COUNT(*) AS n FROM data_sources'))[0].n);
      const before = await count();
      const good = (n: string) => ({
        name: `imp-${n}-${tag}`,
        type: 'postgresql',
        config: pgConfig({ password: `imp-pw-${n}` }),
        tags: ['imported'],
      });

      const allOrNothing = await t.http
        .post(`${API}/import`)
        .set(auth)
        .send({
          data_sources: [
            good('a'),
            { name: `imp-bad-${tag}`, type: 'postgresql', config: { host: 'h', port: 'x' } },
            good('b'),
          ],
        });
      expect(allOrNothing.status).toBe(200);
      expect(allOrNothing.body).toMatchObject({ total: 3, success: 0, failed: 1, data_sources: [] });
      expect(allOrNothing.body.errors).toEqual([
        { index: 1, name: `imp-bad-${tag}`, code: 'INVALID_REQUEST', message: expect.stringContaining('config.port') },
      ]);
      expect(allOrNothing.body.message).toContain('Nothing imported');
      expect(await count()).toBe(before);

      const partial = await t.http
        .post(`${API}/import`)
        .set(auth)
        .send({
          continue_on_error: true,
          data_sources: [good('a'), { name: `imp-bad-${tag}`, type: 'kafkaesque', config: {} }, good('b')],
        });
      expect(partial.body).toMatchObject({ total: 3, success: 2, failed: 1 });
      expect(partial.body.errors[0]).toMatchObject({ index: 1, code: 'INVALID_REQUEST' });
      expect((partial.body.data_sources as Body[]).map((d) => d.action)).toEqual(['created', 'created']);
      expect(await count()).toBe(before + 2);
      const rows = await t.store.query('SELECT config FROM data_sources WHERE name LIKE ?', [`imp-%-${tag}`]);
      for (const r of rows) expect(String(r.config)).not.toMatch(/imp-pw-/);

      // the same names again: conflicts, so nothing is imported
      const again = await t.http
        .post(`${API}/import`)
        .set(auth)
        .send({ data_sources: [good('a')] });
      expect(again.body).toMatchObject({ success: 0, failed: 1, errors: [{ index: 0, code: 'CONFLICT' }] });
    });

    it('imports YAML and re-imports an export with update_existing, keeping stored secrets', async () => {
      const tag = unique();
      const yamlDoc = [
        'data_sources:',
        `  - name: yaml-src-${tag}`,
        '    type: postgresql',
        '    config:',
        `      host: ${PG.host}`,
        '      username: postgres',
        '      password: yaml-secret-pw',
        '    tags: [from-yaml]',
        '',
      ].join('\n');
      const imported = await t.http
        .post(`${API}/import`)
        .set(auth)
        .set('Content-Type', 'application/yaml')
        .send(yamlDoc);
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({ total: 1, success: 1, failed: 0 });
      const id = imported.body.data_sources[0].id as string;

      const exported = await t.http
        .post(`${API}/export`)
        .set(auth)
        .send({ ids: [id] });
      exported.body.data_sources[0].description = 'round trip';
      const reimport = await t.http
        .post(`${API}/import`)
        .set(auth)
        .send({ ...exported.body, update_existing: true });
      expect(reimport.body).toMatchObject({ success: 1, failed: 0, data_sources: [{ id, action: 'updated' }] });
      const run = await t.app.get(DataSourcesService).requireForRun(id);
      expect(run.config.password).toBe('yaml-secret-pw');
      expect((await t.http.get(`${API}/${id}`).set(auth)).body.description).toBe('round trip');

      // an export imported as new keeps no secret: the masked password is left unset, with a warning
      exported.body.data_sources[0].name = `yaml-copy-${tag}`;
      const copy = await t.http.post(`${API}/import`).set(auth).send(exported.body);
      expect(copy.body).toMatchObject({
        success: 1,
        warnings: [{ index: 0, message: expect.stringContaining('config.password') }],
      });
      const copyRun = await t.app.get(DataSourcesService).requireForRun(copy.body.data_sources[0].id as string);
      expect(copyRun.config.password).toBeUndefined();
    });

    it('400 for a document that is not a list of data sources', async () => {
      const notYaml = await t.http
        .post(`${API}/import`)
        .set(auth)
        .set('Content-Type', 'application/yaml')
        .send('data_sources: [unclosed');
      expect(notYaml.status).toBe(400);
      expectEnvelope(notYaml.body, 'INVALID_REQUEST');
      const noList = await t.http.post(`${API}/import`).set(auth).send({ items: [] });
      expect(noList.status).toBe(400);
    });
  });

  it('never writes a secret into the audit log', async () => {
    const rows = await t.store.query("SELECT details FROM audit_logs WHERE resource_type = 'datasources'");
    expect(rows.length).toBeGreaterThan(5);
    const all = rows.map((r) => String(r.details)).join('\n');
    for (const secret of ['clear-text-pw-1', 'keep-me-pw', 'export-secret-pw', 'imp-pw-a', 'yaml-secret-pw'])
      expect(all).not.toContain(secret);
  });

  describeWithServers(['postgres'], 'connection tests against the real PostgreSQL', () => {
    it('POST /datasources/{id}/test: success with latency, server_info and version; status active with the test recorded', async () => {
      const ds = await create({
        name: `pg-test-${unique()}`,
        type: 'postgresql',
        config: pgConfig({ password: 'any-password' }),
      });
      const res = await t.http.post(`${API}/${ds.id}/test`).set(auth);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        success: true,
        server_info: expect.stringMatching(/^PostgreSQL \d+/),
        version: expect.stringMatching(/^\d+/),
      });
      expect(typeof res.body.message).toBe('string');
      expect(res.body.latency).toBeGreaterThanOrEqual(0);
      expect((res.body.steps as Body[]).map((s) => s.name)).toEqual(['resolve', 'tcp', 'authenticate', 'catalog']);
      const got = await t.http.get(`${API}/${ds.id}`).set(auth);
      expect(got.body).toMatchObject({ status: 'active', last_error: null });
      expect(got.body.last_test_at).toMatch(/Z$/);
      expect(typeof got.body.last_latency_ms).toBe('number');
    });

    it('a PUT that omits the password still connects', async () => {
      const ds = await create({
        name: `pg-put-${unique()}`,
        type: 'postgresql',
        config: pgConfig({ password: 'pg-put-secret', database: 'postgres' }),
      });
      const put = await t.http
        .put(`${API}/${ds.id}`)
        .set(auth)
        .send({ config: { database: 'test', timeout: 15 } });
      expect(put.status).toBe(200);
      const res = await t.http.post(`${API}/${ds.id}/test`).set(auth);
      expect(res.body.success).toBe(true);
      expect((await t.app.get(DataSourcesService).requireForRun(ds.id)).config.password).toBe('pg-put-secret');
    });

    it('a failing test gives success:false with details, sets status error and records the change', async () => {
      const ds = await create({
        name: `pg-down-${unique()}`,
        type: 'postgresql',
        config: pgConfig({ port: 1, timeout: 5 }),
      });
      const res = await t.http.post(`${API}/${ds.id}/test`).set(auth);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: false, error_code: 'UNREACHABLE' });
      expect(res.body.details).toEqual(expect.any(String));
      expect(res.body.message).toContain('127.0.0.1:1');
      const got = await t.http.get(`${API}/${ds.id}`).set(auth);
      expect(got.body.status).toBe('error');
      expect(got.body.last_error).toContain('127.0.0.1:1');
      const changes = await t.store.query(
        "SELECT actor_username, details FROM audit_logs WHERE action = 'datasources.status_changed' AND resource_id = ?",
        [ds.id],
      );
      expect(changes).toHaveLength(1);
      expect(changes[0].actor_username).toBe('admin');
      expect(JSON.parse(String(changes[0].details))).toMatchObject({ from: 'active', to: 'error', reason: 'test' });

      // fixed: the next test makes it active again
      await t.http
        .put(`${API}/${ds.id}`)
        .set(auth)
        .send({ config: { port: PG.port } })
        .expect(200);
      const fixed = await t.http.post(`${API}/${ds.id}/test`).set(auth);
      expect(fixed.body.success).toBe(true);
      expect((await t.http.get(`${API}/${ds.id}`).set(auth)).body).toMatchObject({
        status: 'active',
        last_error: null,
      });
    });

    it('a refused address (cloud metadata) gives ADDRESS_REFUSED without any connection attempt', async () => {
      const ds = await create({
        name: `pg-metadata-${unique()}`,
        type: 'postgresql',
        config: pgConfig({ host: '169.254.169.254' }),
      });
      const res = await t.http.post(`${API}/${ds.id}/test`).set(auth);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: false, error_code: 'ADDRESS_REFUSED' });
      expect(res.body.steps).toEqual([expect.objectContaining({ name: 'resolve', ok: false })]);
      expect(res.body.details).toContain('CONNECT_ALLOW_CIDRS');

      const unsaved = await t.http
        .post(`${API}/test`)
        .set(auth)
        .send({ type: 'postgresql', config: pgConfig({ host: '169.254.169.254' }) });
      expect(unsaved.body).toMatchObject({ success: false, error_code: 'ADDRESS_REFUSED' });
    });

    it('POST /datasources/test tests an unsaved config, or edits over a saved one where "******" stands for its password', async () => {
      const ok = await t.http.post(`${API}/test`).set(auth).send({ type: 'postgresql', config: pgConfig() });
      expect(ok.status).toBe(200);
      expect(ok.body.success).toBe(true);
      const bad = await t.http
        .post(`${API}/test`)
        .set(auth)
        .send({ type: 'postgresql', config: { port: 5432 } });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain('config.host');

      const ds = await create({
        name: `pg-edit-${unique()}`,
        type: 'postgresql',
        config: pgConfig({ password: 'saved-pw' }),
      });
      const edit = await t.http
        .post(`${API}/test`)
        .set(auth)
        .send({ type: 'postgresql', datasource_id: ds.id, config: { password: '******', database: 'postgres' } });
      expect(edit.body.success).toBe(true);
      const wrongType = await t.http
        .post(`${API}/test`)
        .set(auth)
        .send({ type: 'mongodb', datasource_id: ds.id, config: {} });
      expect(wrongType.status).toBe(400);
      // nothing was saved by testing
      expect((await t.app.get(DataSourcesService).requireForRun(ds.id)).config.database).toBe('test');
    });

    it('404 for testing an unknown id', async () => {
      const res = await t.http.post(`${API}/ds-missing/test`).set(auth);
      expect(res.status).toBe(404);
      expectEnvelope(res.body, 'NOT_FOUND');
    });
  });

  describe('periodic health check', () => {
    it('re-tests active and erroring sources, leaves inactive ones, and two replicas never test the same source twice', async () => {
      const tag = unique();
      // Nothing listens on port 1: each test fails fast.
      const down = (n: string) =>
        create({
          name: `hc-${n}-${tag}`,
          type: 'postgresql',
          config: pgConfig({ host: '127.0.0.1', port: 1, timeout: 5 }),
        });
      const sources = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(down));
      const inactive = await down('off');
      await t.http
        .post(`${API}/batch/status`)
        .set(auth)
        .send({ ids: [inactive.id], status: 'inactive' })
        .expect(200);

      const replica = await bootApp({
        store: t.store,
        keepStore: true,
        env: { HEALTH_CHECK_INTERVAL_SECONDS: '3600' },
      });
      try {
        const now = new Date();
        const [mine, theirs] = await Promise.all([
          t.app.get(DataSourcesHealthCheckService).runOnce(now),
          replica.app.get(DataSourcesHealthCheckService).runOnce(now),
        ]);
        const ours = new Set(sources.map((s) => s.id));
        const tested = [...mine, ...theirs].filter((id) => ours.has(id) || id === inactive.id);
        expect(tested.sort()).toEqual([...ours].sort());
        expect(new Set(tested).size).toBe(tested.length);

        for (const s of sources) {
          const got = await t.http.get(`${API}/${s.id}`).set(auth);
          expect(got.body.status).toBe('error');
          expect(got.body.last_error).toContain('127.0.0.1:1');
        }
        expect((await t.http.get(`${API}/${inactive.id}`).set(auth)).body).toMatchObject({
          status: 'inactive',
          last_test_at: null,
        });
        const changes = await t.store.query(
          "SELECT actor_username, details FROM audit_logs WHERE action = 'datasources.status_changed' AND resource_id = ?",
          [sources[0].id],
        );
        expect(changes).toHaveLength(1);
        expect(changes[0].actor_username).toBe('health-check');
        expect(JSON.parse(String(changes[0].details))).toMatchObject({
          from: 'active',
          to: 'error',
          reason: 'health_check',
        });

        // just tested: not due again within the interval
        const again = await t.app.get(DataSourcesHealthCheckService).runOnce(new Date());
        expect(again.filter((id) => ours.has(id))).toEqual([]);
      } finally {
        await replica.close();
      }
    });

    it('runs on its own every HEALTH_CHECK_INTERVAL_SECONDS', async () => {
      const fast = await bootApp({ env: { HEALTH_CHECK_INTERVAL_SECONDS: '1' } });
      try {
        const res = await fast.http
          .post(API)
          .set(bearer(fast.adminToken))
          .send({
            name: `hc-timer-${unique()}`,
            type: 'postgresql',
            config: pgConfig({ host: '127.0.0.1', port: 1, timeout: 5 }),
          });
        expect(res.status).toBe(201);
        let status = 'active';
        for (let i = 0; i < 40 && status === 'active'; i++) {
          await new Promise((r) => setTimeout(r, 250));
          status = (await fast.http.get(`${API}/${res.body.id}`).set(bearer(fast.adminToken))).body.status as string;
        }
        expect(status).toBe('error');
      } finally {
        await fast.close();
      }
    });
  });
});

describeWithServers(['mariadb'], 'a MySQL source with a password, on the real MariaDB', () => {
  let t: TestApp;
  let auth: { Authorization: string };
  const user = `md_it_${randomBytes(3).toString('hex')}`;
  const password = `Pw-${randomBytes(8).toString('hex')}`;
  const admin = () => createConnection({ host: MARIADB.host, port: MARIADB.port, user: 'root', database: 'test' });

  beforeAll(async () => {
    const c = await admin();
    try {
      await c.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
      await c.query(`CREATE USER '${user}'@'localhost' IDENTIFIED BY '${password}'`);
      await c.query(`GRANT SELECT, SHOW VIEW ON test.* TO '${user}'@'%'`);
      await c.query(`GRANT SELECT, SHOW VIEW ON test.* TO '${user}'@'localhost'`);
    } finally {
      await c.end();
    }
    t = await bootApp({ env: { HEALTH_CHECK_INTERVAL_SECONDS: '0' } });
    auth = bearer(t.adminToken);
  });
  afterAll(async () => {
    await t?.close();
    const c = await admin();
    try {
      await c.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await c.query(`DROP USER IF EXISTS '${user}'@'localhost'`);
    } finally {
      await c.end();
    }
  });

  it('a PUT that omits the password still connects; a wrong password fails with AUTH_FAILED; nothing stored in clear', async () => {
    const created = await t.http
      .post(API)
      .set(auth)
      .send({
        name: `mariadb-${user}`,
        type: 'mysql',
        config: { host: MARIADB.host, port: MARIADB.port, username: user, password, database: 'test' },
      });
    expect(created.status).toBe(201);
    expect(created.body.config.password).toBe('******');
    const id = created.body.id as string;

    const first = await t.http.post(`${API}/${id}/test`).set(auth);
    expect(first.body).toMatchObject({ success: true });

    const put = await t.http
      .put(`${API}/${id}`)
      .set(auth)
      .send({ description: 'password omitted', config: { timeout: 15 } });
    expect(put.status).toBe(200);
    const second = await t.http.post(`${API}/${id}/test`).set(auth);
    expect(second.body).toMatchObject({ success: true });

    await t.http
      .put(`${API}/${id}`)
      .set(auth)
      .send({ config: { password: 'not-the-password' } })
      .expect(200);
    const wrong = await t.http.post(`${API}/${id}/test`).set(auth);
    expect(wrong.body).toMatchObject({ success: false, error_code: 'AUTH_FAILED' });
    expect((await t.http.get(`${API}/${id}`).set(auth)).body.status).toBe('error');

    await t.http.put(`${API}/${id}`).set(auth).send({ config: { password } }).expect(200);
    expect((await t.http.post(`${API}/${id}/test`).set(auth)).body.success).toBe(true);

    const rows = await t.store.query('SELECT config FROM data_sources WHERE id = ?', [id]);
    expect(String(rows[0].config)).not.toContain(password);
    const audit = await t.store.query('SELECT details FROM audit_logs');
    expect(audit.map((r) => String(r.details)).join('\n')).not.toContain(password);
  });
});
