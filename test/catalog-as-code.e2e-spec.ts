/**
 * Catalog as code: tag groups, glossaries and annotations exported and imported as one YAML or JSON
 * document keyed by names. A real PostgreSQL schema is collected so the annotations land on real
 * assets; the document round-trips, a dry run shows exactly what would change and writes nothing,
 * a second import changes nothing, and one bad entry refuses the whole document.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { createAddressGuard, createDefaultRegistry } from '@app/connectors';
import { CatalogService } from '../src/catalog/catalog.service';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';

interface ImportResult {
  dry_run: boolean;
  changed: number;
  unchanged: number;
  changes: Array<{
    kind: string;
    name: string;
    action: string;
    changes?: Record<string, { old: unknown; new: unknown }>;
  }>;
}

describeE2E('catalog as code', () => {
  describeWithServers(['postgres'], 'on a real PostgreSQL source', () => {
    const { host, port } = SERVER_ENDPOINTS.postgres;
    const schema = `code_e2e_${randomBytes(4).toString('hex')}`;
    const sourceName = `code-pg-${randomBytes(3).toString('hex')}`;
    let pg: Client;
    let t: TestApp;
    let viewer: string;
    let steward: string;
    let stewardName: string;

    const api = (path: string) => `/api/v1${path}`;
    const importYaml = (yaml: string, dryRun: boolean, token = steward) =>
      t.http
        .post(api(`/annotations/import${dryRun ? '?dry_run=true' : ''}`))
        .set(bearer(token))
        .set('Content-Type', 'application/yaml')
        .send(yaml);
    const exportYaml = async () => {
      const res = await t.http.get(api('/annotations/export?format=yaml')).set(bearer(viewer));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/yaml/);
      return res.text;
    };
    const assetAnnotations = async (name: string) => {
      const list = await t.http
        .get(api(`/metadata/assets?namespace=${schema}&q=${name}`))
        .set(bearer(viewer))
        .expect(200);
      const hit = (list.body.assets as Array<{ id: string; name: string }>).find((a) => a.name === name)!;
      return (await t.http.get(api(`/metadata/assets/${hit.id}/annotations`)).set(bearer(viewer))).body;
    };

    const document = () => `
tag_groups:
  - name: PII
    description: Personal data
    tags: [{ name: Email }, { name: Phone }]
  - name: Tier
    mutually_exclusive: true
    tags: [{ name: Gold }, { name: Silver }]
glossaries:
  - name: Sales
    description: Words of the sales team
    terms:
      - { name: Net, parent: Sales.Revenue, related: [Sales.Revenue] }
      - { name: Revenue, synonyms: [turnover], status: approved }
annotations:
  - source: ${sourceName}
    description: The shop's database
  - source: ${sourceName}
    namespace: ${schema}
    asset: customers
    description: People who buy from us
    tags: [Tier.Gold]
    owners: [{ user: ${stewardName}, type: business }]
    certification: { status: certified, note: reviewed }
  - source: ${sourceName}
    namespace: ${schema}
    asset: customers
    field: email
    tags: [PII.Email]
    terms: [Sales.Revenue]
`;

    beforeAll(async () => {
      pg = new Client({ host, port, user: 'postgres', database: 'test' });
      await pg.connect();
      await pg.query(`CREATE SCHEMA ${schema}`);
      await pg.query(`CREATE TABLE ${schema}.customers (id integer PRIMARY KEY, email text, phone text)`);
      t = await bootApp();
      const ds = await t.http
        .post(api('/datasources'))
        .set(bearer(t.adminToken))
        .send({ name: sourceName, type: 'postgresql', config: { host, port, database: 'test', username: 'postgres' } });
      expect(ds.status).toBe(201);
      const connector = createDefaultRegistry()
        .get('postgresql')
        .create(
          { host, port, username: 'postgres', database: 'test', timeout: 10 },
          { guardAddress: createAddressGuard({ deny: [], allow: [] }) },
        );
      const scope = { includeSchemas: [schema] };
      const writer = await t.app
        .get(CatalogService)
        .openRun({ dataSourceId: ds.body.id, executionId: 'exec-code-1', mode: 'full', batchSize: 10, scope });
      for await (const batch of connector.collect({
        mode: 'full',
        scope,
        batchSize: 10,
        signal: new AbortController().signal,
      }))
        await writer.write(batch);
      await writer.complete();
      await connector.close();
      for (const role of ['steward', 'viewer'] as const) {
        const username = `${role}-${randomBytes(3).toString('hex')}`;
        const password = `${role}-code-password-9`;
        expect(
          (await t.http.post(api('/users')).set(bearer(t.adminToken)).send({ username, password, role })).status,
        ).toBe(201);
        const token = await t.login(username, password);
        if (role === 'steward') [steward, stewardName] = [token, username];
        else viewer = token;
      }
    });

    afterAll(async () => {
      await t?.close();
      await pg?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await pg?.end();
    });

    it('a dry run lists every create and writes nothing', async () => {
      const res = await importYaml(document(), true);
      expect(res.status).toBe(200);
      const result = res.body as ImportResult;
      expect(result).toMatchObject({ dry_run: true, changed: 8, unchanged: 0 });
      expect(result.changes.map((c) => [c.kind, c.name, c.action])).toEqual([
        ['tag_group', 'PII', 'create'],
        ['tag_group', 'Tier', 'create'],
        ['glossary', 'Sales', 'create'],
        ['term', 'Sales.Revenue.Net', 'create'],
        ['term', 'Sales.Revenue', 'create'],
        ['annotation', sourceName, 'update'],
        ['annotation', `${sourceName}/${schema}/customers`, 'update'],
        ['annotation', `${sourceName}/${schema}/customers#email`, 'update'],
      ]);
      expect(result.changes[6].changes).toMatchObject({
        description: { old: null, new: 'People who buy from us' },
        tags: { old: null, new: ['Tier.Gold'] },
      });
      expect((await t.http.get(api('/tags')).set(bearer(viewer))).body.tag_groups).toEqual([]);
      expect((await assetAnnotations('customers')).version).toBe(0);
    });

    it('imports the document; the annotations sit on the collected assets; a second import changes nothing', async () => {
      const res = await importYaml(document(), false);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ dry_run: false, changed: 8 });

      const customers = await assetAnnotations('customers');
      expect(customers).toMatchObject({
        description: 'People who buy from us',
        tags: ['Tier.Gold'],
        owners: [{ user: stewardName, type: 'business' }],
        certification: { status: 'certified', note: 'reviewed', by: stewardName },
        version: 1,
      });
      const net = await t.http.get(api('/glossaries/terms/Sales.Revenue.Net')).set(bearer(viewer));
      expect(net.body).toMatchObject({ related: ['Sales.Revenue'], status: 'draft' });
      const linked = await t.http.get(api('/glossaries/terms/Sales.Revenue/assets')).set(bearer(viewer));
      expect(JSON.stringify(linked.body)).toContain('email');

      const again = await importYaml(document(), false);
      expect(again.body).toMatchObject({ changed: 0, unchanged: 8 });
      expect((await assetAnnotations('customers')).version).toBe(1);
    });

    it('the export round-trips: importing it changes nothing, and it holds what was imported', async () => {
      const exported = await exportYaml();
      const parsed = parseYaml(exported) as {
        tag_groups: Array<{ name: string; tags: Array<{ name: string }> }>;
        glossaries: Array<{ name: string; terms: Array<{ name: string; parent?: string }> }>;
        annotations: Array<Record<string, unknown>>;
      };
      expect(parsed.tag_groups.map((g) => [g.name, g.tags.map((x) => x.name)])).toEqual([
        ['PII', ['Email', 'Phone']],
        ['Tier', ['Gold', 'Silver']],
      ]);
      expect(parsed.glossaries[0].terms.map((x) => [x.name, x.parent ?? null])).toEqual([
        ['Revenue', null],
        ['Net', 'Sales.Revenue'],
      ]);
      expect(parsed.annotations).toContainEqual({
        source: sourceName,
        namespace: schema,
        asset: 'customers',
        field: 'email',
        tags: ['PII.Email'],
        terms: ['Sales.Revenue'],
      });
      const back = await importYaml(exported, false);
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({ changed: 0 });
    });

    it('a changed entry: the dry run shows the one change old → new, the import applies it', async () => {
      const doc = parseYaml(await exportYaml()) as { annotations: Array<Record<string, unknown>> };
      const entry = doc.annotations.find((a) => a.asset === 'customers' && a.field === undefined)!;
      entry.description = 'Everyone who ever bought';
      entry.tags = ['Tier.Silver'];
      const dry = (await importYaml(toYaml(doc), true)).body as ImportResult;
      expect(dry.changed).toBe(1);
      expect(dry.changes.find((c) => c.action !== 'unchanged')).toEqual({
        kind: 'annotation',
        name: `${sourceName}/${schema}/customers`,
        action: 'update',
        changes: {
          description: { old: 'People who buy from us', new: 'Everyone who ever bought' },
          tags: { old: ['Tier.Gold'], new: ['Tier.Silver'] },
        },
      });
      expect((await assetAnnotations('customers')).description).toBe('People who buy from us');
      expect((await importYaml(toYaml(doc), false)).body).toMatchObject({ changed: 1 });
      expect(await assetAnnotations('customers')).toMatchObject({
        description: 'Everyone who ever bought',
        tags: ['Tier.Silver'],
        version: 2,
      });
    });

    it('one bad entry refuses the whole document with the envelope naming each problem; nothing is written', async () => {
      const bad = `
tag_groups:
  - name: Domain
    tags: [{ name: Sales }]
annotations:
  - { source: no-such-source, description: lost }
  - { source: ${sourceName}, namespace: ${schema}, asset: customers, tags: [PII.Nope] }
  - { source: ${sourceName}, namespace: ${schema}, asset: customers, tags: [Tier.Gold, Tier.Silver] }
  - { source: ${sourceName}, namespace: ${schema}, asset: customers, field: phone, tags: [Tier.Gold, Tier.Silver] }
  - { source: ${sourceName}, field: email }
`;
      const res = await importYaml(bad, false);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'INVALID_REQUEST' });
      expect(res.body.message).toMatch(/5 problem/);
      expect(res.body.details).toContain('no-such-source');
      expect(res.body.details).toContain('PII.Nope');
      expect(res.body.details).toContain('appears twice');
      expect(res.body.details).toMatch(/annotations\[3\].*Tier/);
      expect(res.body.details).toContain('a field needs its asset');
      expect((await t.http.get(api('/tags/Domain')).set(bearer(viewer))).status).toBe(404);

      expect((await importYaml('tag_groups: [ {', false)).body).toMatchObject({ code: 'INVALID_REQUEST' });
      expect((await importYaml('[1, 2]', false)).status).toBe(400);
    });

    it('viewers export but may not import', async () => {
      expect((await importYaml(document(), true, viewer)).status).toBe(403);
      const json = await t.http.get(api('/annotations/export')).set(bearer(viewer));
      expect(json.status).toBe(200);
      expect(json.body).toHaveProperty('exported_at');
    });
  });
});
