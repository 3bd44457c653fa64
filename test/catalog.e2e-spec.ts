/**
 * The metadata catalog end to end: runs written through CatalogService (as the task runner
 * does) and read back through the REST API. The first part writes hand-built batches; the
 * parts after it collect real PostgreSQL and MariaDB schemas the suite creates and drops.
 */
import type { AssetProfile, CatalogAsset, CatalogBatch, CatalogField, CollectScope } from '@app/connectors';
import { CatalogService } from '../src/catalog/catalog.service';
import { ChangeSummary } from '../src/catalog/run/change-summary';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';

const col = (name: string, ordinal: number, dataType: string, extra: Partial<CatalogField> = {}): CatalogField => ({ name, ordinal, dataType, nullable: true, ...extra });

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
          { name: 'orders_customer_fk', type: 'foreign', columns: ['customer_id'], references: { namespace: 'sales', table: 'customers', columns: ['id'] } },
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
      .send({ name, type: 'postgresql', config: { host: '127.0.0.1', port: 5432, database: 'test', username: 'postgres' } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function run(batches: CatalogBatch[], opts: { scope?: CollectScope; mode?: 'full' | 'incremental'; batchSize?: number } = {}): Promise<{ summary: ChangeSummary; executionId: string }> {
    const executionId = `exec-hand-${++executions}`;
    const writer = await catalog.openRun({ dataSourceId: sourceId, executionId, mode: opts.mode ?? 'full', batchSize: opts.batchSize ?? 2, scope: opts.scope ?? {} });
    for (const b of batches) await writer.write(b);
    return { summary: await writer.complete(), executionId };
  }

  async function assetIdOf(namespace: string, name: string): Promise<string> {
    const res = await get(`/metadata/assets?datasource_id=${sourceId}&namespace=${namespace}&q=${encodeURIComponent(name)}&include_removed=true`);
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
    const { summary, executionId } = await run([{ namespaces, assets: assets.slice(0, 2) }, { assets: assets.slice(2) }]);
    expect(summary).toEqual({ assets_added: 4, assets_removed: 0, assets_altered: 0, assets_unchanged: 0, fields_added: 11, fields_removed: 0, fields_altered: 0 });

    const changes = await catalog.changesOfExecution(executionId);
    expect(changes).toMatchObject({ assets_added: 4, assets_removed: 0, assets_altered: 0, fields_added: 11, versions_total: 4 });
    expect(changes.versions.map((v) => `${v.namespace}.${v.asset_name}:${v.change}`)).toEqual(['hr.staff:added', 'sales.customer_view:added', 'sales.customers:added', 'sales.orders:added']);
  });

  it('GET /datasources/{id}/metadata is the tree with asset counts per kind; 404 for an unknown source', async () => {
    const res = await get(`/datasources/${sourceId}/metadata`, viewer);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ data_source_id: sourceId, data_source_name: 'catalog-hand-built', data_source_type: 'postgresql', asset_count: 4, counts: { table: 3, view: 1 } });
    expect(res.body.namespaces.map((n: { name: string; kind: string; asset_count: number; counts: object }) => [n.name, n.kind, n.asset_count, n.counts])).toEqual([
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
    expect(all.body.assets.map((a: { namespace: string; name: string }) => `${a.namespace}.${a.name}`)).toEqual(['hr.staff', 'sales.customer_view', 'sales.customers', 'sales.orders']);

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
    expect(res.body.fields.map((f: Record<string, unknown>) => [f.name, f.ordinal, f.data_type, f.type_family, f.nullable, f.default, f.comment, f.primary_key, f.path])).toEqual([
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
    expect(summary).toEqual({ assets_added: 0, assets_removed: 0, assets_altered: 0, assets_unchanged: 4, fields_added: 0, fields_removed: 0, fields_altered: 0 });
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
      fields: [col('id', 1, 'bigint', { nullable: false }), col('customer', 2, 'integer', { comment: 'Who got the money back' }), col('vip_customer_flag', 3, 'boolean')],
      changeSignal: 'r1',
    };
    const kept = assets.filter((a) => a.name !== 'customer_view');
    const { summary, executionId } = await run([{ namespaces, assets: [...kept, refunds] }]);
    expect(summary).toEqual({ assets_added: 1, assets_removed: 1, assets_altered: 1, assets_unchanged: 2, fields_added: 4, fields_removed: 3, fields_altered: 2 });

    const id = await assetIdOf('sales', 'customers');
    const versions = await get(`/metadata/assets/${id}/versions`, viewer);
    expect(versions.status).toBe(200);
    expect(versions.body.total).toBe(2);
    const [latest, first] = versions.body.versions;
    expect(first.change).toBe('added');
    expect(latest).toMatchObject({ change: 'altered', execution_id: executionId, fields_added: 1, fields_removed: 1, fields_altered: 2, asset_name: 'customers', asset_type: 'table' });
    expect(latest.diff).toEqual({
      fields: {
        added: [{ name: 'phone', ordinal: 4, data_type: 'text', nullable: true, default: null, comment: null, primary_key: false }],
        removed: [{ name: 'note', ordinal: 3, data_type: 'text', nullable: true, default: null, comment: null, primary_key: false }],
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
      indexes: { added: [], removed: [{ name: 'customers_email_key', columns: ['email'], unique: true, method: 'btree' }], altered: [] },
    });
    const fields = (await get(`/metadata/assets/${id}`)).body.fields.map((f: { name: string; ordinal: number }) => `${f.ordinal}:${f.name}`);
    expect(fields).toEqual(['1:id', '2:email', '3:balance', '4:phone']);

    const viewId = await assetIdOf('sales', 'customer_view');
    const removed = await get(`/metadata/assets/${viewId}`);
    expect(removed.body.removed_at).toMatch(/Z$/);
    const viewVersions = await get(`/metadata/assets/${viewId}/versions`);
    expect(viewVersions.body.versions[0]).toMatchObject({ change: 'removed', fields_removed: 2 });
    const listed = await get(`/metadata/assets?datasource_id=${sourceId}`);
    expect(listed.body.assets.map((a: { name: string }) => a.name)).toEqual(['staff', 'customers', 'orders', 'refunds']);
    const withRemoved = await get(`/metadata/assets?datasource_id=${sourceId}&include_removed=true`);
    expect(withRemoved.body.total).toBe(5);

    const changes = await catalog.changesOfExecution(executionId);
    expect(changes).toMatchObject({ assets_added: 1, assets_removed: 1, assets_altered: 1, fields_added: 4, fields_removed: 3, fields_altered: 2, versions_total: 3 });
  });

  it('an asset that comes back is "added" again and keeps its history', async () => {
    const { namespaces, assets } = shop();
    const view = assets.find((a) => a.name === 'customer_view')!;
    const { summary } = await run([{ namespaces, assets: [view] }], { scope: { includeSchemas: ['sales'], includeTables: ['customer_view'] } });
    expect(summary).toMatchObject({ assets_added: 1, assets_removed: 0 });
    const viewId = await assetIdOf('sales', 'customer_view');
    const versions = await get(`/metadata/assets/${viewId}/versions`);
    expect(versions.body.versions.map((v: { change: string }) => v.change)).toEqual(['added', 'removed', 'added']);
    expect((await get(`/metadata/assets/${viewId}`)).body.removed_at).toBeNull();
  });

  it('a run abandoned half-way removes nothing, and takes no more writes', async () => {
    const before = (await get(`/metadata/assets?datasource_id=${sourceId}`)).body.total as number;
    const writer = await catalog.openRun({ dataSourceId: sourceId, executionId: 'exec-hand-abandoned', mode: 'full', batchSize: 1, scope: {} });
    await writer.write({ assets: [shop().assets[3]] });
    await writer.abandon();
    await expect(writer.write({ assets: [shop().assets[1]] })).rejects.toMatchObject({ code: 'CONFLICT' });
    const after = await get(`/metadata/assets?datasource_id=${sourceId}`);
    expect(after.body.total).toBe(before);
    expect((await catalog.changesOfExecution('exec-hand-abandoned')).versions_total).toBe(0);
  });

  it('removals stay within the run scope; incremental runs keep assets reported unchanged', async () => {
    const writer = await catalog.openRun({ dataSourceId: sourceId, executionId: 'exec-hand-incremental', mode: 'incremental', batchSize: 10, scope: { includeSchemas: ['sales'] } });
    expect(writer.previousSignals.get(['sales', 'orders'].join('\u001f'))).toBe('o1');
    expect(writer.previousSignals.has(['sales', 'note'].join('\u001f'))).toBe(false);
    await writer.write({ assets: [], unchanged: [{ namespace: 'sales', name: 'customers' }, { namespace: 'sales', name: 'orders' }, { namespace: 'sales', name: 'customer_view' }] });
    const summary = await writer.complete();
    // refunds was neither read nor reported unchanged; hr.staff is outside the scope.
    expect(summary).toEqual({ assets_added: 0, assets_removed: 1, assets_altered: 0, assets_unchanged: 3, fields_added: 0, fields_removed: 3, fields_altered: 0 });
    expect(writer.progress).toEqual({ assetsSeen: 3, assetsWritten: 0, fieldsSeen: 0 });
    expect(await writer.complete()).toEqual(summary);
    const listed = await get(`/metadata/assets?datasource_id=${sourceId}`);
    expect(listed.body.assets.map((a: { namespace: string; name: string }) => `${a.namespace}.${a.name}`)).toEqual(['hr.staff', 'sales.customer_view', 'sales.customers', 'sales.orders']);
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
      fields: [col('id', 1, 'bigint'), col('customer', 2, 'integer'), col('vip_customer_flag', 3, 'boolean'), col('reason', 4, 'text', { comment: 'Why the CUSTOMER asked' })],
    };
    await run([{ namespaces, assets: [...assets, refunds] }]);

    const res = await get('/metadata/search?q=Customer', viewer);
    expect(res.status).toBe(200);
    const got = (res.body.results as Array<Record<string, string>>).map((r) => `${r.match}:${r.type}:${r.asset_name}${r.field_name ? `.${r.field_name}` : ''}`);
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
    expect(reason).toMatchObject({ type: 'field', matched_in: 'comment', matched_text: 'Why the CUSTOMER asked', data_type: 'text', namespace: 'sales', data_source_id: sourceId });
    expect(reason.id).toBe(reason.field_id);
    expect(res.body.results[2]).toMatchObject({ type: 'asset', matched_in: 'name', matched_text: 'customer_view', field_id: null, asset_type: 'view' });

    const page2 = await get('/metadata/search?q=customer&page=2&page_size=3');
    expect(page2.body).toMatchObject({ total: 8, page: 2, page_size: 3 });
    expect(page2.body.results.map((r: { name: string }) => r.name)).toEqual(['customers', 'vip_customer_flag', 'reason']);
    const beyond = await get('/metadata/search?q=customer&page=9&page_size=3');
    expect(beyond.body).toMatchObject({ total: 8, results: [] });

    const fieldsOnly = await get(`/metadata/search?q=customer&type=field&datasource_id=${sourceId}`);
    expect(fieldsOnly.body.results.map((r: { name: string }) => r.name)).toEqual(['customer', 'customer_id', 'vip_customer_flag', 'reason']);
    const short = await get('/metadata/search?q=id');
    expect(short.body.results[0]).toMatchObject({ match: 'exact', name: 'id' });
    expect((await get('/metadata/search?q=%25')).body.total).toBe(0);
    expect((await get('/metadata/search?q=_')).body.results.every((r: { name: string; matched_text: string }) => r.matched_text.includes('_'))).toBe(true);
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
      columns: [{ name: 'id', null_count: 0, null_ratio: 0, distinct_count: rows, distinct_ratio: 1, min: 1, max: rows, mean: (rows + 1) / 2, stddev: 1 }],
    });
    await catalog.saveProfile({ dataSourceId: sourceId, executionId: 'exec-profile-1', namespace: 'sales', name: 'customers', profile: profile(60) });
    await new Promise((r) => setTimeout(r, 5));
    await catalog.saveProfile({ dataSourceId: sourceId, executionId: 'exec-profile-2', namespace: 'sales', name: 'customers', profile: profile(250) });
    await expect(catalog.saveProfile({ dataSourceId: sourceId, executionId: 'x', namespace: 'sales', name: 'nope', profile: profile(1) })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const id = await assetIdOf('sales', 'customers');
    const history = await get(`/metadata/assets/${id}/profiles`, viewer);
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({ total: 2, page: 1 });
    expect(history.body.profiles.map((p: { execution_id: string; row_count: number; sampled: boolean; sample_rows: number }) => [p.execution_id, p.row_count, p.sampled, p.sample_rows])).toEqual([
      ['exec-profile-2', 250, true, 100],
      ['exec-profile-1', 60, false, 60],
    ]);
    const detail = await get(`/metadata/assets/${id}`);
    expect(detail.body.latest_profile).toMatchObject({ execution_id: 'exec-profile-2', row_count: 250, columns: [{ name: 'id', distinct_count: 250, max: 250 }] });
  });

  it('writes need no HTTP role, and reads are open to viewers; unknown assets are 404 on every sub-route', async () => {
    for (const path of ['/metadata/assets/ast-x/versions', '/metadata/assets/ast-x/profiles']) {
      const res = await get(path, viewer);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    expect((await t.http.get('/api/v1/metadata/assets')).status).toBe(401);
  });

  it('deleting the data source deletes its catalog', async () => {
    const other = await createSource('catalog-to-delete');
    const writer = await catalog.openRun({ dataSourceId: other, executionId: 'exec-del', mode: 'full', batchSize: 10, scope: {} });
    await writer.write({ namespaces: shop().namespaces, assets: shop().assets });
    await writer.complete();
    await catalog.saveProfile({ dataSourceId: other, executionId: 'exec-del-p', namespace: 'sales', name: 'orders', profile: { row_count: 1, sampled: false, columns: [] } });
    const count = async (sql: string) => Number((await t.store.query(sql, [other]))[0].n);
    expect(await count('SELECT COUNT(*) AS n FROM catalog_assets WHERE data_source_id = ?')).toBe(4);

    const del = await t.http.delete(`/api/v1/datasources/${other}`).set(bearer(t.adminToken));
    expect(del.status).toBe(200);
    expect(await count('SELECT COUNT(*) AS n FROM catalog_assets WHERE data_source_id = ?')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM catalog_namespaces WHERE data_source_id = ?')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM catalog_versions WHERE data_source_id = ?')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM catalog_profiles WHERE data_source_id = ?')).toBe(0);
    const orphans = await t.store.query('SELECT COUNT(*) AS n FROM catalog_fields f LEFT JOIN catalog_assets a ON a.id = f.asset_id WHERE a.id IS NULL');
    expect(Number(orphans[0].n)).toBe(0);
    // The search index forgets them too: only the first source's "orders" is found.
    const found = await get('/metadata/search?q=orders&type=asset');
    expect(found.body.results.map((r: { data_source_id: string }) => r.data_source_id)).toEqual([sourceId]);
    expect((await get(`/datasources/${other}/metadata`)).status).toBe(404);
  });
});
