/**
 * PII suggestions from data profiles, on a real PostgreSQL table with e-mail, phone and card
 * columns: a data_profile run proposes tags with a confidence and counts as evidence (never the
 * values); accepting one tags the field, rejecting one keeps it from being proposed again.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';
import { waitFor } from './support/wait';

interface Suggestion {
  id: string;
  field: string;
  tag: string;
  confidence: number;
  evidence: { name_match: boolean; values_checked: number; values_matched: number };
  status: string;
  execution_id: string;
}

const EMAILS = Array.from({ length: 30 }, (_, i) => `person${i}@example.com`);
const PHONES = Array.from({ length: 30 }, (_, i) => `+1 415 555 ${String(2600 + i)}`);

describeE2E('PII suggestions from data profiles', () => {
  describeWithServers(['postgres'], 'on a real PostgreSQL table', () => {
    const { host, port } = SERVER_ENDPOINTS.postgres;
    const schema = `pii_e2e_${randomBytes(4).toString('hex')}`;
    let pg: Client;
    let t: TestApp;
    let sourceId: string;
    let viewer: string;
    let steward: string;

    const api = (path: string) => `/api/v1${path}`;
    const get = (path: string, token = t.adminToken) => t.http.get(api(path)).set(bearer(token));
    const post = (path: string, body: object = {}, token = t.adminToken) =>
      t.http.post(api(path)).set(bearer(token)).send(body);

    async function run(type: string, config: object): Promise<string> {
      const task = await post('/tasks', {
        name: `pii-${type}-${randomBytes(3).toString('hex')}`,
        type,
        datasource_id: sourceId,
        config,
      });
      expect(task.status).toBe(201);
      const started = await post(`/tasks/${task.body.id}/execute`);
      expect(started.status).toBe(202);
      const done = await waitFor(
        'the run to finish',
        async () => {
          const e = await get(`/tasks/${task.body.id}/executions/${started.body.execution_id}`);
          return ['completed', 'failed', 'cancelled'].includes(e.body.status) ? e.body : undefined;
        },
        60_000,
      );
      expect(done).toMatchObject({ status: 'completed' });
      return started.body.execution_id as string;
    }

    const pending = async (token = viewer) => {
      const res = await get(`/annotations/suggestions?datasource_id=${sourceId}&page_size=100`, token);
      expect(res.status).toBe(200);
      return res.body.suggestions as Suggestion[];
    };

    beforeAll(async () => {
      pg = new Client({ host, port, user: 'postgres', database: 'test' });
      await pg.connect();
      await pg.query(`CREATE SCHEMA ${schema}`);
      await pg.query(
        `CREATE TABLE ${schema}.contacts (id integer PRIMARY KEY, email text, phone text, card_no text, nickname text)`,
      );
      for (let i = 0; i < 30; i++)
        await pg.query(`INSERT INTO ${schema}.contacts VALUES ($1, $2, $3, $4, $5)`, [
          i,
          EMAILS[i],
          PHONES[i],
          '4111111111111111',
          `nick${i}`,
        ]);
      t = await bootApp();
      const ds = await post('/datasources', {
        name: `pii-pg-${randomBytes(3).toString('hex')}`,
        type: 'postgresql',
        config: { host, port, database: 'test', username: 'postgres' },
      });
      expect(ds.status).toBe(201);
      sourceId = ds.body.id;
      for (const role of ['viewer', 'steward'] as const) {
        const username = `${role}-${randomBytes(3).toString('hex')}`;
        const password = `${role}-pii-password-7`;
        expect((await post('/users', { username, password, role })).status).toBe(201);
        if (role === 'viewer') viewer = await t.login(username, password);
        else steward = await t.login(username, password);
      }
      await run('full_collection', { include_schemas: [schema] });
    });

    afterAll(async () => {
      await t?.close();
      await pg?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await pg?.end();
    });

    it('a data_profile run suggests e-mail and phone from values, the card column from its name alone', async () => {
      const execution = await run('data_profile', { include_schemas: [schema], top_values: true, top_n: 10 });
      const found = await pending();
      expect(found.map((s) => [s.field, s.tag]).sort()).toEqual([
        ['card_no', 'PII.CreditCard'],
        ['email', 'PII.Email'],
        ['phone', 'PII.Phone'],
      ]);
      const byField = Object.fromEntries(found.map((s) => [s.field, s]));
      expect(byField.email).toMatchObject({
        confidence: 100,
        evidence: { name_match: true, values_checked: 10, values_matched: 10 },
        status: 'pending',
        execution_id: execution,
      });
      expect(byField.phone).toMatchObject({ confidence: 100, evidence: { values_matched: 10 } });
      // card_no looks secret: the profile holds none of its values, so only the name speaks.
      expect(byField.card_no).toMatchObject({ confidence: 30, evidence: { name_match: true, values_checked: 0 } });
      expect(found[0].tag).not.toBe('PII.CreditCard');
      const body = JSON.stringify(found);
      for (const secret of [...EMAILS, ...PHONES, '4111111111111111']) expect(body).not.toContain(secret);
    });

    it('accepting tags the field (defining PII.Email); rejecting is remembered; a decided one cannot be decided again', async () => {
      const found = await pending();
      const email = found.find((s) => s.field === 'email')!;
      const phone = found.find((s) => s.field === 'phone')!;
      expect((await post(`/annotations/suggestions/${email.id}/accept`, {}, viewer)).status).toBe(403);

      const accepted = await post(`/annotations/suggestions/${email.id}/accept`, {}, steward);
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ status: 'accepted', decided_by: expect.stringMatching(/^steward-/) });
      expect((await post(`/annotations/suggestions/${phone.id}/reject`, {}, steward)).body).toMatchObject({
        status: 'rejected',
      });
      const again = await post(`/annotations/suggestions/${email.id}/reject`, {}, steward);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'CONFLICT' });

      const assets = await get(`/metadata/assets?datasource_id=${sourceId}&namespace=${schema}`, viewer);
      const contacts = (assets.body.assets as Array<{ id: string; name: string }>).find((a) => a.name === 'contacts')!;
      const field = await get(`/metadata/assets/${contacts.id}/fields/email/annotations`, viewer);
      expect(field.body).toMatchObject({ tags: ['PII.Email'], version: 1 });
      expect((await get('/tags/PII', viewer)).body.tags.map((x: { fqn: string }) => x.fqn)).toEqual(['PII.Email']);
      expect((await get(`/metadata/assets?tag=PII.Email&datasource_id=${sourceId}`, viewer)).body.total).toBe(1);
    });

    it('the next profile proposes neither the accepted nor the rejected tag again; the undecided one is refreshed', async () => {
      const before = (await pending()).find((s) => s.field === 'card_no')!;
      const execution = await run('data_profile', { include_schemas: [schema] });
      const after = await pending();
      expect(after.map((s) => s.field)).toEqual(['card_no']);
      expect(after[0]).toMatchObject({ id: before.id, execution_id: execution });
      const decided = await get(`/annotations/suggestions?datasource_id=${sourceId}&status=rejected`, viewer);
      expect(decided.body.suggestions.map((s: Suggestion) => s.field)).toEqual(['phone']);
    });
  });
});
