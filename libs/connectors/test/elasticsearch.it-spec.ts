/**
 * Elasticsearch connector over real HTTP. No Elasticsearch runs on this machine, so the test
 * starts an HTTP server on a free loopback port that answers the endpoints the connector calls
 * with bodies shaped as the Elasticsearch 8 reference documents them (pages cited per handler),
 * sends `X-Elastic-Product: Elasticsearch` as the client's product check requires, and checks
 * basic and API-key credentials (401/403 bodies as the security layer sends them).
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { createAddressGuard } from '@app/connectors/core/address-policy';
import { ConnectorErrorCode } from '@app/connectors/core/errors';
import { CatalogBatch, CollectOptions, Connector } from '@app/connectors/core/types';
import { elasticsearchConnector } from '@app/connectors/elasticsearch';
import { assetKey } from '@app/connectors/core/scope';

type Json = Record<string, unknown>;

interface FakeIndex {
  uuid: string;
  health: string | null;
  status: 'open' | 'close';
  pri: number;
  rep: number;
  docs: number | null;
  deleted: number | null;
  store: number | null;
  priStore: number | null;
  hidden?: boolean;
  mappings: Json;
  settings: Json;
  aliases?: Json;
}

const BASIC_USER = 'elastic';
const BASIC_PASSWORD = 'correct horse';
const VIEWER_USER = 'viewer';
const API_KEY = Buffer.from('VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw').toString('base64');

function productsMappings(): Json {
  return {
    dynamic: 'strict',
    _meta: { owner: 'catalog-team' },
    _source: { enabled: true },
    properties: {
      created_at: { type: 'date', format: 'strict_date_optional_time||epoch_millis' },
      embedding: { type: 'dense_vector', dims: 3, index: true, similarity: 'cosine' },
      manufacturer: {
        properties: {
          address: { properties: { city: { type: 'keyword' } } },
          name: { type: 'text', analyzer: 'standard', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
        },
      },
      price: { type: 'scaled_float', scaling_factor: 100 },
      tags: { type: 'keyword' },
      title: {
        type: 'text',
        analyzer: 'english',
        search_analyzer: 'english',
        fields: { keyword: { type: 'keyword', ignore_above: 256 } },
        meta: { description: 'Product title' },
      },
      variants: { type: 'nested', properties: { sku: { type: 'keyword' }, stock: { type: 'integer' } } },
    },
    runtime: { price_eur: { type: 'double', script: { source: "emit(doc['price'].value * 0.92)" } } },
  };
}

const logsMapping = (extra: Json = {}): Json => ({
  _data_stream_timestamp: { enabled: true },
  properties: {
    '@timestamp': { type: 'date' },
    message: { type: 'match_only_text' },
    host: { properties: { name: { type: 'keyword' } } },
    ...extra,
  },
});

const settingsOf = (name: string, uuid: string, extra: Json = {}): Json => ({
  number_of_shards: '1',
  number_of_replicas: '1',
  provided_name: name,
  creation_date: '1714521600000',
  uuid,
  version: { created: '8512000' },
  routing: { allocation: { include: { _tier_preference: 'data_content' } } },
  ...extra,
});

function cluster(): Map<string, FakeIndex> {
  return new Map<string, FakeIndex>([
    [
      'products',
      {
        uuid: 'u8FNjxh8Rfy_awN11oDKYQ',
        health: 'green',
        status: 'open',
        pri: 1,
        rep: 1,
        docs: 1200,
        deleted: 3,
        store: 88100,
        priStore: 44050,
        mappings: productsMappings(),
        settings: settingsOf('products', 'u8FNjxh8Rfy_awN11oDKYQ', {
          refresh_interval: '30s',
          analysis: {
            analyzer: { folding: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] } },
          },
        }),
        aliases: {
          'products-read': { filter: { term: { visible: true } } },
          'products-write': { is_write_index: true },
        },
      },
    ],
    [
      'orders-2024',
      {
        uuid: 'nQXo3bNgRcK1S2zmKyKk7A',
        health: 'green',
        status: 'close',
        pri: 2,
        rep: 0,
        docs: null,
        deleted: null,
        store: null,
        priStore: null,
        mappings: { properties: { order_id: { type: 'keyword' } } },
        settings: settingsOf('orders-2024', 'nQXo3bNgRcK1S2zmKyKk7A', {
          number_of_shards: '2',
          number_of_replicas: '0',
          verified_before_close: 'true',
        }),
      },
    ],
    [
      '.kibana_8.15.2_001',
      {
        uuid: 'k1',
        health: 'green',
        status: 'open',
        pri: 1,
        rep: 0,
        docs: 40,
        deleted: 0,
        store: 9000,
        priStore: 9000,
        hidden: true,
        mappings: { dynamic: 'strict', properties: { type: { type: 'keyword' } } },
        settings: settingsOf('.kibana_8.15.2_001', 'k1', { hidden: 'true', auto_expand_replicas: '0-1' }),
      },
    ],
    [
      '.ds-logs-app-default-2024.05.01-000001',
      {
        uuid: 'ds1',
        health: 'green',
        status: 'open',
        pri: 1,
        rep: 1,
        docs: 500,
        deleted: 0,
        store: 12000,
        priStore: 6000,
        hidden: true,
        mappings: logsMapping(),
        settings: settingsOf('.ds-logs-app-default-2024.05.01-000001', 'ds1', {
          hidden: 'true',
          lifecycle: { name: 'logs' },
        }),
      },
    ],
    [
      '.ds-logs-app-default-2024.05.08-000002',
      {
        uuid: 'ds2',
        health: 'yellow',
        status: 'open',
        pri: 1,
        rep: 1,
        docs: 250,
        deleted: 0,
        store: 8000,
        priStore: 4000,
        hidden: true,
        mappings: logsMapping({ level: { type: 'keyword' } }),
        settings: settingsOf('.ds-logs-app-default-2024.05.08-000002', 'ds2', {
          hidden: 'true',
          lifecycle: { name: 'logs' },
        }),
      },
    ],
  ]);
}

// https://www.elastic.co/guide/en/elasticsearch/reference/8.19/indices-get-data-stream.html (response body)
const DATA_STREAMS: Json[] = [
  {
    name: 'logs-app-default',
    timestamp_field: { name: '@timestamp' },
    indices: [
      {
        index_name: '.ds-logs-app-default-2024.05.01-000001',
        index_uuid: 'ds1',
        prefer_ilm: true,
        ilm_policy: 'logs',
        managed_by: 'Index Lifecycle Management',
      },
      {
        index_name: '.ds-logs-app-default-2024.05.08-000002',
        index_uuid: 'ds2',
        prefer_ilm: true,
        ilm_policy: 'logs',
        managed_by: 'Index Lifecycle Management',
      },
    ],
    generation: 2,
    status: 'YELLOW',
    template: 'logs',
    ilm_policy: 'logs',
    next_generation_managed_by: 'Index Lifecycle Management',
    prefer_ilm: true,
    hidden: false,
    system: false,
    allow_custom_routing: false,
    replicated: false,
    rollover_on_write: false,
  },
  {
    name: '.fleet-actions-results',
    timestamp_field: { name: '@timestamp' },
    indices: [],
    generation: 1,
    status: 'GREEN',
    template: '.fleet-actions-results',
    hidden: true,
    system: true,
    prefer_ilm: true,
    next_generation_managed_by: 'Index Lifecycle Management',
    rollover_on_write: false,
  },
];

/** Templates, pipelines and ILM policies the fake cluster holds (none unless a test sets them). */
interface FakeConfigObjects {
  indexTemplates: Json[];
  componentTemplates: Json[];
  pipelines: Json;
  policies: Json;
  /** How `_ilm/policy` fails: 403 (security refusal) or 400 (no handler: a cluster without ILM). */
  ilmRefusal?: 400 | 403;
}

const noConfigObjects = (): FakeConfigObjects => ({
  indexTemplates: [],
  componentTemplates: [],
  pipelines: {},
  policies: {},
});

class FakeElasticsearch {
  readonly requests: string[] = [];
  indices = cluster();
  config = noConfigObjects();
  /** Paths whose answer never comes (to exercise timeouts). */
  readonly stall = new Set<string>();
  sendProductHeader = true;
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, {
      'content-type': 'application/vnd.elasticsearch+json;compatible-with=8',
      ...(this.sendProductHeader ? { 'x-elastic-product': 'Elasticsearch' } : {}),
      ...headers,
    });
    res.end(JSON.stringify(body));
  }

  /** Who is calling: `elastic` (all), `viewer` (GET / only) or nobody. */
  private caller(req: IncomingMessage): string | undefined {
    const header = req.headers.authorization ?? '';
    if (header === `ApiKey ${API_KEY}`) return BASIC_USER;
    const basic = /^Basic (.+)$/.exec(header);
    if (!basic) return undefined;
    const [user, ...rest] = Buffer.from(basic[1], 'base64').toString().split(':');
    const password = rest.join(':');
    if (user === BASIC_USER && password === BASIC_PASSWORD) return BASIC_USER;
    if (user === VIEWER_USER && password === BASIC_PASSWORD) return VIEWER_USER;
    return undefined;
  }

  private visible(name: string, expand: string | null): boolean {
    const index = this.indices.get(name);
    return !!index && (expand === 'all' || expand?.includes('hidden') === true || !index.hidden);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    this.requests.push(`${req.method} ${decodeURIComponent(path)}`);
    if (this.stall.has(path)) return;
    const user = this.caller(req);
    if (!user) {
      // The security layer's 401: https://www.elastic.co/guide/en/elasticsearch/reference/8.19/security-api-authenticate.html
      const reason = `unable to authenticate user [${BASIC_USER}] for REST request [${path}]`;
      const header = { 'WWW-Authenticate': ['Basic realm="security" charset="UTF-8"', 'ApiKey'] };
      this.send(
        res,
        401,
        {
          error: {
            root_cause: [{ type: 'security_exception', reason, header }],
            type: 'security_exception',
            reason,
            header,
          },
          status: 401,
        },
        { 'www-authenticate': 'Basic realm="security" charset="UTF-8"' },
      );
      return;
    }
    if (user === VIEWER_USER && path !== '/') {
      const reason = `action [indices:monitor/settings/get] is unauthorized for user [${VIEWER_USER}] with effective roles [viewer]`;
      this.send(res, 403, {
        error: { root_cause: [{ type: 'security_exception', reason }], type: 'security_exception', reason },
        status: 403,
      });
      return;
    }
    const expand = url.searchParams.get('expand_wildcards');
    if (path === '/') {
      // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/rest-api-root.html
      this.send(res, 200, {
        name: 'instance-0000000000',
        cluster_name: 'catalog-test',
        cluster_uuid: '5QaxoN0pRZuOmWSxstBBwQ',
        version: {
          number: '8.15.2',
          build_flavor: 'default',
          build_type: 'docker',
          build_hash: '98adf7bf6bb69b66ab95b761c9e5aadb0bb059a3',
          build_date: '2024-09-19T10:06:03.564235954Z',
          build_snapshot: false,
          lucene_version: '9.11.1',
          minimum_wire_compatibility_version: '7.17.0',
          minimum_index_compatibility_version: '7.0.0',
        },
        tagline: 'You Know, for Search',
      });
    } else if (path === '/_cluster/health') {
      // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/cluster-health.html
      this.send(res, 200, {
        cluster_name: 'catalog-test',
        status: 'yellow',
        timed_out: false,
        number_of_nodes: 3,
        number_of_data_nodes: 2,
        active_primary_shards: 6,
        active_shards: 10,
        relocating_shards: 0,
        initializing_shards: 0,
        unassigned_shards: 1,
        delayed_unassigned_shards: 0,
        number_of_pending_tasks: 0,
        number_of_in_flight_fetch: 0,
        task_max_waiting_in_queue_millis: 0,
        active_shards_percent_as_number: 90.9,
      });
    } else if (path === '/_cat/indices') {
      // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/cat-indices.html — JSON values are strings.
      const columns = (
        url.searchParams.get('h') ??
        'health,status,index,uuid,pri,rep,docs.count,docs.deleted,store.size,pri.store.size'
      ).split(',');
      const str = (n: number | null) => (n === null ? null : String(n));
      const rows = [...this.indices.entries()]
        .filter(([name]) => this.visible(name, expand ?? 'all'))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, i]) => {
          const full: Record<string, string | null> = {
            health: i.health,
            status: i.status,
            index: name,
            uuid: i.uuid,
            pri: String(i.pri),
            rep: String(i.rep),
            'docs.count': str(i.docs),
            'docs.deleted': str(i.deleted),
            'store.size': str(i.store),
            'pri.store.size': str(i.priStore),
          };
          return Object.fromEntries(columns.map((c) => [c, full[c] ?? null]));
        });
      this.send(res, 200, rows);
    } else if (path === '/_data_stream') {
      this.send(res, 200, { data_streams: DATA_STREAMS.filter((d) => expand === 'all' || d.hidden !== true) });
    } else if (path === '/_alias') {
      // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/indices-get-alias.html
      this.send(
        res,
        200,
        Object.fromEntries([...this.indices.entries()].map(([name, i]) => [name, { aliases: i.aliases ?? {} }])),
      );
    } else if (path === '/_index_template') {
      // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/indices-get-template.html
      this.send(res, 200, { index_templates: this.config.indexTemplates });
    } else if (path === '/_component_template') {
      // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/getting-component-templates.html
      this.send(res, 200, { component_templates: this.config.componentTemplates });
    } else if (path === '/_ingest/pipeline') {
      // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/get-pipeline-api.html — `{}` with 404 when none.
      const none = Object.keys(this.config.pipelines).length === 0;
      this.send(res, none ? 404 : 200, this.config.pipelines);
    } else if (path === '/_ilm/policy' && this.config.ilmRefusal === 403) {
      const reason = `action [cluster:admin/ilm/get] is unauthorized for user [${BASIC_USER}] with effective roles [reader]`;
      this.send(res, 403, {
        error: { root_cause: [{ type: 'security_exception', reason }], type: 'security_exception', reason },
        status: 403,
      });
    } else if (path === '/_ilm/policy' && this.config.ilmRefusal !== 400) {
      // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/ilm-get-lifecycle.html — `{}` with 404 when none.
      const none = Object.keys(this.config.policies).length === 0;
      this.send(res, none ? 404 : 200, this.config.policies);
    } else if (/^\/[^/]+\/_(mapping|settings)$/.test(path)) {
      // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/indices-get-mapping.html
      // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/indices-get-settings.html
      const [, list, what] = /^\/([^/]+)\/_(mapping|settings)$/.exec(path)!;
      const names = decodeURIComponent(list).split(',');
      const missing = names.filter((n) => !this.indices.has(n));
      if (missing.length > 0 && url.searchParams.get('ignore_unavailable') !== 'true') {
        const reason = `no such index [${missing[0]}]`;
        this.send(res, 404, {
          error: {
            root_cause: [{ type: 'index_not_found_exception', reason, index: missing[0] }],
            type: 'index_not_found_exception',
            reason,
            index: missing[0],
          },
          status: 404,
        });
        return;
      }
      const body = Object.fromEntries(
        names
          .filter((n) => this.indices.has(n))
          .map((n) => {
            const i = this.indices.get(n)!;
            return [n, what === 'mapping' ? { mappings: i.mappings } : { settings: { index: i.settings } }];
          }),
      );
      this.send(res, 200, body);
    } else {
      const reason = `no handler found for uri [${path}] and method [${req.method}]`;
      this.send(res, 400, { error: reason });
    }
  }
}

const guard = createAddressGuard({ deny: [], allow: [] });

function options(over: Partial<CollectOptions> = {}): CollectOptions {
  return { mode: 'full', scope: {}, batchSize: 100, signal: new AbortController().signal, ...over };
}

async function drain(connector: Connector, o: CollectOptions): Promise<CatalogBatch[]> {
  const batches: CatalogBatch[] = [];
  for await (const batch of connector.collect(o)) batches.push(batch);
  return batches;
}

const byName = (batches: CatalogBatch[]) => new Map(batches.flatMap((b) => b.assets).map((a) => [a.name, a]));

describe('elasticsearch connector over HTTP (documented ES 8 responses)', () => {
  const es = new FakeElasticsearch();
  const open: Connector[] = [];
  const connect = (extra: Record<string, unknown> = {}) => {
    const c = elasticsearchConnector.create(
      { nodes: [es.url], username: BASIC_USER, password: BASIC_PASSWORD, timeout: 5, ...extra },
      { guardAddress: guard },
    );
    open.push(c);
    return c;
  };

  beforeAll(() => es.start());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    es.requests.splice(0);
    es.stall.clear();
    es.indices = cluster();
    es.config = noConfigObjects();
    es.sendProductHeader = true;
  });
  afterAll(() => es.stop());

  describe('collect', () => {
    it('describes the cluster as the namespace: name, version, health, aliases', async () => {
      const batches = await drain(connect(), options());
      expect(batches[0].namespaces).toEqual([
        {
          name: 'catalog-test',
          kind: 'cluster',
          properties: {
            cluster_uuid: '5QaxoN0pRZuOmWSxstBBwQ',
            version: '8.15.2',
            lucene_version: '9.11.1',
            build_flavor: 'default',
            health: 'yellow',
            number_of_nodes: 3,
            number_of_data_nodes: 2,
            active_primary_shards: 6,
            active_shards: 10,
            unassigned_shards: 1,
            indices: 2,
            data_streams: 1,
            aliases: { 'products-read': ['products'], 'products-write': ['products'] },
            index_templates: 0,
            component_templates: 0,
            ingest_pipelines: 0,
            lifecycle_policies: 0,
          },
        },
      ]);
    });

    it('lists data streams and indices, leaving system, hidden and backing indices out', async () => {
      const assets = byName(await drain(connect(), options()));
      expect([...assets.values()].map((a) => [a.name, a.kind])).toEqual([
        ['logs-app-default', 'data_stream'],
        ['orders-2024', 'index'],
        ['products', 'index'],
      ]);
    });

    it('maps an index: health, status, docs, store, shards, replicas, aliases, settings summary', async () => {
      const products = byName(await drain(connect(), options())).get('products')!;
      expect(products.namespace).toBe('catalog-test');
      expect(products.statistics).toEqual({ rows: 1200, bytes: 88100 });
      expect(products.properties).toEqual({
        health: 'green',
        status: 'open',
        uuid: 'u8FNjxh8Rfy_awN11oDKYQ',
        primary_shards: 1,
        replicas: 1,
        docs_deleted: 3,
        primary_store_bytes: 44050,
        aliases: ['products-read', 'products-write'],
        write_alias: 'products-write',
        settings: {
          number_of_shards: 1,
          number_of_replicas: 1,
          creation_date: '2024-05-01T00:00:00.000Z',
          version_created: '8512000',
          refresh_interval: '30s',
          analyzers: ['folding'],
        },
        mapping: { dynamic: 'strict', source: { enabled: true }, meta: { owner: 'catalog-team' } },
      });
      expect(products.changeSignal).toMatch(/^[0-9a-f]{64}$/);
    });

    it('flattens mappings: nested paths, multi-fields, types, analyzers, runtime fields', async () => {
      const products = byName(await drain(connect(), options())).get('products')!;
      expect(products.fields.map((f) => [f.name, f.dataType])).toEqual([
        ['created_at', 'date'],
        ['embedding', 'dense_vector'],
        ['manufacturer', 'object'],
        ['manufacturer.address', 'object'],
        ['manufacturer.address.city', 'keyword'],
        ['manufacturer.name', 'text'],
        ['manufacturer.name.keyword', 'keyword'],
        ['price', 'scaled_float'],
        ['tags', 'keyword'],
        ['title', 'text'],
        ['title.keyword', 'keyword'],
        ['variants', 'nested'],
        ['variants.sku', 'keyword'],
        ['variants.stock', 'integer'],
        ['price_eur', 'double'],
      ]);
      const field = (name: string) => products.fields.find((f) => f.name === name)!;
      expect(field('title')).toEqual({
        name: 'title',
        ordinal: 10,
        dataType: 'text',
        nullable: true,
        comment: 'Product title',
        properties: { analyzer: 'english', search_analyzer: 'english', meta: { description: 'Product title' } },
      });
      expect(field('title.keyword')).toMatchObject({
        path: 'title.keyword',
        properties: { ignore_above: 256, multi_field_of: 'title' },
      });
      expect(field('manufacturer.address.city')).toMatchObject({
        path: 'manufacturer.address.city',
        properties: { parent: 'manufacturer.address' },
      });
      expect(field('created_at').properties).toEqual({ format: 'strict_date_optional_time||epoch_millis' });
      expect(field('price').properties).toEqual({ scaling_factor: 100 });
      expect(field('embedding').properties).toMatchObject({ dims: 3, similarity: 'cosine' });
      expect(field('price_eur').properties).toEqual({ runtime: true });
      expect(products.fields.every((f) => f.nullable)).toBe(true);
    });

    it('maps a closed index with the counts Elasticsearch does not report left empty', async () => {
      const orders = byName(await drain(connect(), options())).get('orders-2024')!;
      expect(orders.statistics).toEqual({ rows: null, bytes: null });
      expect(orders.properties).toMatchObject({
        status: 'close',
        primary_shards: 2,
        replicas: 0,
        settings: { number_of_shards: 2, number_of_replicas: 0 },
      });
      expect(orders.fields.map((f) => f.name)).toEqual(['order_id']);
    });

    it('maps a data stream: backing indices, write index mapping, template, ILM, summed counts', async () => {
      const logs = byName(await drain(connect(), options())).get('logs-app-default')!;
      expect(logs.kind).toBe('data_stream');
      expect(logs.statistics).toEqual({ rows: 750, bytes: 20000 });
      expect(logs.properties).toMatchObject({
        status: 'YELLOW',
        generation: 2,
        timestamp_field: '@timestamp',
        template: 'logs',
        ilm_policy: 'logs',
        backing_indices: ['.ds-logs-app-default-2024.05.01-000001', '.ds-logs-app-default-2024.05.08-000002'],
        write_index: '.ds-logs-app-default-2024.05.08-000002',
        hidden: false,
        system: false,
        settings: { lifecycle_policy: 'logs', hidden: true },
      });
      // Fields come from the write index, so the newest mapping (with `level`) shows.
      expect(logs.fields.map((f) => [f.name, f.dataType])).toEqual([
        ['@timestamp', 'date'],
        ['host', 'object'],
        ['host.name', 'keyword'],
        ['level', 'keyword'],
        ['message', 'match_only_text'],
      ]);
    });

    it('reads in bulk: one mapping and one settings request per batch, no per-index round trips', async () => {
      await drain(connect(), options());
      expect(es.requests.sort()).toEqual([
        'GET /',
        'GET /.ds-logs-app-default-2024.05.08-000002,orders-2024,products/_mapping',
        'GET /.ds-logs-app-default-2024.05.08-000002,orders-2024,products/_settings',
        'GET /_alias',
        'GET /_cat/indices',
        'GET /_cluster/health',
        'GET /_component_template',
        'GET /_data_stream',
        'GET /_ilm/policy',
        'GET /_index_template',
        'GET /_ingest/pipeline',
      ]);
    });

    it('streams batches of batchSize assets with the namespace in the first', async () => {
      const progress: Array<[number, number | undefined]> = [];
      const batches = await drain(connect(), options({ batchSize: 2, onProgress: (d, k) => progress.push([d, k]) }));
      expect(batches.map((b) => [b.namespaces?.length ?? 0, b.assets.map((a) => a.name)])).toEqual([
        [1, ['logs-app-default', 'orders-2024']],
        [0, ['products']],
      ]);
      expect(progress).toEqual([
        [0, 3],
        [2, 3],
        [3, 3],
      ]);
      expect(es.requests.filter((r) => r.endsWith('/_mapping'))).toHaveLength(2);
    });

    it('includes system and hidden indices and data streams when asked', async () => {
      const assets = byName(await drain(connect({ include_system_indices: true }), options()));
      expect([...assets.keys()]).toEqual([
        '.fleet-actions-results',
        '.kibana_8.15.2_001',
        'logs-app-default',
        'orders-2024',
        'products',
      ]);
      expect(assets.get('.kibana_8.15.2_001')!.properties).toMatchObject({ settings: { hidden: true } });
    });

    it('applies scope globs to index names and to the cluster name', async () => {
      const only = await drain(
        connect(),
        options({ scope: { includeTables: ['prod*', 'logs-*'], excludeTables: ['logs-app-*'] } }),
      );
      expect([...byName(only).keys()]).toEqual(['products']);
      expect(es.requests.find((r) => r.endsWith('/_mapping'))).toBe('GET /products/_mapping');

      const none = await drain(connect(), options({ scope: { excludeSchemas: ['catalog-*'] } }));
      expect(none).toEqual([]);
    });

    it('schema_only leaves cluster health out', async () => {
      const batches = await drain(connect(), options({ mode: 'schema_only' }));
      expect(es.requests).not.toContain('GET /_cluster/health');
      expect(batches[0].namespaces![0].properties).not.toHaveProperty('health');
    });

    it('incremental runs report indices whose mapping and settings hash matches as unchanged', async () => {
      const first = byName(await drain(connect(), options()));
      const previous = new Map([...first.values()].map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));

      const second = await drain(connect(), options({ mode: 'incremental', previousSignals: previous }));
      expect(second.flatMap((b) => b.assets)).toEqual([]);
      expect(second.flatMap((b) => b.unchanged ?? []).map((r) => r.name)).toEqual([
        'logs-app-default',
        'orders-2024',
        'products',
      ]);

      // A new field in products' mapping and a new replica count on orders change their signals.
      const products = es.indices.get('products')!;
      (products.mappings.properties as Json).color = { type: 'keyword' };
      es.indices.get('orders-2024')!.settings.number_of_replicas = '1';
      const third = await drain(connect(), options({ mode: 'incremental', previousSignals: previous }));
      const changed = third.flatMap((b) => b.assets);
      expect(changed.map((a) => a.name)).toEqual(['orders-2024', 'products']);
      expect(changed[1].fields.map((f) => f.name)).toContain('color');
      expect(third.flatMap((b) => b.unchanged ?? []).map((r) => r.name)).toEqual(['logs-app-default']);
    });

    it('ignores previous signals outside incremental mode', async () => {
      const first = byName(await drain(connect(), options()));
      const previous = new Map([...first.values()].map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));
      const full = await drain(connect(), options({ previousSignals: previous }));
      expect(full.flatMap((b) => b.assets)).toHaveLength(3);
    });

    it('authenticates with an API key', async () => {
      const assets = byName(
        await drain(connect({ username: undefined, password: undefined, api_key: API_KEY }), options()),
      );
      expect(assets.size).toBe(3);
    });

    it('fails with AUTH_FAILED on a wrong password and PERMISSION_DENIED without privileges', async () => {
      await expect(drain(connect({ password: 'wrong' }), options())).rejects.toMatchObject({
        code: ConnectorErrorCode.AuthFailed,
      });
      await expect(drain(connect({ username: VIEWER_USER }), options())).rejects.toMatchObject({
        code: ConnectorErrorCode.PermissionDenied,
      });
    });

    it('fails with TIMEOUT when a request outlives timeout, and CANCELLED when the run is cancelled', async () => {
      es.stall.add('/_cat/indices');
      await expect(drain(connect({ timeout: 1 }), options())).rejects.toMatchObject({
        code: ConnectorErrorCode.Timeout,
      });

      const controller = new AbortController();
      const run = drain(connect(), options({ signal: controller.signal }));
      setTimeout(() => controller.abort(), 200);
      await expect(run).rejects.toMatchObject({ code: ConnectorErrorCode.Cancelled });
    });

    it('refuses a node whose address the policy denies, without sending anything', async () => {
      const c = elasticsearchConnector.create({ nodes: ['http://169.254.169.254:9200'] }, { guardAddress: guard });
      open.push(c);
      await expect(drain(c, options())).rejects.toMatchObject({ code: ConnectorErrorCode.AddressRefused });
    });

    it('says profiling is unsupported', async () => {
      expect(elasticsearchConnector.capabilities).toMatchObject({ profile: [], incremental: 'native' });
      expect(elasticsearchConnector.capabilities.taskTypes).not.toContain('data_profile');
      await expect(
        connect().profile(
          { namespace: 'catalog-test', name: 'products', fields: [] },
          { sampleRows: 10, topValues: false, topN: 5, signal: new AbortController().signal },
        ),
      ).rejects.toMatchObject({
        code: ConnectorErrorCode.Unsupported,
      });
    });
  });

  describe('configuration objects', () => {
    // Shapes as the get index template, get component template, get pipeline and get lifecycle pages show them.
    const sampleConfig = (): FakeConfigObjects => ({
      indexTemplates: [
        {
          name: 'logs-app',
          index_template: {
            index_patterns: ['logs-app-*'],
            composed_of: ['logs@mappings'],
            priority: 200,
            version: 2,
            data_stream: { hidden: false, allow_custom_routing: false },
            template: {
              settings: { index: { lifecycle: { name: 'logs' }, default_pipeline: 'logs-app' } },
              mappings: {
                properties: { level: { type: 'keyword' }, http: { properties: { status: { type: 'short' } } } },
              },
            },
            _meta: { managed: false },
          },
        },
        { name: '.kibana-reporting', index_template: { index_patterns: ['.kibana-reporting*'], priority: 200 } },
      ],
      componentTemplates: [
        {
          name: 'logs@mappings',
          component_template: {
            template: {
              mappings: { properties: { '@timestamp': { type: 'date' }, message: { type: 'match_only_text' } } },
            },
            version: 12,
            _meta: { managed: true, description: 'default mappings for the logs index template installed by x-pack' },
          },
        },
      ],
      pipelines: {
        'logs-app': {
          description: 'parse app logs',
          version: 4,
          processors: [{ grok: { field: 'message', patterns: ['%{LOGLEVEL:level}'] } }, { pipeline: { name: 'geo' } }],
        },
        geo: { processors: [{ geoip: { field: 'client.ip' } }] },
      },
      policies: {
        logs: {
          version: 1,
          modified_date: '2024-05-01T00:00:00.000Z',
          policy: {
            phases: {
              hot: { min_age: '0ms', actions: { rollover: { max_age: '30d', max_primary_shard_size: '50gb' } } },
              delete: { min_age: '90d', actions: { delete: {} } },
            },
            _meta: { managed: true },
          },
          in_use_by: { indices: [], data_streams: ['logs-app-default'], composable_templates: ['logs-app'] },
        },
      },
    });

    it('collects index and component templates, pipelines and ILM policies with their typed properties', async () => {
      es.config = sampleConfig();
      const batches = await drain(connect(), options());
      const assets = byName(batches);
      expect([...assets.values()].filter((a) => a.name.startsWith('_')).map((a) => [a.name, a.kind])).toEqual([
        ['_index_template/logs-app', 'index_template'],
        ['_component_template/logs@mappings', 'component_template'],
        ['_ingest/pipeline/logs-app', 'ingest_pipeline'],
        ['_ingest/pipeline/geo', 'ingest_pipeline'],
        ['_ilm/policy/logs', 'lifecycle_policy'],
      ]);
      expect(batches[0].namespaces![0].properties).toMatchObject({
        index_templates: 1,
        component_templates: 1,
        ingest_pipelines: 2,
        lifecycle_policies: 1,
      });
      const template = assets.get('_index_template/logs-app')!;
      expect(template.properties).toMatchObject({
        index_patterns: ['logs-app-*'],
        composed_of: ['logs@mappings'],
        priority: 200,
        version: 2,
        settings: { lifecycle: { name: 'logs' }, default_pipeline: 'logs-app' },
      });
      expect(template.fields.map((f) => [f.name, f.dataType])).toEqual([
        ['http', 'object'],
        ['http.status', 'short'],
        ['level', 'keyword'],
      ]);
      const component = assets.get('_component_template/logs@mappings')!;
      expect(component.properties).toMatchObject({ version: 12, managed: true });
      expect(component.fields.map((f) => f.name)).toEqual(['@timestamp', 'message']);
      expect(assets.get('_ingest/pipeline/logs-app')!.properties).toMatchObject({
        version: 4,
        processors: 2,
        processor_types: { grok: 1, pipeline: 1 },
        calls_pipelines: ['geo'],
      });
      expect(assets.get('_ilm/policy/logs')!.properties).toMatchObject({
        version: 1,
        modified_date: '2024-05-01T00:00:00.000Z',
        phases: [
          { phase: 'hot', min_age: '0ms', actions: ['rollover'] },
          { phase: 'delete', min_age: '90d', actions: ['delete'] },
        ],
        rollover: { max_age: '30d', max_primary_shard_size: '50gb' },
        used_by_data_streams: ['logs-app-default'],
      });
    });

    it('leaves dot-named system objects out unless asked, and applies scope globs to object names', async () => {
      es.config = sampleConfig();
      const withSystem = byName(await drain(connect({ include_system_indices: true }), options()));
      expect(withSystem.has('_index_template/.kibana-reporting')).toBe(true);
      const scoped = byName(await drain(connect(), options({ scope: { includeTables: ['_ingest/pipeline/*'] } })));
      expect([...scoped.keys()]).toEqual(['_ingest/pipeline/logs-app', '_ingest/pipeline/geo']);
    });

    it('incremental runs re-read only the definitions that changed', async () => {
      es.config = sampleConfig();
      const first = byName(await drain(connect(), options()));
      const previous = new Map([...first.values()].map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));
      (es.config.pipelines.geo as { processors: Json[] }).processors.push({ set: { field: 'geo.src', value: 'db' } });
      const policy = es.config.policies.logs as { in_use_by: { indices: string[] } };
      policy.in_use_by.indices.push('.ds-logs-app-default-000003'); // usage, not shape
      const second = await drain(connect(), options({ mode: 'incremental', previousSignals: previous }));
      expect(second.flatMap((b) => b.assets).map((a) => a.name)).toEqual(['_ingest/pipeline/geo']);
      expect(second.flatMap((b) => b.unchanged ?? []).map((r) => r.name)).toEqual(
        expect.arrayContaining(['_index_template/logs-app', '_ilm/policy/logs', 'products']),
      );
      // A full run returns the same definitions the incremental run kept.
      const full = byName(await drain(connect(), options()));
      expect(full.get('_ingest/pipeline/geo')!.changeSignal).toBe(
        byName(second).get('_ingest/pipeline/geo')!.changeSignal,
      );
      expect(full.get('_ilm/policy/logs')!.changeSignal).toBe(first.get('_ilm/policy/logs')!.changeSignal);
    });

    it.each([
      [
        403,
        /Not allowed \(HTTP 403\): security_exception: action \[cluster:admin\/ilm\/get\] is unauthorized.*needs the read_ilm cluster privilege/,
      ],
      [400, /HTTP 400: no handler found for uri \[\/_ilm\/policy\]/],
    ] as const)('records why ILM policies are missing (HTTP %s) and collects the rest', async (status, reason) => {
      es.config = { ...sampleConfig(), ilmRefusal: status };
      const batches = await drain(connect(), options());
      const assets = byName(batches);
      expect([...assets.values()].some((a) => a.kind === 'lifecycle_policy')).toBe(false);
      expect(assets.has('_index_template/logs-app')).toBe(true);
      expect(assets.has('products')).toBe(true);
      const ns = batches[0].namespaces![0].properties as {
        unavailable: Record<string, string>;
        lifecycle_policies: number;
      };
      expect(Object.keys(ns.unavailable)).toEqual(['lifecycle_policy']);
      expect(ns.unavailable.lifecycle_policy).toMatch(reason);
      expect(ns.lifecycle_policies).toBe(0);
    });
  });

  describe('test connection', () => {
    it('succeeds step by step and reports the version', async () => {
      const result = await connect().test(new AbortController().signal);
      expect(result).toMatchObject({
        success: true,
        message: 'Connection successful',
        server_info: 'Elasticsearch 8.15.2',
        version: '8.15.2',
      });
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['authenticate', true],
        ['catalog', true],
      ]);
      expect(result.steps[3].message).toBe('cluster catalog-test; 2 indices visible');
    });

    it('reports a wrong password as AUTH_FAILED at the authenticate step', async () => {
      const result = await connect({ password: 'wrong' }).test(new AbortController().signal);
      expect(result).toMatchObject({ success: false, error_code: 'AUTH_FAILED' });
      expect(result.message).toMatch(/401.*security_exception: unable to authenticate user \[elastic\]/);
      expect(result.details).toMatch(/username\/password or api_key/);
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['authenticate', false],
      ]);
    });

    it('reports missing privileges as PERMISSION_DENIED at the catalog step', async () => {
      const result = await connect({ username: VIEWER_USER }).test(new AbortController().signal);
      expect(result).toMatchObject({
        success: false,
        error_code: 'PERMISSION_DENIED',
        server_info: 'Elasticsearch 8.15.2',
      });
      expect(result.steps.at(-1)).toMatchObject({ name: 'catalog', ok: false });
    });

    it('reports a server that is not Elasticsearch as PROTOCOL', async () => {
      es.sendProductHeader = false;
      const result = await connect().test(new AbortController().signal);
      expect(result).toMatchObject({ success: false, error_code: 'PROTOCOL' });
      expect(result.message).toMatch(/not Elasticsearch/);
    });

    it('fails at the TCP step on a closed port', async () => {
      const probe = createTcpServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const port = (probe.address() as AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const result = await connect({ nodes: [`http://127.0.0.1:${port}`] }).test(new AbortController().signal);
      expect(result).toMatchObject({ success: false, error_code: 'UNREACHABLE' });
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', false],
      ]);
      // The client itself, asked to collect, classifies the refused connection the same way.
      await expect(drain(connect({ nodes: [`http://127.0.0.1:${port}`] }), options())).rejects.toMatchObject({
        code: ConnectorErrorCode.Unreachable,
      });
    });

    it('fails at the TLS step when an https node does not speak TLS', async () => {
      const result = await connect({ nodes: [`https://127.0.0.1:${es.port}`] }).test(new AbortController().signal);
      expect(result).toMatchObject({ success: false, error_code: 'TLS' });
      expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
        ['resolve', true],
        ['tcp', true],
        ['tls', false],
      ]);
    });
  });
});
