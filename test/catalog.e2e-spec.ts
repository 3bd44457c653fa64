/**
 * The metadata catalog end to end: runs written through CatalogService (as the task runner
 * does) and read back through the REST API. The first part writes hand-built batches; the
 * parts after it collect real PostgreSQL and MariaDB schemas the suite creates and drops.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import {
  AssetProfile,
  CatalogAsset,
  CatalogBatch,
  CatalogField,
  CollectScope,
  Connector,
  createAddressGuard,
  createDefaultRegistry,
} from '@app/connectors';
import { CatalogService } from '../src/catalog/catalog.service';
import { ChangeSummary } from '../src/catalog/run/change-summary';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';

const col = (name: string, ordinal: number, dataType: string, extra: Partial<CatalogField> = {}): CatalogField => ({
  name,
  ordinal,
  dataType,
  nullable: true,
  ...extra,
});

/** A small hand-built source: two schemas, three tables and a view. */
function shop(): { namespaces: CatalogBatch['namespaces']; assets: CatalogAsset[] } {
  return {
    namespaces: [
      { name: 'sales', kind: 'schema', properties: { owner: 'app' } },
      { name: 'hr', kind: 'schema' },
    ],
    assets: [
      {
        namespace: 'sales',
        name: 'customers',
        kind: 'table',
        comment: 'People who buy',
        owner: 'app',
        properties: { persistence: 'permanent' },
        statistics: { rows: 60, bytes: 8192 },
        fields: [
          col('id', 1, 'bigint', { nullable: false, primaryKey: true }),
          col('email', 2, 'character varying(120)', { nullable: false, comment: 'Login e-mail' }),
          col('note', 3, 'text'),
          col('balance', 4, 'numeric(12,2)', { default: '0' }),
        ],
        keys: [
          { name: 'customers_pkey', type: 'primary', columns: ['id'] },
          { name: 'customers_email_key', type: 'unique', columns: ['email'] },
        ],
        indexes: [
          { name: 'customers_pkey', columns: ['id'], unique: true, method: 'btree' },
          { name: 'customers_email_key', columns: ['email'], unique: true, method: 'btree' },
        ],
        changeSignal: 'c1',
      },
      {
        namespace: 'sales',
        name: 'orders',
        kind: 'table',
        statistics: { rows: 5000, bytes: 65536 },
        fields: [
          col('id', 1, 'bigint', { nullable: false, primaryKey: true }),
          col('customer_id', 2, 'integer', { nullable: false }),
          col('amount', 3, 'numeric(10,2)', { nullable: false, default: '0' }),
        ],
        keys: [
          { name: 'orders_pkey', type: 'primary', columns: ['id'] },
          {
            name: 'orders_customer_fk',
            type: 'foreign',
            columns: ['customer_id'],
            references: { namespace: 'sales', table: 'customers', columns: ['id'] },
          },
        ],
        indexes: [{ name: 'orders_pkey', columns: ['id'], unique: true, method: 'btree' }],
        changeSignal: 'o1',
      },
      {
        namespace: 'sales',
        name: 'customer_view',
        kind: 'view',
        properties: { definition: 'SELECT id, email FROM customers' },
        fields: [col('id', 1, 'bigint'), col('email', 2, 'character varying(120)')],
        changeSignal: 'v1',
      },
      {
        namespace: 'hr',
        name: 'staff',
        kind: 'table',
        comment: 'Holds customer-facing staff',
        statistics: { rows: 3, bytes: 100 },
        fields: [col('id', 1, 'integer', { nullable: false }), col('full_name', 2, 'text')],
        changeSignal: 's1',
      },
    ],
  };
}

describeE2E('catalog: runs, browsing, versions, search, profiles', () => {
  let t: TestApp;
  let catalog: CatalogService;
  let viewer: string;
  let sourceId: string;
  let executions = 0;

  const get = (path: string, token = t.adminToken) => t.http.get(`/api/v1${path}`).set(bearer(token));

  async function createSource(name: string): Promise<string> {
    const res = await t.http
      .post('/api/v1/datasources')
      .set(bearer(t.adminToken))
      .send({
        name,
        type: 'postgresql',
        config: { host: '127.0.0.1', port: 5432, database: 'test', username: 'postgres' },
      });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function run(
    batches: CatalogBatch[],
    opts: { scope?: CollectScope; mode?: 'full' | 'incremental'; batchSize?: number } = {},
  ): Promise<{ summary: ChangeSummary; executionId: string }> {
    const executionId = `exec-hand-${++executions}`;
    const writer = await catalog.openRun({
      dataSourceId: sourceId,
      executionId,
      mode: opts.mode ?? 'full',
      batchSize: opts.batchSize ?? 2,
      scope: opts.scope ?? {},
    });
    for (const b of batches) await writer.write(b);
    return { summary: await writer.complete(), executionId };
  }

  async function assetIdOf(namespace: string, name: string): Promise<string> {
    const res = await get(
      `/metadata/assets?datasource_id=${sourceId}&namespace=${namespace}&q=${encodeURIComponent(name)}&include_removed=true`,
    );
    const hit = (res.body.assets as Array<{ id: string; name: string }>).find((a) => a.name === name);
    if (!hit) throw new Error(`${namespace}.${name} not in the catalog`);
    return hit.id;
  }

  beforeAll(async () => {
    t = await bootApp();
    catalog = t.app.get(CatalogService);
    viewer = await t.tokenFor('viewer');
    sourceId = await createSource('catalog-hand-built');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a first run adds every asset, with all its fields as "added" versions', async () => {
    const { namespaces, assets } = shop();
    const { summary, executionId } = await run([
      { namespaces, assets: assets.slice(0, 2) },
      { assets: assets.slice(2) },
    ]);
    expect(summary).toEqual({
      assets_added: 4,
      assets_removed: 0,
      assets_altered: 0,
      assets_unchanged: 0,
      fields_added: 11,
      fields_removed: 0,
      fields_altered: 0,
    });

    const changes = await catalog.changesOfExecution(executionId);
    expect(changes).toMatchObject({
      assets_added: 4,
      assets_removed: 0,
      assets_altered: 0,
      fields_added: 11,
      versions_total: 4,
    });
    expect(changes.versions.map((v) => `${v.namespace}.${v.asset_name}:${v.change}`)).toEqual([
      'hr.staff:added',
      'sales.customer_view:added',
      'sales.customers:added',
      'sales.orders:added',
    ]);
  });

  it('GET /datasources/{id}/metadata is the tree with asset counts per kind; 404 for an unknown source', async () => {
    const res = await get(`/datasources/${sourceId}/metadata`, viewer);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      data_source_id: sourceId,
      data_source_name: 'catalog-hand-built',
      data_source_type: 'postgresql',
      asset_count: 4,
      counts: { table: 3, view: 1 },
    });
    expect(
      res.body.namespaces.map((n: { name: string; kind: string; asset_count: number; counts: object }) => [
        n.name,
        n.kind,
        n.asset_count,
        n.counts,
      ]),
    ).toEqual([
      ['hr', 'schema', 1, { table: 1 }],
      ['sales', 'schema', 3, { table: 2, view: 1 }],
    ]);
    expect(res.body.last_collected_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const missing = await get('/datasources/ds-nope/metadata');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });

  it('GET /metadata/assets filters by source, namespace, type and name, paginated under "assets"', async () => {
    const all = await get(`/metadata/assets?datasource_id=${sourceId}`, viewer);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 4, page: 1, page_size: 20 });
    expect(all.body.assets.map((a: { namespace: string; name: string }) => `${a.namespace}.${a.name}`)).toEqual([
      'hr.staff',
      'sales.customer_view',
      'sales.customers',
      'sales.orders',
    ]);

    const tables = await get(`/metadata/assets?datasource_id=${sourceId}&namespace=sales&type=table`);
    expect(tables.body.assets.map((a: { name: string }) => a.name)).toEqual(['customers', 'orders']);
    const byName = await get(`/metadata/assets?q=CUSTOMER&datasource_id=${sourceId}`);
    expect(byName.body.assets.map((a: { name: string }) => a.name)).toEqual(['customer_view', 'customers']);
    const paged = await get(`/metadata/assets?datasource_id=${sourceId}&page=2&page_size=3`);
    expect(paged.body).toMatchObject({ total: 4, page: 2, page_size: 3 });
    expect(paged.body.assets).toHaveLength(1);
    const tooBig = await get('/metadata/assets?page_size=101');
    expect(tooBig.status).toBe(400);
  });

  it('GET /metadata/assets/{id} returns fields, keys, indexes, properties and statistics exactly as collected', async () => {
    const id = await assetIdOf('sales', 'customers');
    const res = await get(`/metadata/assets/${id}`, viewer);
    expect(res.status).toBe(200);
    const source = shop().assets[0];
    expect(res.body).toMatchObject({
      id,
      data_source_id: sourceId,
      namespace: 'sales',
      name: 'customers',
      type: 'table',
      comment: 'People who buy',
      owner: 'app',
      field_count: 4,
      properties: { persistence: 'permanent' },
      statistics: { rows: 60, bytes: 8192 },
      keys: source.keys,
      indexes: source.indexes,
      change_signal: 'c1',
      removed_at: null,
      latest_profile: null,
    });
    expect(res.body.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.statistics.as_of).toMatch(/Z$/);
    expect(
      res.body.fields.map((f: Record<string, unknown>) => [
        f.name,
        f.ordinal,
        f.data_type,
        f.type_family,
        f.nullable,
        f.default,
        f.comment,
        f.primary_key,
        f.path,
      ]),
    ).toEqual([
      ['id', 1, 'bigint', 'integer', false, null, null, true, null],
      ['email', 2, 'character varying(120)', 'string', false, null, 'Login e-mail', false, null],
      ['note', 3, 'text', 'string', true, null, null, false, null],
      ['balance', 4, 'numeric(12,2)', 'decimal', true, '0', null, false, null],
    ]);
    expect(res.body.fields[0].id).toMatch(/^fld-/);
    expect((await get('/metadata/assets/ast-nope')).status).toBe(404);
  });

  it('a run with the same shapes writes no version, but refreshes statistics', async () => {
    const { namespaces, assets } = shop();
    assets[0].statistics = { rows: 75, bytes: 16384 };
    assets[1].properties = { messages: 5 };
    const { summary, executionId } = await run([{ namespaces, assets }]);
    expect(summary).toEqual({
      assets_added: 0,
      assets_removed: 0,
      assets_altered: 0,
      assets_unchanged: 4,
      fields_added: 0,
      fields_removed: 0,
      fields_altered: 0,
    });
    expect((await catalog.changesOfExecution(executionId)).versions_total).toBe(0);
    const id = await assetIdOf('sales', 'customers');
    const detail = await get(`/metadata/assets/${id}`);
    expect(detail.body.statistics).toMatchObject({ rows: 75, bytes: 16384 });
    const versions = await get(`/metadata/assets/${id}/versions`);
    expect(versions.body.total).toBe(1);
  });

  it('a changed shape becomes an "altered" version with the field-level diff; a vanished asset a "removed" one', async () => {
    const { namespaces, assets } = shop();
    const customers = assets[0];
    customers.fields = [
      col('id', 1, 'bigint', { nullable: false, primaryKey: true }),
      col('email', 2, 'character varying(200)', { nullable: true, comment: 'Login address' }),
      col('balance', 3, 'numeric(12,2)', { default: '100' }),
      col('phone', 4, 'text'),
    ];
    customers.indexes = customers.indexes!.slice(0, 1);
    customers.changeSignal = 'c2';
    const refunds: CatalogAsset = {
      namespace: 'sales',
      name: 'refunds',
      kind: 'table',
      fields: [
        col('id', 1, 'bigint', { nullable: false }),
        col('customer', 2, 'integer', { comment: 'Who got the money back' }),
        col('vip_customer_flag', 3, 'boolean'),
      ],
      changeSignal: 'r1',
    };
    const kept = assets.filter((a) => a.name !== 'customer_view');
    const { summary, executionId } = await run([{ namespaces, assets: [...kept, refunds] }]);
    expect(summary).toEqual({
      assets_added: 1,
      assets_removed: 1,
      assets_altered: 1,
      assets_unchanged: 2,
      fields_added: 4,
      fields_removed: 3,
      fields_altered: 2,
    });

    const id = await assetIdOf('sales', 'customers');
    const versions = await get(`/metadata/assets/${id}/versions`, viewer);
    expect(versions.status).toBe(200);
    expect(versions.body.total).toBe(2);
    const [latest, first] = versions.body.versions;
    expect(first.change).toBe('added');
    expect(latest).toMatchObject({
      change: 'altered',
      execution_id: executionId,
      fields_added: 1,
      fields_removed: 1,
      fields_altered: 2,
      asset_name: 'customers',
      asset_type: 'table',
    });
    expect(latest.diff).toEqual({
      fields: {
        added: [
          {
            name: 'phone',
            ordinal: 4,
            data_type: 'text',
            nullable: true,
            default: null,
            comment: null,
            primary_key: false,
          },
        ],
        removed: [
          {
            name: 'note',
            ordinal: 3,
            data_type: 'text',
            nullable: true,
            default: null,
            comment: null,
            primary_key: false,
          },
        ],
        altered: [
          {
            name: 'email',
            changes: {
              data_type: { old: 'character varying(120)', new: 'character varying(200)' },
              nullable: { old: false, new: true },
              comment: { old: 'Login e-mail', new: 'Login address' },
            },
          },
          { name: 'balance', changes: { default: { old: '0', new: '100' } } },
        ],
      },
      indexes: {
        added: [],
        removed: [{ name: 'customers_email_key', columns: ['email'], unique: true, method: 'btree' }],
        altered: [],
      },
    });
    const fields = (await get(`/metadata/assets/${id}`)).body.fields.map(
      (f: { name: string; ordinal: number }) => `${f.ordinal}:${f.name}`,
    );
    expect(fields).toEqual(['1:id', '2:email', '3:balance', '4:phone']);

    const viewId = await assetIdOf('sales', 'customer_view');
    const removed = await get(`/metadata/assets/${viewId}`);
    expect(removed.body.removed_at).toMatch(/Z$/);
    const viewVersions = await get(`/metadata/assets/${viewId}/versions`);
    expect(viewVersions.body.versions[0]).toMatchObject({ change: 'removed', fields_removed: 2 });
    const listed = await get(`/metadata/assets?datasource_id=${sourceId}`);
    expect(listed.body.assets.map((a: { name: string }) => a.name)).toEqual([
      'staff',
      'customers',
      'orders',
      'refunds',
    ]);
    const withRemoved = await get(`/metadata/assets?datasource_id=${sourceId}&include_removed=true`);
    expect(withRemoved.body.total).toBe(5);

    const changes = await catalog.changesOfExecution(executionId);
    expect(changes).toMatchObject({
      assets_added: 1,
      assets_removed: 1,
      assets_altered: 1,
      fields_added: 4,
      fields_removed: 3,
      fields_altered: 2,
      versions_total: 3,
    });
  });

  it('an asset that comes back is "added" again and keeps its history', async () => {
    const { namespaces, assets } = shop();
    const view = assets.find((a) => a.name === 'customer_view')!;
    const { summary } = await run([{ namespaces, assets: [view] }], {
      scope: { includeSchemas: ['sales'], includeTables: ['customer_view'] },
    });
    expect(summary).toMatchObject({ assets_added: 1, assets_removed: 0 });
    const viewId = await assetIdOf('sales', 'customer_view');
    const versions = await get(`/metadata/assets/${viewId}/versions`);
    expect(versions.body.versions.map((v: { change: string }) => v.change)).toEqual(['added', 'removed', 'added']);
    expect((await get(`/metadata/assets/${viewId}`)).body.removed_at).toBeNull();
  });

  it('a run abandoned half-way removes nothing, and takes no more writes', async () => {
    const before = (await get(`/metadata/assets?datasource_id=${sourceId}`)).body.total as number;
    const writer = await catalog.openRun({
      dataSourceId: sourceId,
      executionId: 'exec-hand-abandoned',
      mode: 'full',
      batchSize: 1,
      scope: {},
    });
    await writer.write({ assets: [shop().assets[3]] });
    await writer.abandon();
    await expect(writer.write({ assets: [shop().assets[1]] })).rejects.toMatchObject({ code: 'CONFLICT' });
    const after = await get(`/metadata/assets?datasource_id=${sourceId}`);
    expect(after.body.total).toBe(before);
    expect((await catalog.changesOfExecution('exec-hand-abandoned')).versions_total).toBe(0);
  });

  it('a schema_only run keeps the statistics it did not read', async () => {
    const { namespaces, assets } = shop();
    const before = (await get(`/metadata/assets/${await assetIdOf('sales', 'orders')}`)).body.statistics;
    for (const a of assets) delete a.statistics;
    const writer = await catalog.openRun({
      dataSourceId: sourceId,
      executionId: 'exec-hand-schema-only',
      mode: 'schema_only',
      batchSize: 10,
      scope: { includeSchemas: ['sales'], includeTables: ['orders'] },
    });
    await writer.write({ namespaces, assets: assets.filter((a) => a.name === 'orders') });
    expect(await writer.complete()).toMatchObject({ assets_unchanged: 1, assets_removed: 0 });
    const after = (await get(`/metadata/assets/${await assetIdOf('sales', 'orders')}`)).body.statistics;
    expect(after).toEqual(before);
    expect(after.rows).toBe(5000);
  });

  it('completing a run never removes what a run opened after it has seen', async () => {
    const { namespaces, assets } = shop();
    const staff = assets.find((a) => a.name === 'staff')!;
    const older = await catalog.openRun({
      dataSourceId: sourceId,
      executionId: 'exec-hand-older',
      mode: 'full',
      batchSize: 10,
      scope: { includeSchemas: ['hr'] },
    });
    const newer = await catalog.openRun({
      dataSourceId: sourceId,
      executionId: 'exec-hand-newer',
      mode: 'full',
      batchSize: 10,
      scope: { includeSchemas: ['hr'] },
    });
    const contractors: CatalogAsset = {
      namespace: 'hr',
      name: 'contractors',
      kind: 'table',
      fields: [col('id', 1, 'integer')],
    };
    await newer.write({ namespaces, assets: [staff, contractors] });
    expect(await newer.complete()).toMatchObject({ assets_added: 1 });
    // The older run saw nothing at all: what the newer one just saw must survive its completion.
    expect(await older.complete()).toMatchObject({ assets_removed: 0 });
    const hr = await get(`/metadata/assets?datasource_id=${sourceId}&namespace=hr`);
    expect(hr.body.assets.map((a: { name: string }) => a.name)).toEqual(['contractors', 'staff']);
    // A later run that does not see "contractors" removes it as usual.
    const { summary } = await run([{ namespaces, assets: [staff] }], { scope: { includeSchemas: ['hr'] } });
    expect(summary).toMatchObject({ assets_removed: 1 });
  });

  it('removals stay within the run scope; incremental runs keep assets reported unchanged', async () => {
    const writer = await catalog.openRun({
      dataSourceId: sourceId,
      executionId: 'exec-hand-incremental',
      mode: 'incremental',
      batchSize: 10,
      scope: { includeSchemas: ['sales'] },
    });
    expect(writer.previousSignals.get(['sales', 'orders'].join('\u001f'))).toBe('o1');
    expect(writer.previousSignals.has(['sales', 'note'].join('\u001f'))).toBe(false);
    await writer.write({
      assets: [],
      unchanged: [
        { namespace: 'sales', name: 'customers' },
        { namespace: 'sales', name: 'orders' },
        { namespace: 'sales', name: 'customer_view' },
      ],
    });
    const summary = await writer.complete();
    // refunds was neither read nor reported unchanged; hr.staff is outside the scope.
    expect(summary).toEqual({
      assets_added: 0,
      assets_removed: 1,
      assets_altered: 0,
      assets_unchanged: 3,
      fields_added: 0,
      fields_removed: 3,
      fields_altered: 0,
    });
    expect(writer.progress).toEqual({ assetsSeen: 3, assetsWritten: 0, fieldsSeen: 0 });
    expect(await writer.complete()).toEqual(summary);
    const listed = await get(`/metadata/assets?datasource_id=${sourceId}`);
    expect(listed.body.assets.map((a: { namespace: string; name: string }) => `${a.namespace}.${a.name}`)).toEqual([
      'hr.staff',
      'sales.customer_view',
      'sales.customers',
      'sales.orders',
    ]);
  });

  it('a vanished namespace leaves the tree and its assets are removed', async () => {
    const { namespaces, assets } = shop();
    const sales = assets.filter((a) => a.namespace === 'sales');
    const { summary } = await run([{ namespaces: namespaces!.filter((n) => n.name === 'sales'), assets: sales }]);
    expect(summary.assets_removed).toBe(1);
    const tree = await get(`/datasources/${sourceId}/metadata`);
    expect(tree.body.namespaces.map((n: { name: string }) => n.name)).toEqual(['sales']);
    expect(tree.body.counts).toEqual({ table: 2, view: 1 });
  });

  it('GET /metadata/search ranks exact, prefix, substring, then comment matches, by name', async () => {
    const { namespaces, assets } = shop();
    const refunds: CatalogAsset = {
      namespace: 'sales',
      name: 'refunds',
      kind: 'table',
      comment: 'Money returned to a customer',
      fields: [
        col('id', 1, 'bigint'),
        col('customer', 2, 'integer'),
        col('vip_customer_flag', 3, 'boolean'),
        col('reason', 4, 'text', { comment: 'Why the CUSTOMER asked' }),
      ],
    };
    await run([{ namespaces, assets: [...assets, refunds] }]);

    const res = await get('/metadata/search?q=Customer', viewer);
    expect(res.status).toBe(200);
    const got = (res.body.results as Array<Record<string, string>>).map(
      (r) => `${r.match}:${r.type}:${r.asset_name}${r.field_name ? `.${r.field_name}` : ''}`,
    );
    expect(got).toEqual([
      'exact:field:refunds.customer',
      'prefix:field:orders.customer_id',
      'prefix:asset:customer_view',
      'prefix:asset:customers',
      'substring:field:refunds.vip_customer_flag',
      'comment:field:refunds.reason',
      'comment:asset:refunds',
      'comment:asset:staff',
    ]);
    expect(res.body.total).toBe(8);
    const reason = res.body.results[5];
    expect(reason).toMatchObject({
      type: 'field',
      matched_in: 'comment',
      matched_text: 'Why the CUSTOMER asked',
      data_type: 'text',
      namespace: 'sales',
      data_source_id: sourceId,
    });
    expect(reason.id).toBe(reason.field_id);
    expect(res.body.results[2]).toMatchObject({
      type: 'asset',
      matched_in: 'name',
      matched_text: 'customer_view',
      field_id: null,
      asset_type: 'view',
    });

    const page2 = await get('/metadata/search?q=customer&page=2&page_size=3');
    expect(page2.body).toMatchObject({ total: 8, page: 2, page_size: 3 });
    expect(page2.body.results.map((r: { name: string }) => r.name)).toEqual([
      'customers',
      'vip_customer_flag',
      'reason',
    ]);
    const beyond = await get('/metadata/search?q=customer&page=9&page_size=3');
    expect(beyond.body).toMatchObject({ total: 8, results: [] });

    const fieldsOnly = await get(`/metadata/search?q=customer&type=field&datasource_id=${sourceId}`);
    expect(fieldsOnly.body.results.map((r: { name: string }) => r.name)).toEqual([
      'customer',
      'customer_id',
      'vip_customer_flag',
      'reason',
    ]);
    const short = await get('/metadata/search?q=id');
    expect(short.body.results[0]).toMatchObject({ match: 'exact', name: 'id' });
    expect((await get('/metadata/search?q=%25')).body.total).toBe(0);
    expect(
      (await get('/metadata/search?q=_')).body.results.every((r: { name: string; matched_text: string }) =>
        r.matched_text.includes('_'),
      ),
    ).toBe(true);
    expect((await get('/metadata/search')).status).toBe(400);
    expect((await get('/metadata/search?q=%20%20')).status).toBe(400);
  });

  it('profiles are stored per run and read back as a history; the latest shows on the asset', async () => {
    const targets = await catalog.profileTargets(sourceId, { includeTables: ['cust*'] });
    expect(targets.map((x) => `${x.namespace}.${x.name}`)).toEqual(['sales.customer_view', 'sales.customers']);
    expect(targets[1].fields).toEqual([
      { name: 'id', dataType: 'bigint' },
      { name: 'email', dataType: 'character varying(120)' },
      { name: 'note', dataType: 'text' },
      { name: 'balance', dataType: 'numeric(12,2)' },
    ]);
    const profile = (rows: number): AssetProfile => ({
      row_count: rows,
      sampled: rows > 100,
      sample_rows: Math.min(rows, 100),
      columns: [
        {
          name: 'id',
          null_count: 0,
          null_ratio: 0,
          distinct_count: rows,
          distinct_ratio: 1,
          min: 1,
          max: rows,
          mean: (rows + 1) / 2,
          stddev: 1,
        },
      ],
    });
    await catalog.saveProfile({
      dataSourceId: sourceId,
      executionId: 'exec-profile-1',
      namespace: 'sales',
      name: 'customers',
      profile: profile(60),
    });
    await new Promise((r) => setTimeout(r, 5));
    await catalog.saveProfile({
      dataSourceId: sourceId,
      executionId: 'exec-profile-2',
      namespace: 'sales',
      name: 'customers',
      profile: profile(250),
    });
    await expect(
      catalog.saveProfile({
        dataSourceId: sourceId,
        executionId: 'x',
        namespace: 'sales',
        name: 'nope',
        profile: profile(1),
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const id = await assetIdOf('sales', 'customers');
    const history = await get(`/metadata/assets/${id}/profiles`, viewer);
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({ total: 2, page: 1 });
    expect(
      history.body.profiles.map(
        (p: { execution_id: string; row_count: number; sampled: boolean; sample_rows: number }) => [
          p.execution_id,
          p.row_count,
          p.sampled,
          p.sample_rows,
        ],
      ),
    ).toEqual([
      ['exec-profile-2', 250, true, 100],
      ['exec-profile-1', 60, false, 60],
    ]);
    const detail = await get(`/metadata/assets/${id}`);
    expect(detail.body.latest_profile).toMatchObject({
      execution_id: 'exec-profile-2',
      row_count: 250,
      columns: [{ name: 'id', distinct_count: 250, max: 250 }],
    });
  });

  it('writes need no HTTP role, and reads are open to viewers; unknown assets are 404 on every sub-route', async () => {
    for (const path of ['/metadata/assets/ast-x/versions', '/metadata/assets/ast-x/profiles']) {
      const res = await get(path, viewer);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    expect((await t.http.get('/api/v1/metadata/assets')).status).toBe(401);
  });

  it('documents every catalog route in the OpenAPI document', async () => {
    const doc = await t.http.get('/api/docs-json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths as object);
    for (const path of [
      '/api/v1/datasources/{id}/metadata',
      '/api/v1/metadata/assets',
      '/api/v1/metadata/assets/{asset_id}',
      '/api/v1/metadata/assets/{asset_id}/versions',
      '/api/v1/metadata/assets/{asset_id}/profiles',
      '/api/v1/metadata/search',
    ]) {
      expect(paths).toContain(path);
    }
    expect(doc.body.paths['/api/v1/metadata/search'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'page', 'page_size', 'datasource_id', 'type']),
    );
  });

  it('deleting the data source deletes its catalog', async () => {
    const other = await createSource('catalog-to-delete');
    const writer = await catalog.openRun({
      dataSourceId: other,
      executionId: 'exec-del',
      mode: 'full',
      batchSize: 10,
      scope: {},
    });
    await writer.write({ namespaces: shop().namespaces, assets: shop().assets });
    await writer.complete();
    await catalog.saveProfile({
      dataSourceId: other,
      executionId: 'exec-del-p',
      namespace: 'sales',
      name: 'orders',
      profile: { row_count: 1, sampled: false, columns: [] },
    });
    const count = async (sql: string) => Number((await t.store.query(sql, [other]))[0].n);
    expect(await count('SELECT COUNT(*) AS n FROM catalog_assets WHERE data_source_id = ?')).toBe(4);

    const del = await t.http.delete(`/api/v1/datasources/${other}`).set(bearer(t.adminToken));
    expect(del.status).toBe(200);
    expect(await count('SELECT COUNT(*) AS n FROM catalog_assets WHERE data_source_id = ?')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM catalog_namespaces WHERE data_source_id = ?')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM catalog_versions WHERE data_source_id = ?')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM catalog_profiles WHERE data_source_id = ?')).toBe(0);
    const orphans = await t.store.query(
      'SELECT COUNT(*) AS n FROM catalog_fields f LEFT JOIN catalog_assets a ON a.id = f.asset_id WHERE a.id IS NULL',
    );
    expect(Number(orphans[0].n)).toBe(0);
    // The search index forgets them too: only the first source's "orders" is found.
    const found = await get('/metadata/search?q=orders&type=asset');
    expect(found.body.results.map((r: { data_source_id: string }) => r.data_source_id)).toEqual([sourceId]);
    expect((await get(`/datasources/${other}/metadata`)).status).toBe(404);
  });
});

// ---- real sources ---------------------------------------------------------------------------

interface RestField {
  name: string;
  ordinal: number;
  data_type: string;
  nullable: boolean;
  default: string | null;
  comment: string | null;
  primary_key: boolean;
}
interface RestKey {
  name: string;
  type: string;
  columns: string[];
  references?: { namespace?: string; table: string; columns: string[] };
}
interface RestIndex {
  name: string;
  columns: string[];
  unique: boolean;
  method?: string;
}
interface RestAsset {
  id: string;
  name: string;
  type: string;
  comment: string | null;
  fields: RestField[];
  keys: RestKey[];
  indexes: RestIndex[];
}
interface RestVersion {
  namespace: string;
  asset_name: string;
  change: string;
  fields_added: number;
  fields_removed: number;
  fields_altered: number;
  diff: Record<string, unknown>;
}

/** What a test needs from a real source: a connector on it and its catalog read independently. */
interface SourceHarness {
  type: 'postgresql' | 'mysql';
  config: Record<string, unknown>;
  namespace: string;
  scope: CollectScope;
  exec(sql: string): Promise<void>;
  /** Every table and view with columns, keys and indexes, read by the test's own queries. */
  expected(): Promise<
    Array<{
      name: string;
      type: string;
      comment: string | null;
      fields: Array<Omit<RestField, 'ordinal' | 'primary_key'>>;
      keys: RestKey[];
      indexes: RestIndex[];
    }>
  >;
  ddl: { fixture: string[]; changes: string[]; dropForAbandon: string };
}

/**
 * The checks every real source goes through: the catalog read back over REST equals the source,
 * an incremental run after DDL reports exactly those changes (and agrees with a full run of a
 * second data source), an abandoned run removes nothing, profiles equal SQL computed here.
 */
function realSourceSuite(
  title: string,
  servers: Array<'postgres' | 'mariadb'>,
  makeHarness: () => Promise<
    SourceHarness & {
      close(): Promise<void>;
      profileTruth(table: string, column: string): Promise<Record<string, number | string | null>>;
    }
  >,
): void {
  describeE2E(`catalog from a real ${title} source`, () => {
    describeWithServers(servers, `${title} source`, () => {
      let t: TestApp;
      let catalog: CatalogService;
      let src: Awaited<ReturnType<typeof makeHarness>>;
      let connector: Connector;
      let incrementalSource: string;
      let fullSource: string;
      let runs = 0;
      const get = (path: string) => t.http.get(`/api/v1${path}`).set(bearer(t.adminToken));

      async function createSource(name: string): Promise<string> {
        const res = await t.http
          .post('/api/v1/datasources')
          .set(bearer(t.adminToken))
          .send({ name, type: src.type, config: src.config });
        expect(res.status).toBe(201);
        return res.body.id as string;
      }

      async function collect(
        dataSourceId: string,
        mode: 'full' | 'incremental',
        opts: { stopAfterBatches?: number } = {},
      ) {
        const executionId = `exec-${src.type}-${++runs}`;
        const writer = await catalog.openRun({ dataSourceId, executionId, mode, batchSize: 2, scope: src.scope });
        const abort = new AbortController();
        let batches = 0;
        try {
          for await (const batch of connector.collect({
            mode,
            scope: src.scope,
            batchSize: 2,
            signal: abort.signal,
            previousSignals: mode === 'incremental' ? writer.previousSignals : undefined,
          })) {
            await writer.write(batch);
            if (batch.assets.length > 0 && ++batches === opts.stopAfterBatches) {
              abort.abort();
              await writer.abandon();
              return { executionId, writer, summary: null };
            }
          }
        } catch (err) {
          await writer.abandon();
          throw err;
        }
        return { executionId, writer, summary: await writer.complete() };
      }

      /** A data source of its own with one complete run, so a test does not depend on what others left. */
      async function collectedSource(name: string): Promise<string> {
        const id = await createSource(`${src.type}-${name}`);
        await collect(id, 'full');
        return id;
      }

      async function restAssets(dataSourceId: string): Promise<RestAsset[]> {
        const list = await get(`/metadata/assets?datasource_id=${dataSourceId}&page_size=100`);
        expect(list.status).toBe(200);
        const out: RestAsset[] = [];
        for (const a of list.body.assets as Array<{ id: string }>)
          out.push((await get(`/metadata/assets/${a.id}`)).body as RestAsset);
        return out;
      }

      async function versionsOf(dataSourceId: string, executionId: string): Promise<RestVersion[]> {
        const changes = await catalog.changesOfExecution(executionId, 1000);
        expect(changes.versions.every((v) => v.data_source_id === dataSourceId)).toBe(true);
        return changes.versions.map(
          ({ namespace, asset_name, change, fields_added, fields_removed, fields_altered, diff }) => ({
            namespace,
            asset_name,
            change,
            fields_added,
            fields_removed,
            fields_altered,
            diff,
          }),
        );
      }

      async function expectCatalogToMatchSource(dataSourceId: string) {
        // Sources sort names by their own collations; the catalog lists them by code point.
        const expected = (await src.expected()).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
        const actual = await restAssets(dataSourceId);
        expect(actual.map((a) => `${a.name}:${a.type}`)).toEqual(expected.map((e) => `${e.name}:${e.type}`));
        for (const e of expected) {
          const a = actual.find((x) => x.name === e.name)!;
          expect({ name: a.name, comment: a.comment }).toEqual({ name: e.name, comment: e.comment });
          expect(
            a.fields.map((f) => ({
              name: f.name,
              data_type: f.data_type,
              nullable: f.nullable,
              default: f.default,
              comment: f.comment,
            })),
          ).toEqual(e.fields);
          expect(a.fields.map((f) => f.ordinal)).toEqual(e.fields.map((_, i) => i + 1));
          const primary = e.keys.find((k) => k.type === 'primary')?.columns ?? [];
          expect(a.fields.filter((f) => f.primary_key).map((f) => f.name)).toEqual(
            a.fields.map((f) => f.name).filter((n) => primary.includes(n)),
          );
          const keys = [...a.keys]
            .sort((x, y) => x.name.localeCompare(y.name))
            .map((k) => ({
              name: k.name,
              type: k.type,
              columns: k.columns,
              ...(k.references ? { references: { table: k.references.table, columns: k.references.columns } } : {}),
            }));
          expect(keys).toEqual(e.keys);
          const indexes = [...a.indexes]
            .sort((x, y) => x.name.localeCompare(y.name))
            .map((i) => ({ name: i.name, columns: i.columns, unique: i.unique, method: i.method }));
          expect(indexes).toEqual(e.indexes);
        }
      }

      beforeAll(async () => {
        src = await makeHarness();
        for (const sql of src.ddl.fixture) await src.exec(sql);
        connector = createDefaultRegistry()
          .get(src.type)
          .create(src.config, { guardAddress: createAddressGuard({ deny: [], allow: [] }) });
        t = await bootApp();
        catalog = t.app.get(CatalogService);
        incrementalSource = await createSource(`${src.type}-incremental`);
        fullSource = await createSource(`${src.type}-full`);
      });
      afterAll(async () => {
        await connector?.close();
        await t?.close();
        await src?.close();
      });

      it('the catalog read back over REST matches the source exactly', async () => {
        const first = await collect(incrementalSource, 'full');
        await collect(fullSource, 'full');
        const expected = await src.expected();
        expect(first.summary).toMatchObject({
          assets_added: expected.length,
          assets_removed: 0,
          assets_altered: 0,
          fields_added: expected.reduce((n, e) => n + e.fields.length, 0),
        });
        await expectCatalogToMatchSource(incrementalSource);
        const tree = await get(`/datasources/${incrementalSource}/metadata`);
        expect(tree.body.namespaces.map((n: { name: string; asset_count: number }) => [n.name, n.asset_count])).toEqual(
          [[src.namespace, expected.length]],
        );
      });

      it('after DDL an incremental run reports exactly those changes, and a full run agrees', async () => {
        const incrementalSource = await collectedSource('ddl-incremental');
        const fullSource = await collectedSource('ddl-full');
        for (const sql of src.ddl.changes) await src.exec(sql);
        const incremental = await collect(incrementalSource, 'incremental');
        const full = await collect(fullSource, 'full');
        expect(incremental.summary).toEqual(full.summary);
        expect(incremental.summary).toMatchObject({ assets_added: 1, assets_removed: 1, assets_altered: 2 });
        // The incremental run re-read only the changed tables.
        expect(incremental.writer.progress.assetsWritten).toBe(3);
        expect(incremental.writer.progress.fieldsSeen).toBeLessThan(full.writer.progress.fieldsSeen);

        const viaIncremental = await versionsOf(incrementalSource, incremental.executionId);
        const viaFull = await versionsOf(fullSource, full.executionId);
        expect(viaIncremental).toEqual(viaFull);
        expect(viaIncremental.map((v) => `${v.asset_name}:${v.change}`)).toEqual([
          'customers:altered',
          'orders:altered',
          'refunds:added',
          'scratch:removed',
        ]);

        const customers = viaIncremental[0].diff as {
          fields: { added: Array<{ name: string }>; removed: Array<{ name: string }>; altered: unknown[] };
        };
        expect(customers.fields.added.map((f) => f.name)).toEqual(['phone']);
        expect(customers.fields.removed.map((f) => f.name)).toEqual(['note']);
        expect(customers.fields.altered).toEqual([]);
        const orders = viaIncremental[1].diff as {
          fields: { altered: Array<{ name: string; changes: Record<string, { old: unknown; new: unknown }> }> };
        };
        expect(orders.fields.altered.map((f) => [f.name, Object.keys(f.changes).sort()])).toEqual([
          ['amount', ['data_type']],
          ['note', ['comment', 'default']],
        ]);
        expect(orders.fields.altered[1].changes.comment).toEqual({ old: null, new: 'Free text' });

        await expectCatalogToMatchSource(incrementalSource);
        await expectCatalogToMatchSource(fullSource);

        // Nothing changed since: a full run finds nothing either.
        const again = await collect(incrementalSource, 'full');
        expect(again.summary).toMatchObject({
          assets_added: 0,
          assets_removed: 0,
          assets_altered: 0,
          fields_added: 0,
          fields_removed: 0,
          fields_altered: 0,
        });
        const quiet = await collect(incrementalSource, 'incremental');
        expect(quiet.summary).toMatchObject({
          assets_added: 0,
          assets_removed: 0,
          assets_altered: 0,
          assets_unchanged: (await src.expected()).length,
        });
        expect(quiet.writer.progress.assetsWritten).toBe(0);
      });

      it('a run cancelled half-way removes nothing; the next complete run does', async () => {
        const own = await collectedSource('cancelled');
        await src.exec(src.ddl.dropForAbandon);
        const before = (await get(`/metadata/assets?datasource_id=${own}`)).body.total as number;
        const cancelled = await collect(own, 'full', { stopAfterBatches: 1 });
        expect(cancelled.summary).toBeNull();
        expect((await get(`/metadata/assets?datasource_id=${own}`)).body.total).toBe(before);
        expect((await catalog.changesOfExecution(cancelled.executionId)).assets_removed).toBe(0);
        const done = await collect(own, 'full');
        expect(done.summary).toMatchObject({ assets_removed: 1 });
        await expectCatalogToMatchSource(own);
      });

      it('profiles computed at the source match SQL computed here, and are kept per run', async () => {
        const own = await collectedSource('profiled');
        const [target] = await catalog.profileTargets(own, { ...src.scope, includeTables: ['customers'] });
        expect(target.fields.map((f) => f.name)).toEqual(
          (await src.expected()).find((e) => e.name === 'customers')!.fields.map((f) => f.name),
        );
        for (const executionId of ['exec-prof-1', 'exec-prof-2']) {
          const profile = await connector.profile(target, {
            sampleRows: 100_000,
            topValues: true,
            topN: 3,
            signal: new AbortController().signal,
          });
          await catalog.saveProfile({
            dataSourceId: own,
            executionId,
            namespace: target.namespace,
            name: target.name,
            profile,
          });
        }
        const id = (await get(`/metadata/assets?datasource_id=${own}&q=customers`)).body.assets[0].id as string;
        const history = await get(`/metadata/assets/${id}/profiles`);
        expect(history.body.profiles.map((p: { execution_id: string }) => p.execution_id)).toEqual([
          'exec-prof-2',
          'exec-prof-1',
        ]);
        const latest = history.body.profiles[0] as {
          row_count: number;
          sampled: boolean;
          columns: Array<Record<string, number | string | null>>;
        };
        const truth = await src.profileTruth('customers', 'balance');
        expect(latest.row_count).toBe(Number(truth.rows));
        expect(latest.sampled).toBe(false);
        const balance = latest.columns.find((c) => c.name === 'balance')!;
        expect(balance.null_count).toBe(Number(truth.nulls));
        expect(balance.distinct_count).toBe(Number(truth.distinct));
        expect(Number(balance.min)).toBeCloseTo(Number(truth.min), 6);
        expect(Number(balance.max)).toBeCloseTo(Number(truth.max), 6);
        expect(Number(balance.mean)).toBeCloseTo(Number(truth.mean), 4);
        const name = latest.columns.find((c) => c.name === 'name')!;
        const nameTruth = await src.profileTruth('customers', 'name');
        expect([name.null_count, name.distinct_count, name.min_length, name.max_length]).toEqual(
          [nameTruth.nulls, nameTruth.distinct, nameTruth.min_length, nameTruth.max_length].map(Number),
        );
        expect((await get(`/metadata/assets/${id}`)).body.latest_profile.execution_id).toBe('exec-prof-2');
      });

      it('search finds the source by name and comment in the documented order', async () => {
        const own = await collectedSource('searched');
        const expected = await src.expected();
        const MATCH = ['exact', 'prefix', 'substring', 'comment'];
        const bytewise = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
        for (const q of ['customer', 'e-mail', 'ID', 'mail']) {
          const lq = q.toLowerCase();
          const items = expected.flatMap((a) => [
            { type: 'asset', name: a.name, label: a.name, comment: a.comment },
            ...a.fields.map((f) => ({ type: 'field', name: f.name, label: `${a.name}.${f.name}`, comment: f.comment })),
          ]);
          const rank = (i: { name: string; comment: string | null }) => {
            const n = i.name.toLowerCase();
            if (n === lq) return 0;
            if (n.startsWith(lq)) return 1;
            if (n.includes(lq)) return 2;
            return (i.comment ?? '').toLowerCase().includes(lq) ? 3 : -1;
          };
          const want = items
            .map((i) => ({ ...i, r: rank(i) }))
            .filter((i) => i.r >= 0)
            .sort(
              (a, b) =>
                a.r - b.r ||
                bytewise(a.name.toLowerCase(), b.name.toLowerCase()) ||
                bytewise(a.name, b.name) ||
                bytewise(a.type, b.type),
            );
          const res = await get(`/metadata/search?q=${encodeURIComponent(q)}&datasource_id=${own}&page_size=100`);
          expect(res.status).toBe(200);
          const got = res.body.results as Array<{ match: string; type: string; name: string; asset_name: string }>;
          // Ties (same rank, name and type, e.g. every "id" column) are ordered by id: compare them as sets.
          expect(got.map((r) => `${r.match}:${r.type}:${r.name}`)).toEqual(
            want.map((w) => `${MATCH[w.r]}:${w.type}:${w.name}`),
          );
          expect(got.map((r) => (r.type === 'field' ? `${r.asset_name}.${r.name}` : r.name)).sort()).toEqual(
            want.map((w) => w.label).sort(),
          );
          expect(res.body.total).toBe(want.length);
        }
      });

      it('deleting a data source deletes its catalog', async () => {
        const own = await collectedSource('deleted');
        expect((await get(`/metadata/assets?datasource_id=${own}`)).body.total).toBeGreaterThan(0);
        const del = await t.http.delete(`/api/v1/datasources/${own}`).set(bearer(t.adminToken));
        expect(del.status).toBe(200);
        const left = await t.store.query('SELECT COUNT(*) AS n FROM catalog_assets WHERE data_source_id = ?', [own]);
        expect(Number(left[0].n)).toBe(0);
        expect((await get(`/metadata/assets?datasource_id=${own}`)).body.total).toBe(0);
      });
    });
  });
}

const byName = <T extends { name: string }>(list: T[]): T[] => [...list].sort((a, b) => a.name.localeCompare(b.name));

const KEY_TYPES: Record<string, string> = {
  'PRIMARY KEY': 'primary',
  UNIQUE: 'unique',
  'FOREIGN KEY': 'foreign',
  CHECK: 'check',
};

realSourceSuite('PostgreSQL', ['postgres'], async () => {
  const { host, port } = SERVER_ENDPOINTS.postgres;
  const s = `cat_e2e_${randomBytes(4).toString('hex')}`;
  const client = new Client({ host, port, user: 'postgres', database: 'test' });
  await client.connect();
  const rows = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];
  return {
    type: 'postgresql',
    config: { host, port, username: 'postgres', database: 'test', timeout: 10 },
    namespace: s,
    scope: { includeSchemas: [s] },
    exec: async (sql) => {
      await client.query(sql);
    },
    ddl: {
      fixture: [
        `CREATE SCHEMA ${s}`,
        `CREATE TABLE ${s}.customers (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(120) NOT NULL, name text, balance numeric(12,2) DEFAULT 0,
           note text, country char(2) DEFAULT 'US', created_at timestamp with time zone NOT NULL DEFAULT now(), CONSTRAINT customers_email_key UNIQUE (email))`,
        `COMMENT ON TABLE ${s}.customers IS 'People who buy'`,
        `COMMENT ON COLUMN ${s}.customers.email IS 'Login e-mail'`,
        `CREATE INDEX customers_created ON ${s}.customers (created_at)`,
        `CREATE TABLE ${s}.orders (id bigserial PRIMARY KEY, customer_id integer NOT NULL REFERENCES ${s}.customers(id), amount numeric(10,2) NOT NULL CHECK (amount >= 0), note varchar(200))`,
        `CREATE INDEX orders_customer ON ${s}.orders USING hash (customer_id)`,
        `CREATE TABLE ${s}.scratch (k text, v integer)`,
        `CREATE TABLE ${s}.audit_trail (id bigint, what text)`,
        `CREATE VIEW ${s}.customer_emails AS SELECT id, email FROM ${s}.customers`,
        `COMMENT ON VIEW ${s}.customer_emails IS 'Who to write to'`,
        `COMMENT ON COLUMN ${s}.customer_emails.email IS 'Where the customer reads mail'`,
        `INSERT INTO ${s}.customers (email, name, balance, country)
           SELECT 'u' || g || '@example.org', CASE WHEN g % 7 = 0 THEN NULL ELSE 'name' || (g % 13) END,
                  CASE WHEN g % 11 = 0 THEN NULL ELSE (g * 37 % 2000)::numeric / 3 END, 'DE' FROM generate_series(1, 60) g`,
        `INSERT INTO ${s}.orders (customer_id, amount, note) SELECT 1 + g % 60, g, 'n' || g FROM generate_series(1, 500) g`,
      ],
      changes: [
        `ALTER TABLE ${s}.customers ADD COLUMN phone varchar(30)`,
        `ALTER TABLE ${s}.customers DROP COLUMN note`,
        `ALTER TABLE ${s}.orders ALTER COLUMN amount TYPE numeric(14,2)`,
        `ALTER TABLE ${s}.orders ALTER COLUMN note SET DEFAULT 'none'`,
        `COMMENT ON COLUMN ${s}.orders.note IS 'Free text'`,
        `CREATE TABLE ${s}.refunds (id integer PRIMARY KEY, order_id bigint REFERENCES ${s}.orders(id), reason text)`,
        `DROP TABLE ${s}.scratch`,
      ],
      dropForAbandon: `DROP TABLE ${s}.audit_trail`,
    },
    async expected() {
      const tables = await rows<{ name: string; type: string; comment: string | null }>(
        `SELECT t.table_name AS name, CASE t.table_type WHEN 'BASE TABLE' THEN 'table' WHEN 'VIEW' THEN 'view' ELSE t.table_type END AS type,
                obj_description(format('%I.%I', t.table_schema, t.table_name)::regclass, 'pg_class') AS comment
           FROM information_schema.tables t WHERE t.table_schema = $1 ORDER BY t.table_name`,
        [s],
      );
      const out = [];
      for (const table of tables) {
        const fields = await rows<{
          name: string;
          data_type: string;
          nullable: boolean;
          default: string | null;
          comment: string | null;
        }>(
          `SELECT c.column_name AS name, format_type(a.atttypid, a.atttypmod) AS data_type, c.is_nullable = 'YES' AS nullable,
                  c.column_default AS "default", col_description(a.attrelid, a.attnum) AS comment
             FROM information_schema.columns c
             JOIN pg_attribute a ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass AND a.attname = c.column_name
            WHERE c.table_schema = $1 AND c.table_name = $2 ORDER BY c.ordinal_position`,
          [s, table.name],
        );
        const constraints = await rows<{
          name: string;
          type: string;
          columns: string[];
          ref_table: string | null;
          ref_columns: string[];
        }>(
          `SELECT tc.constraint_name AS name, tc.constraint_type AS type,
                  CASE WHEN tc.constraint_type = 'CHECK'
                       THEN ARRAY(SELECT u.column_name::text FROM information_schema.constraint_column_usage u
                                   WHERE u.constraint_schema = tc.constraint_schema AND u.constraint_name = tc.constraint_name ORDER BY 1)
                       ELSE ARRAY(SELECT k.column_name::text FROM information_schema.key_column_usage k
                                   WHERE k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name ORDER BY k.ordinal_position) END AS columns,
                  (SELECT u.table_name::text FROM information_schema.referential_constraints r
                     JOIN information_schema.table_constraints u ON u.constraint_schema = r.unique_constraint_schema AND u.constraint_name = r.unique_constraint_name
                    WHERE r.constraint_schema = tc.constraint_schema AND r.constraint_name = tc.constraint_name) AS ref_table,
                  ARRAY(SELECT k2.column_name::text FROM information_schema.referential_constraints r
                          JOIN information_schema.key_column_usage k2 ON k2.constraint_schema = r.unique_constraint_schema AND k2.constraint_name = r.unique_constraint_name
                         WHERE r.constraint_schema = tc.constraint_schema AND r.constraint_name = tc.constraint_name ORDER BY k2.ordinal_position) AS ref_columns
             FROM information_schema.table_constraints tc
            WHERE tc.table_schema = $1 AND tc.table_name = $2 AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY', 'CHECK')`,
          [s, table.name],
        );
        const keys = constraints
          .filter((c) => !(c.type === 'CHECK' && /_not_null$/.test(c.name)))
          .map((c) => ({
            name: c.name,
            type: KEY_TYPES[c.type],
            columns: c.columns,
            ...(c.ref_table ? { references: { table: c.ref_table, columns: c.ref_columns } } : {}),
          }));
        const indexes = (
          await rows<{ name: string; def: string }>(
            `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = $1 AND tablename = $2`,
            [s, table.name],
          )
        ).map((i) => {
          const parsed = /USING (\w+) \((.*)\)$/.exec(i.def)!;
          return {
            name: i.name,
            columns: parsed[2].split(', '),
            unique: i.def.startsWith('CREATE UNIQUE INDEX'),
            method: parsed[1],
          };
        });
        out.push({ ...table, fields, keys: byName(keys), indexes: byName(indexes) });
      }
      // Sequences are catalog entries of their own (no fields, keys or indexes).
      const sequences = await rows<{ name: string; comment: string | null }>(
        `SELECT sequencename AS name, obj_description(format('%I.%I', schemaname, sequencename)::regclass, 'pg_class') AS comment
           FROM pg_sequences WHERE schemaname = $1`,
        [s],
      );
      for (const q of sequences) out.push({ ...q, type: 'sequence', fields: [], keys: [], indexes: [] });
      return out;
    },
    async profileTruth(table, column) {
      const c = `"${column}"`;
      const [{ data_type }] = await rows<{ data_type: string }>(
        `SELECT data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3`,
        [s, table, column],
      );
      const mean = ['numeric', 'integer', 'bigint', 'smallint', 'double precision', 'real'].includes(data_type)
        ? `avg(${c})::float8`
        : 'NULL';
      const [r] = await rows<Record<string, string | number | null>>(
        `SELECT count(*)::int AS rows, (count(*) - count(${c}))::int AS nulls, count(DISTINCT ${c})::int AS distinct,
                min(${c})::text AS min, max(${c})::text AS max, min(length(${c}::text)) AS min_length, max(length(${c}::text)) AS max_length, ${mean} AS mean
           FROM ${s}.${table}`,
      );
      return r;
    },
    async close() {
      await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      await client.end();
    },
  };
});

realSourceSuite('MariaDB', ['mariadb'], async () => {
  const { host, port } = SERVER_ENDPOINTS.mariadb;
  const d = `cat_e2e_${randomBytes(4).toString('hex')}`;
  const conn = await mysql.createConnection({ host, port, user: 'root' });
  const rows = async <T>(sql: string, params: unknown[] = []) => (await conn.query(sql, params))[0] as T[];
  return {
    type: 'mysql',
    config: { host, port, username: 'root', database: d, timeout: 10 },
    namespace: d,
    scope: { includeSchemas: [d] },
    exec: async (sql) => {
      await conn.query(sql);
    },
    ddl: {
      fixture: [
        `CREATE DATABASE ${d}`,
        `CREATE TABLE ${d}.customers (id int AUTO_INCREMENT PRIMARY KEY, email varchar(120) NOT NULL COMMENT 'Login e-mail', name text, balance decimal(12,2) DEFAULT 0,
           note text, country char(2) DEFAULT 'US', created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
           UNIQUE KEY customers_email_key (email), KEY customers_created (created_at)) COMMENT = 'People who buy'`,
        `CREATE TABLE ${d}.orders (id bigint AUTO_INCREMENT PRIMARY KEY, customer_id int NOT NULL, amount decimal(10,2) NOT NULL, note varchar(200),
           KEY orders_customer (customer_id), CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES ${d}.customers (id))`,
        `CREATE TABLE ${d}.scratch (k text, v int)`,
        `CREATE TABLE ${d}.audit_trail (id bigint, what text)`,
        `CREATE VIEW ${d}.customer_emails AS SELECT id, email FROM ${d}.customers`,
        `INSERT INTO ${d}.customers (email, name, balance, country)
           SELECT CONCAT('u', seq, '@example.org'), IF(seq % 7 = 0, NULL, CONCAT('name', seq % 13)), IF(seq % 11 = 0, NULL, (seq * 37 % 2000) / 3), 'DE' FROM ${d}.seq_1_to_60`,
        `INSERT INTO ${d}.orders (customer_id, amount, note) SELECT 1 + seq % 60, seq, CONCAT('n', seq) FROM ${d}.seq_1_to_500`,
      ],
      changes: [
        `ALTER TABLE ${d}.customers ADD COLUMN phone varchar(30)`,
        `ALTER TABLE ${d}.customers DROP COLUMN note`,
        `ALTER TABLE ${d}.orders MODIFY amount decimal(14,2) NOT NULL`,
        `ALTER TABLE ${d}.orders MODIFY note varchar(200) DEFAULT 'none' COMMENT 'Free text'`,
        `CREATE TABLE ${d}.refunds (id int PRIMARY KEY, order_id bigint, reason text, CONSTRAINT refunds_order_fk FOREIGN KEY (order_id) REFERENCES ${d}.orders (id))`,
        `DROP TABLE ${d}.scratch`,
      ],
      dropForAbandon: `DROP TABLE ${d}.audit_trail`,
    },
    async expected() {
      const tables = await rows<{ name: string; type: string; comment: string }>(
        `SELECT TABLE_NAME AS name, TABLE_TYPE AS type, TABLE_COMMENT AS comment FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`,
        [d],
      );
      const out = [];
      for (const table of tables) {
        const view = table.type === 'VIEW';
        const columns = await rows<{
          name: string;
          data_type: string;
          nullable: string;
          dflt: string | null;
          comment: string;
        }>(
          `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS data_type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, COLUMN_COMMENT AS comment
             FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
          [d, table.name],
        );
        const constraints = await rows<{ name: string; type: string }>(
          `SELECT CONSTRAINT_NAME AS name, CONSTRAINT_TYPE AS type FROM information_schema.TABLE_CONSTRAINTS
            WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')`,
          [d, table.name],
        );
        const keys = [];
        for (const c of constraints) {
          const parts = await rows<{ column: string; ref_table: string | null; ref_column: string | null }>(
            `SELECT COLUMN_NAME AS \`column\`, REFERENCED_TABLE_NAME AS ref_table, REFERENCED_COLUMN_NAME AS ref_column FROM information_schema.KEY_COLUMN_USAGE
              WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = ? ORDER BY ORDINAL_POSITION`,
            [d, table.name, c.name],
          );
          const ref = parts[0]?.ref_table ?? null;
          keys.push({
            name: c.name,
            type: KEY_TYPES[c.type],
            columns: parts.map((p) => p.column),
            ...(ref ? { references: { table: ref, columns: parts.map((p) => p.ref_column!) } } : {}),
          });
        }
        const stats = await rows<{ name: string; non_unique: number; method: string; column: string }>(
          `SELECT INDEX_NAME AS name, NON_UNIQUE AS non_unique, INDEX_TYPE AS method, COLUMN_NAME AS \`column\` FROM information_schema.STATISTICS
            WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
          [d, table.name],
        );
        const indexes = new Map<string, RestIndex>();
        for (const st of stats) {
          const entry = indexes.get(st.name) ?? {
            name: st.name,
            columns: [],
            unique: Number(st.non_unique) === 0,
            method: st.method,
          };
          entry.columns.push(st.column);
          indexes.set(st.name, entry);
        }
        out.push({
          name: table.name,
          type: view ? 'view' : 'table',
          comment: table.comment === '' || (view && table.comment === 'VIEW') ? null : table.comment,
          // MariaDB spells "no default" as NULL and quotes literal defaults; both as the server says them.
          fields: columns.map((c) => ({
            name: c.name,
            data_type: c.data_type,
            nullable: c.nullable === 'YES',
            default: c.dflt === 'NULL' ? null : c.dflt,
            comment: c.comment || null,
          })),
          keys: byName(keys),
          indexes: byName([...indexes.values()]),
        });
      }
      return out;
    },
    async profileTruth(table, column) {
      const c = `\`${column}\``;
      const [r] = await rows<Record<string, string | number | null>>(
        `SELECT COUNT(*) AS \`rows\`, COUNT(*) - COUNT(${c}) AS nulls, COUNT(DISTINCT ${c}) AS \`distinct\`, MIN(${c}) AS min, MAX(${c}) AS max,
                MIN(CHAR_LENGTH(${c})) AS min_length, MAX(CHAR_LENGTH(${c})) AS max_length, AVG(${c}) AS mean FROM ${d}.${table}`,
      );
      return r;
    },
    async close() {
      await conn.query(`DROP DATABASE IF EXISTS ${d}`);
      await conn.end();
    },
  };
});
