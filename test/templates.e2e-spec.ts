import { randomBytes } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { DATA_SOURCE_TYPES } from '@app/connectors';
import { ConnectorsService } from '../src/connectors/connectors.service';
import { DataSourcesService } from '../src/datasources/datasources.service';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';
import { seedKeysOf } from './support/envelope';

const API = '/api/v1/templates';
const PG = SERVER_ENDPOINTS.postgres;

type Body = Record<string, unknown>;

const expectEnvelope = (body: Body, code: string) => {
  expect(seedKeysOf(body)).toEqual(['code', 'details', 'message', 'request_id']);
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
      expect(templates.find((x) => x.is_system)).toMatchObject({
        id: 'tpl-system-postgresql',
        config_template: { port: 5432, timeout: 30 },
      });
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
      const count = async () =>
        (await t.store.query('SELECT is_system FROM templates')).filter(
          (r) => r.is_system === true || r.is_system === 1,
        ).length;
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
        .send({
          name,
          type: 'postgresql',
          description: 'Standard PostgreSQL configuration',
          config_template: { port: 5432, timeout: 30, max_conns: 10, max_idle_conns: 5 },
        });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name,
        type: 'postgresql',
        is_system: false,
        config_template: { port: 5432, timeout: 30, max_conns: 10, max_idle_conns: 5 },
      });
      expect(res.body.id).toMatch(/^tpl-[0-9a-z]{26}$/);
      expect(res.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const id = res.body.id as string;

      expect((await t.http.get(`${API}/${id}`).set(auth)).body).toEqual(res.body);
      const listed = await t.http.get(API).query({ type: 'postgresql', is_system: 'false', page_size: 100 }).set(auth);
      expect((listed.body.templates as Body[]).map((x) => x.id)).toContain(id);

      const upd = await t.http
        .put(`${API}/${id}`)
        .set(auth)
        .send({ description: 'changed', config_template: { timeout: 60, max_idle_conns: null } });
      expect(upd.status).toBe(200);
      expect(upd.body).toMatchObject({
        description: 'changed',
        config_template: { port: 5432, timeout: 60, max_conns: 10 },
      });
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
      const otherType = t.app
        .get(ConnectorsService)
        .registry.list()
        .find((d) => d.type !== 'postgresql')!.type;
      const other = await t.http.post(API).set(auth).send({ name, type: otherType, config_template: {} });
      expect(other.status).toBe(201);
      const renamed = await create({ name: `rename-${unique()}`, type: 'postgresql', config_template: {} });
      const clash = await t.http.put(`${API}/${renamed.id}`).set(auth).send({ name });
      expect(clash.status).toBe(409);
    });

    it('400 naming the field for settings the type does not have or of the wrong type', async () => {
      const unknown = await t.http
        .post(API)
        .set(auth)
        .send({ name: `bad-${unique()}`, type: 'postgresql', config_template: { brokers: ['k:9092'] } });
      expect(unknown.status).toBe(400);
      expectEnvelope(unknown.body, 'INVALID_REQUEST');
      expect(unknown.body.message).toContain('config_template.brokers');
      const wrongType = await t.http
        .post(API)
        .set(auth)
        .send({ name: `bad-${unique()}`, type: 'postgresql', config_template: { port: '5432' } });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.message).toContain('config_template.port');
      const noType = await t.http
        .post(API)
        .set(auth)
        .send({ name: `bad-${unique()}`, config_template: {} });
      expect(noType.status).toBe(400);
      expect(noType.body.details).toContain('type');
    });

    it('a secret in a template is encrypted in the store and masked in responses', async () => {
      const tpl = await create({
        name: `with-secret-${unique()}`,
        type: 'postgresql',
        config_template: { username: 'svc', password: 'tpl-secret-pw' },
      });
      expect(tpl.config_template).toEqual({ username: 'svc', password: '******' });
      const rows = await t.store.query('SELECT config_template FROM templates WHERE id = ?', [tpl.id]);
      expect(String(rows[0].config_template)).not.toContain('tpl-secret-pw');
      const audit = await t.store.query("SELECT details FROM audit_logs WHERE resource_type = 'templates'");
      expect(audit.map((r) => String(r.details)).join('\n')).not.toContain('tpl-secret-pw');
    });

    it('a viewer cannot create or change templates', async () => {
      const viewer = bearer(await t.tokenFor('viewer'));
      expect((await t.http.get(API).set(viewer)).status).toBe(200);
      const res = await t.http
        .post(API)
        .set(viewer)
        .send({ name: `v-${unique()}`, type: 'postgresql', config_template: {} });
      expect(res.status).toBe(403);
      expectEnvelope(res.body, 'FORBIDDEN');
    });
  });

  describe('apply', () => {
    it('merges config_overrides over config_template, validates the result as a data source config, and creates it (201)', async () => {
      const tpl = await create({
        name: `apply-${unique()}`,
        type: 'postgresql',
        config_template: { host: 'production-host', port: 5432, username: 'svc', password: 'applied-pw', timeout: 30 },
      });
      const name = `from-template-${unique()}`;
      const res = await t.http
        .post(`${API}/${tpl.id}/apply`)
        .set(auth)
        .send({ name, config_overrides: { database: 'production_db', timeout: 10 }, tags: ['templated'] });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name,
        type: 'postgresql',
        status: 'active',
        config: {
          host: 'production-host',
          port: 5432,
          username: 'svc',
          password: '******',
          database: 'production_db',
          timeout: 10,
        },
        tags: ['templated'],
      });
      expect(res.body.id).toMatch(/^ds-/);
      const run = await t.app.get(DataSourcesService).requireForRun(res.body.id as string);
      expect(run.config.password).toBe('applied-pw');
    });

    it("a template's stored secret goes only to the template's own address: another host needs the secret sent again", async () => {
      const hostless = await create({
        name: `apply-hostless-${unique()}`,
        type: 'postgresql',
        config_template: { port: 5432, username: 'svc', password: 'bound-pw' },
      });
      const elsewhere = await t.http
        .post(`${API}/${hostless.id}/apply`)
        .set(auth)
        .send({ name: `x-${unique()}`, config_overrides: { host: 'caller-picked-host' } });
      expect(elsewhere.status).toBe(400);
      expectEnvelope(elsewhere.body, 'INVALID_REQUEST');
      expect(elsewhere.body.message).toMatch(
        /config_overrides\.password must be sent again: config_overrides\.host differs/,
      );
      const resent = await t.http
        .post(`${API}/${hostless.id}/apply`)
        .set(auth)
        .send({ name: `x-${unique()}`, config_overrides: { host: 'caller-picked-host', password: 'own-pw' } });
      expect(resent.status).toBe(201);
      expect((await t.app.get(DataSourcesService).requireForRun(resent.body.id as string)).config.password).toBe(
        'own-pw',
      );
    });

    it('400 naming the field when the merged config is incomplete or wrong; 409 for a taken name; 404 for an unknown template', async () => {
      const tpl = await create({ name: `apply-bad-${unique()}`, type: 'postgresql', config_template: { port: 5432 } });
      const noHost = await t.http
        .post(`${API}/${tpl.id}/apply`)
        .set(auth)
        .send({ name: `x-${unique()}` });
      expect(noHost.status).toBe(400);
      expectEnvelope(noHost.body, 'INVALID_REQUEST');
      expect(noHost.body.message).toContain('config.host');
      const badPort = await t.http
        .post(`${API}/${tpl.id}/apply`)
        .set(auth)
        .send({ name: `x-${unique()}`, config_overrides: { host: 'h', port: 0 } });
      expect(badPort.status).toBe(400);
      expect(badPort.body.message).toContain('config.port');

      const name = `taken-${unique()}`;
      await t.http
        .post(`${API}/${tpl.id}/apply`)
        .set(auth)
        .send({ name, config_overrides: { host: 'h' } })
        .expect(201);
      const taken = await t.http
        .post(`${API}/${tpl.id}/apply`)
        .set(auth)
        .send({ name, config_overrides: { host: 'h' } });
      expect(taken.status).toBe(409);
      expectEnvelope(taken.body, 'CONFLICT');

      const missing = await t.http
        .post(`${API}/tpl-missing/apply`)
        .set(auth)
        .send({ name: `x-${unique()}` });
      expect(missing.status).toBe(404);
      expectEnvelope(missing.body, 'NOT_FOUND');
    });

    describeWithServers(['postgres'], 'against the real PostgreSQL', () => {
      it('applying the built-in template gives a source whose connection test succeeds', async () => {
        const res = await t.http
          .post(`${API}/tpl-system-postgresql/apply`)
          .set(auth)
          .send({
            name: `builtin-pg-${unique()}`,
            config_overrides: { host: PG.host, port: PG.port, username: 'postgres', database: 'test' },
          });
        expect(res.status).toBe(201);
        const test = await t.http.post(`/api/v1/datasources/${res.body.id}/test`).set(auth);
        expect(test.status).toBe(200);
        expect(test.body).toMatchObject({ success: true, server_info: expect.stringMatching(/^PostgreSQL/) });
        expect((await t.http.get(`/api/v1/datasources/${res.body.id}`).set(auth)).body.status).toBe('active');
      });
    });
  });

  describe('export and import', () => {
    const count = async () => Number((await t.store.query('SELECT COUNT(*) AS n FROM templates'))[0].n);
    const storedConfig = async (id: string) =>
      String((await t.store.query('SELECT config_template FROM templates WHERE id = ?', [id]))[0].config_template);
    const exportYaml = (body: Body) =>
      t.http
        .post(`${API}/export`)
        .set(auth)
        .send(body)
        .buffer(true)
        .parse((res, cb) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => cb(null, text));
        });
    /** Applies a template and returns the clear config the new data source runs with. */
    const applyAndReveal = async (id: string, overrides: Body = { database: 'd' }) => {
      const res = await t.http
        .post(`${API}/${id}/apply`)
        .set(auth)
        .send({ name: `applied-${unique()}`, config_overrides: overrides });
      expect(res.status).toBe(201);
      return (await t.app.get(DataSourcesService).requireForRun(res.body.id as string)).config;
    };

    it('exports JSON with every secret as "******", while the store keeps it encrypted; 404 for an unknown id', async () => {
      const name = `exp-${unique()}`;
      const tpl = await create({
        name,
        type: 'postgresql',
        description: 'to export',
        config_template: { port: 5433, username: 'svc', password: 'tpl-export-pw' },
      });
      const stored = await storedConfig(tpl.id);
      expect(stored).not.toContain('tpl-export-pw');
      expect((JSON.parse(stored) as Body).password).toMatch(/^enc:v1:/);

      const res = await t.http
        .post(`${API}/export`)
        .set(auth)
        .send({ ids: [tpl.id] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        exported_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        count: 1,
        templates: [
          {
            name,
            type: 'postgresql',
            description: 'to export',
            config_template: { port: 5433, username: 'svc', password: '******' },
            is_system: false,
          },
        ],
      });
      expect(JSON.stringify(res.body)).not.toContain('tpl-export-pw');
      expect(JSON.stringify(res.body)).not.toContain('enc:v1');

      const missing = await t.http
        .post(`${API}/export`)
        .set(auth)
        .send({ ids: ['tpl-nope'] });
      expect(missing.status).toBe(404);
      expectEnvelope(missing.body, 'NOT_FOUND');
    });

    it('exports YAML (application/yaml) with secrets masked', async () => {
      const name = `exp-yaml-${unique()}`;
      await create({ name, type: 'postgresql', config_template: { username: 'svc', password: 'tpl-export-yaml-pw' } });
      const res = await exportYaml({ format: 'yaml', type: 'postgresql' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('application/yaml');
      const text = res.body as string;
      expect(text).not.toContain('tpl-export-yaml-pw');
      expect(text).not.toContain('enc:v1');
      const doc = parseYaml(text) as { count: number; templates: Body[] };
      expect(doc.templates.find((x) => x.name === name)).toEqual({
        name,
        type: 'postgresql',
        config_template: { username: 'svc', password: '******' },
        is_system: false,
      });
      expect(doc.count).toBe(doc.templates.length);
      expect(doc.templates.every((x) => x.type === 'postgresql' && x.is_system === false)).toBe(true);
    });

    it('exports the built-in templates only with include_system', async () => {
      const plain = await t.http.post(`${API}/export`).set(auth).send({});
      expect(plain.status).toBe(200);
      expect((plain.body.templates as Body[]).some((x) => x.is_system)).toBe(false);

      const all = await t.http.post(`${API}/export`).set(auth).send({ include_system: true });
      const system = (all.body.templates as Body[]).filter((x) => x.is_system);
      expect(system.map((x) => x.type).sort()).toEqual([...DATA_SOURCE_TYPES].sort());
      expect(all.body.count).toBe(plain.body.count + DATA_SOURCE_TYPES.length);

      const named = await t.http
        .post(`${API}/export`)
        .set(auth)
        .send({ ids: ['tpl-system-postgresql'] });
      expect(named.status).toBe(400);
      expectEnvelope(named.body, 'INVALID_REQUEST');
      expect(named.body.details).toContain('include_system');
      const asked = await t.http
        .post(`${API}/export`)
        .set(auth)
        .send({ ids: ['tpl-system-postgresql'], include_system: true });
      expect(asked.body).toMatchObject({
        count: 1,
        templates: [
          { name: 'postgresql-builtin', type: 'postgresql', is_system: true, config_template: { port: 5432 } },
        ],
      });
    });

    it('imports JSON: secrets are encrypted at rest and the templates can be applied', async () => {
      const tag = unique();
      const before = await count();
      const res = await t.http
        .post(`${API}/import`)
        .set(auth)
        .send({
          templates: [
            {
              name: `imp-json-${tag}`,
              type: 'postgresql',
              description: 'imported',
              config_template: { host: 'imported-host', port: 5432, username: 'svc', password: 'tpl-import-pw' },
            },
            { name: `imp-json-${tag}`, type: 'mysql', config_template: { port: 3306, charset: 'utf8mb4' } },
          ],
        });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        total: 2,
        success: 2,
        failed: 0,
        errors: [],
        templates: [
          { index: 0, id: expect.stringMatching(/^tpl-[0-9a-z]{26}$/), name: `imp-json-${tag}`, action: 'created' },
          { index: 1, id: expect.stringMatching(/^tpl-[0-9a-z]{26}$/), name: `imp-json-${tag}`, action: 'created' },
        ],
        warnings: [],
        message: 'Imported 2 of 2 templates',
      });
      expect(await count()).toBe(before + 2);
      const id = res.body.templates[0].id as string;
      expect(await storedConfig(id)).not.toContain('tpl-import-pw');
      expect((await t.http.get(`${API}/${id}`).set(auth)).body).toMatchObject({
        description: 'imported',
        is_system: false,
        config_template: { password: '******' },
      });

      const config = await applyAndReveal(id, { database: 'db' });
      expect(config).toMatchObject({
        host: 'imported-host',
        port: 5432,
        username: 'svc',
        password: 'tpl-import-pw',
        database: 'db',
      });
    });

    it('imports YAML (a document, or a bare list with options in the query string)', async () => {
      const tag = unique();
      const yamlDoc = [
        'templates:',
        `  - name: imp-yaml-${tag}`,
        '    type: postgresql',
        '    config_template:',
        '      host: h',
        '      port: 5432',
        '      username: svc',
        '      password: tpl-yaml-pw',
        '',
      ].join('\n');
      const res = await t.http.post(`${API}/import`).set(auth).set('Content-Type', 'application/yaml').send(yamlDoc);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        total: 1,
        success: 1,
        failed: 0,
        templates: [{ index: 0, name: `imp-yaml-${tag}`, action: 'created' }],
      });
      const id = res.body.templates[0].id as string;
      expect(await storedConfig(id)).not.toContain('tpl-yaml-pw');
      expect(await applyAndReveal(id)).toMatchObject({
        host: 'h',
        port: 5432,
        username: 'svc',
        password: 'tpl-yaml-pw',
      });

      const list = [
        `- name: imp-list-${tag}`,
        '  type: redis',
        '  config_template: {port: 6379}',
        `- name: imp-list-bad-${tag}`,
        '  type: redis',
        '  config_template: {port: nope}',
        '',
      ].join('\n');
      const partial = await t.http
        .post(`${API}/import`)
        .query({ continue_on_error: 'true' })
        .set(auth)
        .set('Content-Type', 'application/yaml')
        .send(list);
      expect(partial.status).toBe(200);
      expect(partial.body).toMatchObject({
        total: 2,
        success: 1,
        failed: 1,
        errors: [{ index: 1, code: 'INVALID_REQUEST', message: expect.stringContaining('config_template.port') }],
      });
    });

    it('one bad item imports nothing; continue_on_error imports the good ones; existing names conflict unless update_existing', async () => {
      const tag = unique();
      const good = (n: string) => ({
        name: `imp-${n}-${tag}`,
        type: 'postgresql',
        config_template: { port: 5432, username: 'svc', password: `tpl-imp-pw-${n}` },
      });
      const before = await count();

      const allOrNothing = await t.http
        .post(`${API}/import`)
        .set(auth)
        .send({
          templates: [
            good('a'),
            { name: `imp-bad-${tag}`, type: 'postgresql', config_template: { port: 'x' } },
            good('b'),
            { name: `imp-odd-${tag}`, type: 'db2', config_template: {} },
          ],
        });
      expect(allOrNothing.status).toBe(200);
      expect(allOrNothing.body).toMatchObject({ total: 4, success: 0, failed: 2, templates: [] });
      expect(allOrNothing.body.errors).toEqual([
        {
          index: 1,
          name: `imp-bad-${tag}`,
          code: 'INVALID_REQUEST',
          message: expect.stringContaining('config_template.port'),
        },
        { index: 3, name: `imp-odd-${tag}`, code: 'INVALID_REQUEST', message: expect.stringContaining('type') },
      ]);
      expect(allOrNothing.body.message).toContain('Nothing imported');
      expect(await count()).toBe(before);

      const partial = await t.http
        .post(`${API}/import`)
        .set(auth)
        .send({
          continue_on_error: true,
          templates: [
            good('a'),
            { name: `imp-bad-${tag}`, type: 'postgresql', config_template: { brokers: ['k:9092'] } },
            good('b'),
          ],
        });
      expect(partial.body).toMatchObject({
        total: 3,
        success: 2,
        failed: 1,
        errors: [{ index: 1, code: 'INVALID_REQUEST', message: expect.stringContaining('config_template.brokers') }],
      });
      expect((partial.body.templates as Body[]).map((x) => x.action)).toEqual(['created', 'created']);
      expect(await count()).toBe(before + 2);

      const again = await t.http
        .post(`${API}/import`)
        .set(auth)
        .send({ templates: [good('a')] });
      expect(again.body).toMatchObject({ success: 0, failed: 1, errors: [{ index: 0, code: 'CONFLICT' }] });
      const twice = await t.http
        .post(`${API}/import`)
        .set(auth)
        .send({ templates: [good('c'), good('c')] });
      expect(twice.body).toMatchObject({ success: 0, failed: 1, errors: [{ index: 1, code: 'CONFLICT' }] });
      expect(await count()).toBe(before + 2);

      const updated = await t.http
        .post(`${API}/import`)
        .set(auth)
        .send({
          update_existing: true,
          templates: [{ ...good('a'), description: 'updated by import', config_template: { timeout: 99 } }],
        });
      expect(updated.body).toMatchObject({
        success: 1,
        failed: 0,
        templates: [{ id: partial.body.templates[0].id, action: 'updated' }],
      });
      const got = await t.http.get(`${API}/${partial.body.templates[0].id}`).set(auth);
      expect(got.body).toMatchObject({
        description: 'updated by import',
        config_template: { port: 5432, username: 'svc', password: '******', timeout: 99 },
      });
      expect(await count()).toBe(before + 2);
    });

    it('an item naming a built-in template, or marked is_system, fails with FORBIDDEN and nothing is written', async () => {
      const before = await count();
      const builtIn = (await t.http.get(`${API}/tpl-system-postgresql`).set(auth)).body as Body;
      for (const update_existing of [false, true]) {
        const res = await t.http
          .post(`${API}/import`)
          .set(auth)
          .send({
            update_existing,
            templates: [
              { name: 'postgresql-builtin', type: 'postgresql', description: 'hijacked', config_template: { port: 1 } },
            ],
          });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          success: 0,
          failed: 1,
          errors: [
            { index: 0, name: 'postgresql-builtin', code: 'FORBIDDEN', message: expect.stringContaining('built-in') },
          ],
        });
      }
      const marked = await t.http
        .post(`${API}/import`)
        .set(auth)
        .send({
          continue_on_error: true,
          templates: [{ name: `sys-${unique()}`, type: 'postgresql', config_template: {}, is_system: true }],
        });
      expect(marked.body).toMatchObject({
        success: 0,
        failed: 1,
        errors: [{ index: 0, code: 'FORBIDDEN', message: expect.stringContaining('is_system') }],
      });

      // an export with the built-ins imports nothing as it is: the built-in items fail
      const exported = await t.http.post(`${API}/export`).set(auth).send({ type: 'redis', include_system: true });
      const reimport = await t.http
        .post(`${API}/import`)
        .set(auth)
        .send({ ...exported.body, update_existing: true });
      expect(reimport.body.success).toBe(0);
      expect(reimport.body.errors).toContainEqual(
        expect.objectContaining({ name: 'redis-builtin', code: 'FORBIDDEN' }),
      );

      expect(await count()).toBe(before);
      expect((await t.http.get(`${API}/tpl-system-postgresql`).set(auth)).body).toEqual(builtIn);
    });

    it('"******" leaves a new template\'s secret unset with a warning, and keeps the stored secret of an existing one', async () => {
      // An export imported into another installation: the secret stays behind, the rest comes in.
      const fresh = `mask-new-${unique()}`;
      const imported = await t.http
        .post(`${API}/import`)
        .set(auth)
        .send({
          templates: [{ name: fresh, type: 'postgresql', config_template: { username: 'svc', password: '******' } }],
        });
      expect(imported.body).toMatchObject({
        success: 1,
        failed: 0,
        warnings: [{ index: 0, name: fresh, message: expect.stringContaining('config_template.password') }],
      });
      const freshId = imported.body.templates[0].id as string;
      expect((await t.http.get(`${API}/${freshId}`).set(auth)).body.config_template).toEqual({ username: 'svc' });
      expect(await storedConfig(freshId)).not.toContain('password');

      const name = `mask-${unique()}`;
      const tpl = await create({
        name,
        type: 'postgresql',
        config_template: { host: 'h', port: 5432, username: 'svc', password: 'tpl-keep-pw' },
      });
      const exported = await t.http
        .post(`${API}/export`)
        .set(auth)
        .send({ ids: [tpl.id] });
      exported.body.templates[0].description = 'round trip';
      const reimport = await t.http
        .post(`${API}/import`)
        .set(auth)
        .send({ ...exported.body, update_existing: true });
      expect(reimport.body).toMatchObject({ success: 1, failed: 0, templates: [{ id: tpl.id, action: 'updated' }] });
      expect((await t.http.get(`${API}/${tpl.id}`).set(auth)).body.description).toBe('round trip');
      expect(await applyAndReveal(tpl.id)).toMatchObject({ password: 'tpl-keep-pw' });
    });

    it('400 in the envelope for a document that is not a list of templates, or a password inside a URI (never stored or audited)', async () => {
      const before = await count();
      const bad = async (req: () => Promise<{ status: number; body: Body }>, text?: string) => {
        const res = await req();
        expect(res.status).toBe(400);
        expectEnvelope(res.body, 'INVALID_REQUEST');
        if (text) expect(`${res.body.message} ${res.body.details}`).toContain(text);
      };
      await bad(() =>
        t.http.post(`${API}/import`).set(auth).set('Content-Type', 'application/yaml').send('templates: [unclosed'),
      );
      await bad(() => t.http.post(`${API}/import`).set(auth).send({ items: [] }), 'templates');
      await bad(() => t.http.post(`${API}/import`).set(auth).send({ templates: 'all' }), 'templates');
      await bad(
        () => t.http.post(`${API}/import`).set(auth).set('Content-Type', 'application/yaml').send('just text'),
        'templates',
      );
      await bad(
        () => t.http.post(`${API}/import`).query({ continue_on_error: 'maybe' }).set(auth).send({ templates: [] }),
        'continue_on_error',
      );
      await bad(() => t.http.post(`${API}/export`).set(auth).send({ format: 'xml' }), 'format');

      const nodes = ['http://elastic:uri-embedded-tpl-pw@es1.example:9200'];
      await bad(
        () =>
          t.http
            .post(`${API}/import`)
            .set(auth)
            .send({
              continue_on_error: true,
              templates: [{ name: `es-${unique()}`, type: 'elasticsearch', config_template: { nodes } }],
            }),
        'templates[0].config_template.nodes',
      );
      expect(await count()).toBe(before);
      const audit = await t.store.query('SELECT details FROM audit_logs');
      expect(audit.map((r) => String(r.details)).join('\n')).not.toContain('uri-embedded-tpl-pw');
    });

    it('a viewer may export but not import; an operator may import', async () => {
      const viewer = bearer(await t.tokenFor('viewer'));
      expect((await t.http.post(`${API}/export`).set(viewer).send({})).status).toBe(200);
      const denied = await t.http.post(`${API}/import`).set(viewer).send({ templates: [] });
      expect(denied.status).toBe(403);
      expectEnvelope(denied.body, 'FORBIDDEN');
      const operator = bearer(await t.tokenFor('operator'));
      const res = await t.http
        .post(`${API}/import`)
        .set(operator)
        .send({ templates: [{ name: `op-${unique()}`, type: 'postgresql', config_template: { port: 5432 } }] });
      expect(res.body).toMatchObject({ success: 1, failed: 0 });
    });

    it('the audit log records the imports with no secret in clear', async () => {
      const rows = await t.store.query("SELECT details FROM audit_logs WHERE action = 'templates.import'");
      expect(rows.length).toBeGreaterThan(3);
      const all = (await t.store.query("SELECT details FROM audit_logs WHERE resource_type = 'templates'"))
        .map((r) => String(r.details))
        .join('\n');
      expect(all).toContain('******');
      for (const secret of [
        'tpl-export-pw',
        'tpl-export-yaml-pw',
        'tpl-import-pw',
        'tpl-yaml-pw',
        'tpl-imp-pw-a',
        'tpl-imp-pw-b',
        'tpl-keep-pw',
        'uri-embedded-tpl-pw',
      ]) {
        expect(all).not.toContain(secret);
      }
    });
  });
});
