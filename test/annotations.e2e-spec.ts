/**
 * Annotations end to end: what people write (descriptions, tags, owners, terms, certification)
 * lives apart from what collections read. A real PostgreSQL schema is collected again and again
 * (full, incremental, failed, after DROP TABLE and after re-creating it) while the annotations
 * stay put and re-attach by qualified name. Also: search and filters, bulk changes, If-Match,
 * the steward role over REST and gRPC, history, audit, webhook events, glossaries, and the
 * agreement of the annotation tables with their entities.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { CollectScope, Connector, createAddressGuard, createDefaultRegistry } from '@app/connectors';
import { CatalogService } from '../src/catalog/catalog.service';
import { bearer, bootApp, currentStore, describeE2E, Store, TestApp } from './support/app';
import { GrpcTestClient } from './support/grpc-client';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';

/** Alternating full and incremental runs over the annotated schema (ANNOTATION_E2E_RUNS for more). */
const RUNS = Math.max(20, Number(process.env.ANNOTATION_E2E_RUNS ?? 20));

interface Written {
  version: number;
  description: string | null;
  tags: string[];
  owners: Array<{ user?: string; team?: string; type: string }>;
  terms: string[];
  certification: { status: string; note: string | null; by: string | null; at: string | null } | null;
}

describeE2E('annotations', () => {
  describeWithServers(['postgres'], 'on a real PostgreSQL source', () => {
    const { host, port } = SERVER_ENDPOINTS.postgres;
    const schema = `ann_e2e_${randomBytes(4).toString('hex')}`;
    const scope: CollectScope = { includeSchemas: [schema] };
    let pg: Client;
    let t: TestApp;
    let catalog: CatalogService;
    let connector: Connector;
    let sourceId: string;
    let steward: string;
    let viewer: string;
    let operator: string;
    let runs = 0;

    const api = (path: string) => `/api/v1${path}`;
    const get = (path: string, token = t.adminToken) => t.http.get(api(path)).set(bearer(token));
    const patch = (path: string, body: unknown, token = t.adminToken, ifMatch?: string) => {
      const req = t.http.patch(api(path)).set(bearer(token));
      if (ifMatch !== undefined) req.set('If-Match', ifMatch);
      return req.send(body as object);
    };
    const post = (path: string, body: unknown, token = t.adminToken) =>
      t.http
        .post(api(path))
        .set(bearer(token))
        .send(body as object);

    async function collect(mode: 'full' | 'incremental', opts: { failAfterBatches?: number } = {}) {
      const executionId = `exec-ann-${++runs}`;
      const writer = await catalog.openRun({ dataSourceId: sourceId, executionId, mode, batchSize: 2, scope });
      const abort = new AbortController();
      let batches = 0;
      try {
        for await (const batch of connector.collect({
          mode,
          scope,
          batchSize: 2,
          signal: abort.signal,
          previousSignals: mode === 'incremental' ? writer.previousSignals : undefined,
        })) {
          await writer.write(batch);
          if (batch.assets.length > 0 && ++batches === opts.failAfterBatches)
            throw new Error('the source went away half-way');
        }
      } catch (err) {
        abort.abort();
        await writer.abandon();
        if (opts.failAfterBatches) return null;
        throw err;
      }
      return writer.complete();
    }

    async function assetId(name: string): Promise<string> {
      const res = await get(
        `/metadata/assets?datasource_id=${sourceId}&namespace=${schema}&q=${name}&include_removed=true`,
      );
      const hit = (res.body.assets as Array<{ id: string; name: string }>).find((a) => a.name === name);
      if (!hit) throw new Error(`${name} not in the catalog`);
      return hit.id;
    }

    async function userToken(role: string): Promise<{ token: string; username: string }> {
      const username = `${role}-${randomBytes(3).toString('hex')}`;
      const password = `${role}-password-123`;
      const res = await post('/users', { username, password, role });
      expect(res.status).toBe(201);
      return { token: await t.login(username, password), username };
    }

    let stewardName: string;

    beforeAll(async () => {
      pg = new Client({ host, port, user: 'postgres', database: 'test' });
      await pg.connect();
      await pg.query(`CREATE SCHEMA ${schema}`);
      await pg.query(
        `CREATE TABLE ${schema}.customers (id integer PRIMARY KEY, email varchar(120) NOT NULL, phone text, note text)`,
      );
      await pg.query(`COMMENT ON TABLE ${schema}.customers IS 'People who buy'`);
      await pg.query(`COMMENT ON COLUMN ${schema}.customers.email IS 'Login e-mail'`);
      await pg.query(`CREATE TABLE ${schema}.orders (id bigint PRIMARY KEY, amount numeric(10,2))`);
      await pg.query(`CREATE TABLE ${schema}.ledger (id bigint PRIMARY KEY, total numeric(12,2))`);
      connector = createDefaultRegistry()
        .get('postgresql')
        .create(
          { host, port, username: 'postgres', database: 'test', timeout: 10 },
          { guardAddress: createAddressGuard({ deny: [], allow: [] }) },
        );
      t = await bootApp();
      catalog = t.app.get(CatalogService);
      const ds = await post('/datasources', {
        name: 'ann-pg',
        type: 'postgresql',
        config: { host, port, database: 'test', username: 'postgres' },
      });
      expect(ds.status).toBe(201);
      sourceId = ds.body.id;
      const s = await userToken('steward');
      steward = s.token;
      stewardName = s.username;
      viewer = (await userToken('viewer')).token;
      operator = (await userToken('operator')).token;
      expect(await collect('full')).toMatchObject({ assets_added: 3 });
    });

    afterAll(async () => {
      await connector?.close();
      await t?.close();
      await pg?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await pg?.end();
    });

    it('stewards define tag groups, a glossary and a team; viewers may only read them', async () => {
      expect(
        (
          await post(
            '/tags',
            {
              name: 'PII',
              description: 'Personal data',
              tags: [{ name: 'Email' }, { name: 'Phone' }, { name: 'Card' }],
            },
            steward,
          )
        ).status,
      ).toBe(201);
      expect(
        (await post('/tags', { name: 'Tier', mutually_exclusive: true, tags: [{ name: 'Gold' }, { name: 'Silver' }] }))
          .status,
      ).toBe(201);
      expect((await post('/tags', { name: 'PII' }, steward)).body).toMatchObject({ code: 'CONFLICT' });
      expect((await post('/tags', { name: 'Nope' }, viewer)).status).toBe(403);
      expect((await post('/tags', { name: 'Nope' }, operator)).status).toBe(403);
      const groups = await get('/tags', viewer);
      expect(
        groups.body.tag_groups.map((g: { name: string; tags: Array<{ fqn: string }> }) => [
          g.name,
          g.tags.map((x) => x.fqn),
        ]),
      ).toEqual([
        ['PII', ['PII.Card', 'PII.Email', 'PII.Phone']],
        ['Tier', ['Tier.Gold', 'Tier.Silver']],
      ]);

      const finance = await post('/glossaries', { name: 'Finance', owners: [{ user: stewardName }] }, steward);
      expect(finance.status).toBe(201);
      const revenue = await post(
        `/glossaries/${finance.body.id}/terms`,
        { name: 'Revenue', synonyms: ['turnover'], status: 'approved' },
        steward,
      );
      expect(revenue.status).toBe(201);
      const net = await post(
        `/glossaries/Finance/terms`,
        { name: 'Net', parent: 'Finance.Revenue', related: ['Finance.Revenue'] },
        steward,
      );
      expect(net.body).toMatchObject({
        fqn: 'Finance.Revenue.Net',
        parent_id: revenue.body.id,
        related: ['Finance.Revenue'],
        status: 'draft',
      });
      expect((await get('/glossaries/terms/Finance.Revenue', viewer)).body).toMatchObject({
        synonyms: ['turnover'],
        children: ['Finance.Revenue.Net'],
        status: 'approved',
      });

      expect((await post('/teams', { name: 'data-eng', members: [stewardName] }, steward)).status).toBe(201);
    });

    it('annotates an asset and its fields; reads show the source comment and the written description, each with its origin', async () => {
      const customers = await assetId('customers');
      const res = await patch(
        `/metadata/assets/${customers}/annotations`,
        {
          description: 'Everyone who **ever** bought',
          tags: ['Tier.Gold'],
          owners: [{ user: stewardName, type: 'business' }, { team: 'data-eng' }],
          terms: ['Finance.Revenue'],
          certification: { status: 'certified', note: 'Reviewed' },
        },
        steward,
      );
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        target: {
          kind: 'asset',
          data_source_id: sourceId,
          namespace: schema,
          asset: 'customers',
          field: null,
          asset_id: customers,
          removed: false,
        },
        version: 1,
        tags: ['Tier.Gold'],
        owners: [
          { user: stewardName, type: 'business' },
          { team: 'data-eng', type: 'technical' },
        ],
        terms: ['Finance.Revenue'],
        certification: { status: 'certified', note: 'Reviewed', by: stewardName },
        updated_by: stewardName,
      });
      const field = await patch(
        `/metadata/assets/${customers}/fields/email/annotations`,
        { description: 'Where receipts go', tags: ['PII.Email'] },
        steward,
      );
      expect(field.status).toBe(200);
      expect(
        (await patch(`/metadata/assets/${customers}/fields/phone/annotations`, { tags: ['PII.Phone'] }, operator))
          .status,
      ).toBe(200);
      expect(
        (await patch(`/metadata/assets/${customers}/fields/nope/annotations`, { tags: ['PII.Phone'] }, steward)).status,
      ).toBe(404);

      const detail = await get(`/metadata/assets/${customers}`, viewer);
      expect(detail.body.comment).toBe('People who buy');
      expect(detail.body.descriptions).toEqual([
        { origin: 'source', text: 'People who buy' },
        {
          origin: 'annotation',
          text: 'Everyone who **ever** bought',
          updated_by: stewardName,
          updated_at: expect.stringMatching(/Z$/),
        },
      ]);
      expect(detail.body.annotations).toMatchObject({
        version: 1,
        tags: ['Tier.Gold'],
        terms: ['Finance.Revenue'],
        certification: { status: 'certified' },
      });
      const email = detail.body.fields.find((f: { name: string }) => f.name === 'email');
      expect(email.descriptions.map((d: { origin: string; text: string }) => [d.origin, d.text])).toEqual([
        ['source', 'Login e-mail'],
        ['annotation', 'Where receipts go'],
      ]);
      expect(email.annotations.tags).toEqual(['PII.Email']);
      expect(detail.body.fields.find((f: { name: string }) => f.name === 'note').annotations).toMatchObject({
        version: 0,
        tags: [],
      });
    });

    it('refuses undefined tags, two tags of a mutually exclusive group, unknown users and bad shapes', async () => {
      const customers = await assetId('customers');
      const bad = async (body: unknown) =>
        (await patch(`/metadata/assets/${customers}/annotations`, body, steward)).body.code;
      expect(await bad({ tags: ['PII.Nope'] })).toBe('INVALID_REQUEST');
      expect(await bad({ tags: ['Tier.Gold', 'Tier.Silver'] })).toBe('INVALID_REQUEST');
      expect(await bad({ owners: [{ user: 'nobody-here' }] })).toBe('INVALID_REQUEST');
      expect(await bad({ owners: [{ user: stewardName, team: 'data-eng' }] })).toBe('INVALID_REQUEST');
      expect(await bad({ certification: { status: 'great' } })).toBe('INVALID_REQUEST');
      expect(await bad({ colour: 'red' })).toBe('INVALID_REQUEST');
      expect(await bad({ properties: { retention_days: 30 } })).toBe('INVALID_REQUEST');
      expect((await get(`/metadata/assets/${customers}/annotations`)).body.version).toBe(1);
    });

    it('PATCH is a JSON merge patch guarded by If-Match: a stale version is 409 CONFLICT in the envelope', async () => {
      const customers = await assetId('customers');
      expect(
        (
          await post(
            '/custom-properties',
            { name: 'retention_days', applies_to: 'table', value_type: 'number' },
            steward,
          )
        ).status,
      ).toBe(201);
      const ok = await patch(
        `/metadata/assets/${customers}/annotations`,
        { properties: { retention_days: 30 } },
        steward,
        '"1"',
      );
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        version: 2,
        tags: ['Tier.Gold'],
        description: 'Everyone who **ever** bought',
        properties: { retention_days: 30 },
      });
      const stale = await patch(
        `/metadata/assets/${customers}/annotations`,
        { description: 'lost update' },
        operator,
        '1',
      );
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ code: 'CONFLICT', request_id: expect.any(String) });
      // null removes a key; arrays replace; an unchanged document makes no version.
      const removed = await patch(`/metadata/assets/${customers}/annotations`, { properties: null }, steward, '2');
      expect(removed.body).toMatchObject({ version: 3, properties: {} });
      const same = await t.http
        .patch(api(`/metadata/assets/${customers}/annotations`))
        .set(bearer(steward))
        .set('Content-Type', 'application/merge-patch+json')
        .send(JSON.stringify({ tags: ['Tier.Gold'] }));
      expect(same.body.version).toBe(3);
      expect((await patch(`/metadata/assets/${customers}/annotations`, {}, steward, 'W/"x"')).status).toBe(400);
    });

    it(`${RUNS} alternating full and incremental runs, a failed run, DROP TABLE and re-CREATE: the annotations stay and re-attach`, async () => {
      const customers = await assetId('customers');
      const before = (await get(`/metadata/assets/${customers}`)).body as {
        annotations: Written;
        fields: Array<{ name: string; annotations: Written }>;
      };
      const fieldTags = (d: { fields: Array<{ name: string; annotations: Written }> }) =>
        Object.fromEntries(d.fields.map((f) => [f.name, f.annotations.tags]));
      for (let i = 0; i < RUNS; i++) {
        // Change something now and then, so runs have real work: a column comes and goes.
        if (i % 5 === 2) await pg.query(`ALTER TABLE ${schema}.orders ADD COLUMN extra_${i} text`);
        if (i % 5 === 4) await pg.query(`ALTER TABLE ${schema}.orders DROP COLUMN extra_${i - 2}`);
        const summary = await collect(i % 2 === 0 ? 'full' : 'incremental');
        expect(summary).not.toBeNull();
      }
      expect(await collect('full', { failAfterBatches: 1 })).toBeNull();
      const after = (await get(`/metadata/assets/${customers}`)).body as typeof before;
      expect(after.annotations).toEqual(before.annotations);
      expect(fieldTags(after)).toEqual(fieldTags(before));
      // No run wrote a single annotation version.
      expect(
        (await get(`/metadata/assets/${customers}/annotations/versions?page_size=100`)).body.versions.every(
          (v: { actor: string | null }) => v.actor !== null,
        ),
      ).toBe(true);

      await pg.query(`DROP TABLE ${schema}.customers`);
      expect(await collect('incremental')).toMatchObject({ assets_removed: 1 });
      const gone = await get(`/metadata/assets/${customers}/annotations`, viewer);
      expect(gone.body).toMatchObject({ target: { removed: true }, version: 3, tags: ['Tier.Gold'] });
      expect((await get(`/metadata/assets/${customers}/fields/email/annotations`, viewer)).body).toMatchObject({
        tags: ['PII.Email'],
      });
      const listed = await get(`/metadata/assets?tag=Tier.Gold&datasource_id=${sourceId}&include_removed=true`);
      expect(
        listed.body.assets.map((a: { name: string; removed_at: string | null }) => [a.name, a.removed_at !== null]),
      ).toEqual([['customers', true]]);
      expect((await get(`/metadata/assets?tag=Tier.Gold&datasource_id=${sourceId}`)).body.total).toBe(0);

      await pg.query(
        `CREATE TABLE ${schema}.customers (id integer PRIMARY KEY, email varchar(200) NOT NULL, phone text, created_at timestamptz)`,
      );
      expect(await collect('full')).toMatchObject({ assets_added: 1 });
      const back = await assetId('customers');
      const again = (await get(`/metadata/assets/${back}`)).body as typeof before & { removed_at: string | null };
      expect(again.removed_at).toBeNull();
      expect(again.annotations).toEqual(before.annotations);
      expect(fieldTags(again)).toMatchObject({ email: ['PII.Email'], phone: ['PII.Phone'], created_at: [] });
      expect((await get(`/metadata/assets/${back}/annotations`)).body.target.removed).toBe(false);
      for (let i = 0; i < 4; i++) await collect(i % 2 === 0 ? 'incremental' : 'full');
      expect((await get(`/metadata/assets/${back}`)).body.annotations).toEqual(before.annotations);
    });

    it('search finds written descriptions, terms and synonyms after names; list and search filter by tag, owner, term, certification and "owned by me"', async () => {
      const found = await get(`/metadata/search?q=receipts&datasource_id=${sourceId}`, viewer);
      expect(
        found.body.results.map((r: { type: string; name: string; match: string; matched_text: string }) => [
          r.type,
          r.name,
          r.match,
          r.matched_text,
        ]),
      ).toEqual([['field', 'email', 'description', 'Where receipts go']]);
      const byTerm = await get(`/metadata/search?q=turnover&datasource_id=${sourceId}`);
      expect(
        byTerm.body.results.map((r: { name: string; match: string; matched_text: string }) => [
          r.name,
          r.match,
          r.matched_text,
        ]),
      ).toEqual([['customers', 'term', 'Finance.Revenue (turnover)']]);
      // A name match ranks before a written description that mentions the same word.
      const orders = await assetId('orders');
      await patch(`/metadata/assets/${orders}/annotations`, { description: 'Each customers purchase' }, steward);
      const ranked = await get(`/metadata/search?q=customers&type=asset&datasource_id=${sourceId}`);
      expect(ranked.body.results.map((r: { name: string; match: string }) => [r.name, r.match])).toEqual([
        ['customers', 'exact'],
        ['orders', 'description'],
      ]);
      const tagged = await get(`/metadata/search?q=e&tag=PII.Email&datasource_id=${sourceId}&type=asset`);
      expect(tagged.body.results.map((r: { name: string }) => r.name)).toEqual(['customers']);

      const names = async (query: string, token = t.adminToken) =>
        (
          (await get(`/metadata/assets?datasource_id=${sourceId}&${query}`, token)).body.assets as Array<{
            name: string;
          }>
        ).map((a) => a.name);
      expect(await names('tag=PII.Email')).toEqual(['customers']);
      expect(await names('term=Finance.Revenue')).toEqual(['customers']);
      expect(await names('certification=certified')).toEqual(['customers']);
      expect(await names('owner=data-eng')).toEqual(['customers']);
      expect(await names('owned_by_me=true', steward)).toEqual(['customers']);
      expect(await names('owned_by_me=true', viewer)).toEqual([]);
      expect(await names('tag=PII.Email&certification=deprecated')).toEqual([]);
    });

    it('a bulk change is all or nothing: one asset refusing it (an exclusive tag group) leaves every asset as it was', async () => {
      const orders = await assetId('orders');
      const before = (await get(`/metadata/assets/${orders}/annotations`)).body.version as number;
      // "customers" and "orders" both contain "o"; customers already carries Tier.Gold of the exclusive Tier group.
      const res = await post(
        '/annotations/bulk',
        { query: { datasource_id: sourceId, namespace: schema, q: 'o' }, add: { tags: ['Tier.Silver'] } },
        steward,
      );
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('mutually exclusive');
      expect((await get(`/metadata/assets/${orders}/annotations`)).body.version).toBe(before);
    });

    it('bulk by query changes every matching asset once, and is idempotent', async () => {
      const body = {
        query: { datasource_id: sourceId, q: 'ledger' },
        add: { tags: ['PII.Card'], terms: ['Finance.Revenue.Net'] },
        certification: { status: 'deprecated', note: 'Moved to the warehouse' },
      };
      const first = await post('/annotations/bulk', body, operator);
      expect(first.body).toMatchObject({ matched: 1, changed: 1 });
      const again = await post('/annotations/bulk', body, operator);
      expect(again.body).toMatchObject({ matched: 1, changed: 0 });
      const ledger = await assetId('ledger');
      expect((await get(`/metadata/assets/${ledger}/annotations`)).body).toMatchObject({
        tags: ['PII.Card'],
        terms: ['Finance.Revenue.Net'],
        certification: { status: 'deprecated' },
      });
      const removed = await post(
        '/annotations/bulk',
        { asset_ids: [ledger], remove: { tags: ['PII.Card'] }, clear_certification: true },
        steward,
      );
      expect(removed.body).toMatchObject({ matched: 1, changed: 1 });
      expect((await get(`/metadata/assets/${ledger}/annotations`)).body).toMatchObject({
        tags: [],
        certification: null,
        terms: ['Finance.Revenue.Net'],
      });
      expect(
        (await post('/annotations/bulk', { asset_ids: ['ast-nope'], add: { tags: ['PII.Card'] } }, steward)).status,
      ).toBe(404);
      expect((await post('/annotations/bulk', { add: { tags: ['PII.Card'] } }, steward)).status).toBe(400);
      expect(
        (await post('/annotations/bulk', { asset_ids: [ledger], add: { tags: ['PII.Card'] } }, viewer)).status,
      ).toBe(403);
    });

    it('the steward edits annotations and definitions but no data source, task or user; over REST and gRPC', async () => {
      expect(
        (
          await post(
            '/datasources',
            { name: 'x', type: 'postgresql', config: { host, port, database: 'test', username: 'postgres' } },
            steward,
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await t.http
            .put(api(`/datasources/${sourceId}`))
            .set(bearer(steward))
            .send({ description: 'x' })
        ).status,
      ).toBe(403);
      expect((await t.http.delete(api(`/datasources/${sourceId}`)).set(bearer(steward))).status).toBe(403);
      expect((await post(`/datasources/${sourceId}/test`, {}, steward)).status).toBe(403);
      expect(
        (
          await post(
            '/tasks',
            { name: 'x', datasource_id: sourceId, type: 'full_collection', schedule: { type: 'immediate' } },
            steward,
          )
        ).status,
      ).toBe(403);
      expect(
        (await post('/users', { username: 'someone-new', password: 'a-long-password-123', role: 'admin' }, steward))
          .status,
      ).toBe(403);
      expect((await get('/datasources', steward)).status).toBe(200);
      expect((await get('/tasks', steward)).status).toBe(200);
      expect((await get('/me', steward)).body.role).toBe('steward');
      expect(
        (await patch(`/datasources/${sourceId}/annotations`, { description: 'The shop database' }, steward)).status,
      ).toBe(200);
      expect(
        (await patch(`/datasources/${sourceId}/namespaces/${schema}/annotations`, { tags: ['PII.Email'] }, steward))
          .status,
      ).toBe(200);
      expect(
        (await patch(`/datasources/${sourceId}/namespaces/nope/annotations`, { tags: ['PII.Email'] }, steward)).status,
      ).toBe(404);
      expect((await patch(`/datasources/${sourceId}/annotations`, { description: 'no' }, viewer)).status).toBe(403);

      const grpc = new GrpcTestClient(t.grpcUrl);
      try {
        const customers = await assetId('customers');
        const read = await grpc.call<{ version: number; tags: string[]; target: { asset: string } }>(
          'AnnotationService',
          'GetAnnotations',
          { asset_id: customers },
          viewer,
        );
        expect(read).toMatchObject({ tags: ['Tier.Gold'], target: { asset: 'customers' } });
        const written = await grpc.call<{ version: number; description: string }>(
          'AnnotationService',
          'UpdateAnnotations',
          { asset_id: customers, if_match: String(read.version), patch: { description: 'Written over gRPC' } },
          steward,
        );
        expect(written).toMatchObject({ version: read.version + 1, description: 'Written over gRPC' });
        const stale = await grpc.fail(
          'AnnotationService',
          'UpdateAnnotations',
          { asset_id: customers, if_match: String(read.version), patch: { description: 'late' } },
          steward,
        );
        expect(stale.metadata.get('code')).toEqual(['CONFLICT']);
        expect(
          (
            await grpc.fail(
              'AnnotationService',
              'UpdateAnnotations',
              { asset_id: customers, patch: { description: 'x' } },
              viewer,
            )
          ).code,
        ).toBe(7);
        expect((await grpc.fail('DataSourceService', 'Delete', { id: sourceId }, steward)).code).toBe(7);
        expect((await grpc.fail('AnnotationService', 'CreateTagGroup', { name: 'Ops' }, operator)).code).toBe(7);
        const group = await grpc.call<{ id: string; tags: Array<{ fqn: string }> }>(
          'AnnotationService',
          'CreateTagGroup',
          { name: 'Ops', tags: [{ name: 'Critical' }] },
          steward,
        );
        expect(group.tags.map((x) => x.fqn)).toEqual(['Ops.Critical']);
        const groups = await grpc.call<{ tag_groups: Array<{ name: string }> }>(
          'AnnotationService',
          'ListTagGroups',
          {},
          viewer,
        );
        expect(groups.tag_groups.map((g) => g.name)).toEqual(['Ops', 'PII', 'Tier']);
        expect(await grpc.call('AnnotationService', 'DeleteTagGroup', { id: group.id }, steward)).toEqual({
          success: true,
        });
        const versions = await grpc.call<{ versions: Array<{ version: number }> }>(
          'AnnotationService',
          'ListAnnotationVersions',
          { asset_id: customers },
          viewer,
        );
        expect(versions.versions[0].version).toBe(read.version + 1);
        // The catalog read over gRPC carries the annotations too.
        const asset = await grpc.call<{
          annotations: { description: string };
          descriptions: Array<{ origin: string }>;
        }>('MetadataService', 'GetAsset', { asset_id: customers }, viewer);
        expect(asset.annotations.description).toBe('Written over gRPC');
        expect(asset.descriptions.map((d) => d.origin)).toEqual(['annotation']);
      } finally {
        grpc.close();
      }
    });

    it('every change is a version (who, when, old → new) beside the collected versions, an audit entry and an annotations.changed event', async () => {
      const customers = await assetId('customers');
      const versions = await get(`/metadata/assets/${customers}/annotations/versions?page_size=100`, viewer);
      expect(versions.status).toBe(200);
      const list = versions.body.versions as Array<{
        target: { kind: string; field: string | null };
        version: number;
        changes: Record<string, { old: unknown; new: unknown }>;
        actor: string;
        created_at: string;
      }>;
      const first = list.find((v) => v.target.kind === 'asset' && v.version === 1)!;
      expect(first.changes.tags).toEqual({ old: null, new: ['Tier.Gold'] });
      expect(first.actor).toBe(stewardName);
      const emailTag = list.find((v) => v.target.field === 'email')!;
      expect(emailTag.changes.tags).toEqual({ old: null, new: ['PII.Email'] });
      const retention = list.find((v) => v.version === 3 && v.target.kind === 'asset')!;
      expect(retention.changes.properties).toEqual({ old: { retention_days: 30 }, new: null });
      // The collected versions stay where they were, untouched by annotations.
      const collected = await get(`/metadata/assets/${customers}/versions`);
      expect(collected.body.versions.map((v: { change: string }) => v.change)).toContain('removed');

      const audit = await get(`/audit-logs?resource_type=metadata&page_size=100`);
      expect(audit.status).toBe(200);
      expect(
        (audit.body.audit_logs as Array<{ action: string; path: string; actor_username: string }>).some(
          (a) => a.action === 'metadata.patchAsset' && a.path.includes(customers) && a.actor_username === stewardName,
        ),
      ).toBe(true);
      const grpcAudit = await get(`/audit-logs?resource_type=annotations&page_size=100`);
      expect(
        (grpcAudit.body.audit_logs as Array<{ action: string }>).some((a) => a.action === 'annotations.update'),
      ).toBe(true);

      const events = await t.store.query(`SELECT payload FROM webhook_events WHERE type = 'annotations.changed'`);
      expect(events.length).toBeGreaterThan(5);
      const payloads = events.map(
        (e) =>
          JSON.parse(String(e.payload)) as {
            data: { target: { asset: string | null }; version: number; changes: object };
          },
      );
      expect(payloads.some((p) => p.data.target.asset === 'customers' && p.data.version === 1)).toBe(true);
    });

    it('a glossary term finds its assets and fields; a linked term cannot be deleted', async () => {
      const linked = await get('/glossaries/terms/Finance.Revenue/assets', viewer);
      expect(
        linked.body.assets.map((a: { asset: string; field: string | null; removed: boolean }) => [
          a.asset,
          a.field,
          a.removed,
        ]),
      ).toEqual([['customers', null, false]]);
      const customers = await assetId('customers');
      await patch(
        `/metadata/assets/${customers}/fields/email/annotations`,
        { terms: ['Finance.Revenue.Net'] },
        steward,
      );
      const net = await get('/glossaries/terms/Finance.Revenue.Net/assets', viewer);
      expect(
        net.body.assets.map((a: { asset: string; field: string | null }) => `${a.asset}#${a.field ?? ''}`).sort(),
      ).toEqual(['customers#email', 'ledger#']);
      expect((await t.http.delete(api('/glossaries/terms/Finance.Revenue')).set(bearer(steward))).status).toBe(409);
      expect(
        (
          await t.http
            .patch(api('/glossaries/terms/Finance.Revenue.Net'))
            .set(bearer(steward))
            .send({ status: 'approved', synonyms: ['net sales'] })
        ).body,
      ).toMatchObject({ status: 'approved' });
      const bySynonym = await get(`/metadata/search?q=net%20sales&datasource_id=${sourceId}`);
      // Equal matches order by name: the field "email" before the asset "ledger".
      expect(
        bySynonym.body.results.map((r: { type: string; name: string; match: string }) => [r.type, r.name, r.match]),
      ).toEqual([
        ['field', 'email', 'term'],
        ['asset', 'ledger', 'term'],
      ]);
    });

    it('deleting the data source deletes its annotations', async () => {
      const other = await post('/datasources', {
        name: 'ann-pg-other',
        type: 'postgresql',
        config: { host, port, database: 'test', username: 'postgres' },
      });
      expect(
        (await patch(`/datasources/${other.body.id}/annotations`, { description: 'short-lived' }, steward)).status,
      ).toBe(200);
      expect((await t.http.delete(api(`/datasources/${other.body.id}`)).set(bearer(t.adminToken))).status).toBe(200);
      const left = await t.store.query('SELECT COUNT(*) AS n FROM annotation_targets WHERE data_source_id = ?', [
        other.body.id,
      ]);
      expect(Number(left[0].n)).toBe(0);
    });
  });
});

/**
 * The annotation tables as the migration builds them are the ones the entities describe (the
 * same check test/schema-agreement.e2e-spec.ts makes for the catalog's tables).
 */
const SPELLING: Record<Store, RegExp[]> = {
  postgres: [],
  sqlite: [],
  mysql: [
    /^ALTER TABLE `\w+` DROP FOREIGN KEY `FK_\w+`$/,
    /^ALTER TABLE `\w+` ADD CONSTRAINT `FK_\w+` FOREIGN KEY \(`\w+`\) REFERENCES `\w+`\(`id`\) ON DELETE CASCADE ON UPDATE NO ACTION$/,
    // MariaDB reads a boolean back as tinyint(1).
    /^ALTER TABLE `tag_groups` CHANGE `mutually_exclusive` `mutually_exclusive` tinyint NOT NULL$/,
  ],
};
const TABLES = [
  'annotation_targets',
  'annotation_labels',
  'annotation_versions',
  'tag_groups',
  'tags',
  'teams',
  'glossaries',
  'glossary_terms',
  'custom_property_defs',
];

describeE2E('the annotation schema', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await bootApp();
    const app = t.app.get(DataSource);
    const type = currentStore() === 'mysql' ? { type: 'mariadb' } : {};
    db = await new DataSource({
      ...app.options,
      ...type,
      entities: app.entityMetadatas.map((m) => m.target),
      migrationsRun: false,
    } as DataSourceOptions).initialize();
    for (const m of db.entityMetadatas) if (!TABLES.includes(m.tableName)) m.synchronize = false;
  });

  afterAll(async () => {
    await db?.destroy();
    await t?.close();
  });

  it('built by the migration is the one the entities describe', async () => {
    expect(
      db.entityMetadatas
        .filter((m) => TABLES.includes(m.tableName))
        .map((m) => m.tableName)
        .sort(),
    ).toEqual([...TABLES].sort());
    const pending = (await db.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    expect(pending.filter((sql) => !SPELLING[currentStore()].some((known) => known.test(sql)))).toEqual([]);
  });
});
