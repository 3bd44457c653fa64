import {
  credentials,
  GrpcObject,
  loadPackageDefinition,
  Metadata,
  ServiceClientConstructor,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { FileDescriptorProto } from 'protobufjs/ext/descriptor';
import { dirname, join } from 'node:path';
import { ADMIN_PASSWORD, bearer, bootApp, describeE2E, TestApp } from './support/app';
import { GrpcTestClient, trailerOf } from './support/grpc-client';
import { Client } from 'pg';
import { describeWithServers, SERVER_ENDPOINTS } from './support/servers';

type Json = Record<string, unknown>;

/**
 * REST's null and an absent gRPC field mean the same, and proto3 sends no empty list, so an empty
 * REST list and an absent one are the same too; drop those so everything else compares exactly.
 */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    const kept = Object.entries(value as Json).filter(
      ([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0),
    );
    return Object.fromEntries(kept.map(([k, v]) => [k, withoutNulls(v)]));
  }
  return value;
}

// Fast scheduler ticks so executions start quickly; no periodic health checks of the test sources.
const FAST_TASKS = { SCHEDULER_TICK_MS: '250', EXECUTION_HEARTBEAT_MS: '250', HEALTH_CHECK_INTERVAL_SECONDS: '0' };

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

// Nothing listens on port 1: a test of it fails fast with success false.
const deadConfig = () => ({
  host: '127.0.0.1',
  port: 1,
  username: 'postgres',
  password: 'pg-secret',
  database: 'test',
  timeout: 5,
});

describeE2E('gRPC: the API on its own port beside HTTP', () => {
  let t: TestApp;
  let grpc: GrpcTestClient;
  let admin: string;
  let operator: string;
  let viewer: string;
  beforeAll(async () => {
    t = await bootApp({ env: FAST_TASKS });
    grpc = new GrpcTestClient(t.grpcUrl);
    admin = t.adminToken;
    operator = await t.tokenFor('operator');
    viewer = await t.tokenFor('viewer');
  });
  afterAll(async () => {
    grpc?.close();
    await t?.close();
  });

  describe('AuthService', () => {
    it('Login returns the REST token pair, and the token works on both transports', async () => {
      const pair = await grpc.call('AuthService', 'Login', { username: 'admin', password: ADMIN_PASSWORD });
      expect(Object.keys(pair).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
      expect(pair.token_type).toBe('Bearer');
      expect(pair.expires_in).toBe(3600);
      const me = await t.http.get('/api/v1/me').set('Authorization', `Bearer ${String(pair.access_token)}`);
      expect(me.status).toBe(200);
      expect(me.body.username).toBe('admin');
    });

    it('Login with a wrong password is UNAUTHENTICATED with the envelope code and request id in the trailers', async () => {
      const err = await grpc.fail('AuthService', 'Login', { username: 'admin', password: 'wrong-password' });
      expect(err.code).toBe(status.UNAUTHENTICATED);
      expect(err.details).toBe('Invalid username or password');
      expect(trailerOf(err, 'code')).toBe('UNAUTHORIZED');
      expect(trailerOf(err, 'request_id')).toMatch(/^req-[0-9a-z]{26}$/i);
    });

    it('keeps a well-formed incoming x-request-id', async () => {
      const err = await grpc.fail(
        'AuthService',
        'Login',
        { username: 'admin', password: 'wrong-password' },
        undefined,
        {
          'x-request-id': 'client-grpc-42',
        },
      );
      expect(trailerOf(err, 'request_id')).toBe('client-grpc-42');
    });

    it('Login without a password is INVALID_ARGUMENT naming the field, as REST validates it', async () => {
      const err = await grpc.fail('AuthService', 'Login', { username: 'admin' });
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(trailerOf(err, 'code')).toBe('INVALID_REQUEST');
      expect(trailerOf(err, 'details')).toContain('password');
    });

    it('Refresh rotates the pair; the used refresh token is refused afterwards', async () => {
      const first = await grpc.call('AuthService', 'Login', { username: 'admin', password: ADMIN_PASSWORD });
      const second = await grpc.call('AuthService', 'Refresh', { refresh_token: first.refresh_token });
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect(second.token_type).toBe('Bearer');
      const reused = await grpc.fail('AuthService', 'Refresh', { refresh_token: first.refresh_token });
      expect(reused.code).toBe(status.UNAUTHENTICATED);
      // The reuse revoked the whole login, over REST too.
      const rest = await t.http.post('/api/v1/refresh').send({ refresh_token: second.refresh_token });
      expect(rest.status).toBe(401);
    });
  });

  describe('DataSourceService', () => {
    const create = (token: string, extra: Json = {}) =>
      grpc.call(
        'DataSourceService',
        'Create',
        {
          name: unique('grpc-ds'),
          type: 'postgresql',
          description: 'made over gRPC',
          config: deadConfig(),
          tags: ['grpc', 'e2e'],
          ...extra,
        },
        token,
      );

    it('Create returns the whole resource with the password masked; Get returns the same', async () => {
      const ds = await create(operator);
      expect(ds.id).toMatch(/^ds-/);
      expect(ds).toMatchObject({
        type: 'postgresql',
        description: 'made over gRPC',
        status: 'active',
        tags: ['grpc', 'e2e'],
      });
      expect(ds.config).toMatchObject({
        host: '127.0.0.1',
        port: 1,
        username: 'postgres',
        password: '******',
        database: 'test',
      });
      expect(ds.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      const got = await grpc.call('DataSourceService', 'Get', { id: ds.id }, viewer);
      expect(got).toEqual(ds);
      const stored = await t.store.query('SELECT config FROM data_sources WHERE id = ?', [ds.id]);
      expect(String(stored[0].config)).not.toContain('pg-secret');
    });

    it('UNAUTHENTICATED without a token, PERMISSION_DENIED for a viewer writing, with the envelope codes', async () => {
      const anonymous = await grpc.fail('DataSourceService', 'List', {});
      expect(anonymous.code).toBe(status.UNAUTHENTICATED);
      expect(trailerOf(anonymous, 'code')).toBe('UNAUTHORIZED');
      const badToken = await grpc.fail('DataSourceService', 'List', {}, 'not-a-jwt');
      expect(badToken.code).toBe(status.UNAUTHENTICATED);
      const denied = await grpc.fail(
        'DataSourceService',
        'Create',
        { name: unique('viewer'), type: 'postgresql', config: deadConfig() },
        viewer,
      );
      expect(denied.code).toBe(status.PERMISSION_DENIED);
      expect(trailerOf(denied, 'code')).toBe('FORBIDDEN');
      expect(trailerOf(denied, 'request_id')).toMatch(/^req-/);
    });

    it('INVALID_ARGUMENT naming the field for a missing config, an unknown type, or a config that does not fit', async () => {
      const noConfig = await grpc.fail(
        'DataSourceService',
        'Create',
        { name: unique('bad'), type: 'postgresql' },
        admin,
      );
      expect(noConfig.code).toBe(status.INVALID_ARGUMENT);
      expect(trailerOf(noConfig, 'details')).toContain('config');
      const badType = await grpc.fail(
        'DataSourceService',
        'Create',
        { name: unique('bad'), type: 'nosuchdb', config: {} },
        admin,
      );
      expect(badType.code).toBe(status.INVALID_ARGUMENT);
      const badConfig = await grpc.fail(
        'DataSourceService',
        'Create',
        { name: unique('bad'), type: 'postgresql', config: { ...deadConfig(), port: 'not-a-port' } },
        admin,
      );
      expect(badConfig.code).toBe(status.INVALID_ARGUMENT);
      expect(badConfig.details).toContain('config.port');
    });

    it('ALREADY_EXISTS (envelope code CONFLICT) for a taken name; NOT_FOUND for an unknown id', async () => {
      const ds = await create(admin);
      const taken = await grpc.fail(
        'DataSourceService',
        'Create',
        { name: ds.name, type: 'postgresql', config: deadConfig() },
        admin,
      );
      expect(taken.code).toBe(status.ALREADY_EXISTS);
      expect(trailerOf(taken, 'code')).toBe('CONFLICT');
      const missing = await grpc.fail('DataSourceService', 'Get', { id: 'ds-does-not-exist' }, admin);
      expect(missing.code).toBe(status.NOT_FOUND);
      expect(trailerOf(missing, 'code')).toBe('NOT_FOUND');
      const noId = await grpc.fail('DataSourceService', 'Get', {}, admin);
      expect(noId.code).toBe(status.INVALID_ARGUMENT);
    });

    it('List pages like REST, filters, and refuses a page_size over 100 or page 0', async () => {
      const tag = unique('lst');
      for (let i = 0; i < 3; i++) await create(admin, { name: `${tag}-${i}` });
      const page1 = await grpc.call('DataSourceService', 'List', { name: tag.toUpperCase(), page_size: 2 }, viewer);
      expect(page1).toMatchObject({ total: 3, page: 1, page_size: 2 });
      expect((page1.data_sources as Json[]).map((d) => d.name)).toEqual([`${tag}-2`, `${tag}-1`]);
      const page2 = await grpc.call('DataSourceService', 'List', { name: tag, page_size: 2, page: 2 }, viewer);
      expect((page2.data_sources as Json[]).map((d) => d.name)).toEqual([`${tag}-0`]);
      const defaults = await grpc.call('DataSourceService', 'List', {}, viewer);
      expect(defaults.page_size).toBe(20);
      for (const bad of [{ page_size: 101 }, { page: 0 }, { status: 'sleeping' }]) {
        const err = await grpc.fail('DataSourceService', 'List', bad, viewer);
        expect(err.code).toBe(status.INVALID_ARGUMENT);
      }
    });

    it('Update is partial: config merged key by key keeping the stored password; clear_tags removes every tag', async () => {
      const ds = await create(admin);
      // (a changed address would need the password again: see security-secrets.e2e-spec.ts)
      const updated = await grpc.call(
        'DataSourceService',
        'Update',
        { id: ds.id, description: 'changed', config: { database: 'other' } },
        operator,
      );
      expect(updated).toMatchObject({ name: ds.name, description: 'changed', tags: ['grpc', 'e2e'] });
      expect(updated.config).toMatchObject({ database: 'other', port: 1, password: '******' });
      const revealed = await grpc.call('DataSourceService', 'Update', { id: ds.id, tags: ['only'] }, operator);
      expect(revealed.tags).toEqual(['only']);
      const cleared = await grpc.call('DataSourceService', 'Update', { id: ds.id, clear_tags: true }, operator);
      expect(cleared.tags).toEqual([]);
      const missing = await grpc.fail('DataSourceService', 'Update', { id: 'ds-nope', description: 'x' }, operator);
      expect(missing.code).toBe(status.NOT_FOUND);
      const denied = await grpc.fail('DataSourceService', 'Update', { id: ds.id, description: 'x' }, viewer);
      expect(denied.code).toBe(status.PERMISSION_DENIED);
    });

    it('TestConnection and TestConfig answer success false with what failed and what to try; the source records it', async () => {
      const ds = await create(admin);
      const result = await grpc.call('DataSourceService', 'TestConnection', { id: ds.id }, operator);
      expect(result.success).toBe(false);
      expect(String(result.message).length).toBeGreaterThan(0);
      expect(String(result.details).length).toBeGreaterThan(0);
      expect((result.steps as Json[]).length).toBeGreaterThan(0);
      const after = await grpc.call('DataSourceService', 'Get', { id: ds.id }, viewer);
      expect(after.last_test_at).toMatch(/Z$/);
      expect(after.last_error).toBeTruthy();
      const unsaved = await grpc.call(
        'DataSourceService',
        'TestConfig',
        { type: 'postgresql', config: deadConfig() },
        operator,
      );
      expect(unsaved.success).toBe(false);
      const denied = await grpc.fail('DataSourceService', 'TestConnection', { id: ds.id }, viewer);
      expect(denied.code).toBe(status.PERMISSION_DENIED);
    });

    it('BatchUpdateStatus reports per id', async () => {
      const ds = await create(admin);
      const res = await grpc.call(
        'DataSourceService',
        'BatchUpdateStatus',
        { ids: [ds.id, 'ds-unknown'], status: 'inactive' },
        operator,
      );
      expect(res).toMatchObject({ total: 2, success: 1, failed: 1 });
      expect(res.errors).toEqual([expect.objectContaining({ id: 'ds-unknown', code: 'NOT_FOUND' })]);
      expect((await grpc.call('DataSourceService', 'Get', { id: ds.id }, viewer)).status).toBe('inactive');
      const bad = await grpc.fail(
        'DataSourceService',
        'BatchUpdateStatus',
        { ids: [ds.id], status: 'error' },
        operator,
      );
      expect(bad.code).toBe(status.INVALID_ARGUMENT);
    });

    it('ListTypes lists every registered type with config fields whose defaults keep their JSON types', async () => {
      const res = await grpc.call('DataSourceService', 'ListTypes', {}, viewer);
      const types = res.types as Json[];
      const rest = await t.http.get('/api/v1/datasources/types').set(bearer(viewer));
      expect(types.map((x) => x.type)).toEqual((rest.body.types as Json[]).map((x) => x.type));
      const pg = types.find((x) => x.type === 'postgresql')!;
      const fields = pg.config_fields as Json[];
      expect(fields.find((f) => f.name === 'port')).toMatchObject({ type: 'integer', default: 5432 });
      expect(fields.find((f) => f.name === 'password')).toMatchObject({ secret: true });
    });

    it('changes made over gRPC are audited like REST ones (who, what, from where, request id; secrets masked); reads are not', async () => {
      const ds = await create(operator, { config: { ...deadConfig(), password: 'audit-secret-1' } });
      await grpc.call('DataSourceService', 'Get', { id: ds.id }, viewer);
      await grpc.call('DataSourceService', 'Update', { id: ds.id, description: 'audited' }, operator);
      const res = await t.http.get(`/api/v1/audit-logs?resource_id=${String(ds.id)}`).set(bearer(admin));
      expect(res.status).toBe(200);
      const entries = res.body.audit_logs as Json[];
      expect(entries.map((e) => e.action).sort()).toEqual(['datasources.create', 'datasources.update']);
      const created = entries.find((e) => e.action === 'datasources.create')!;
      expect(created).toMatchObject({
        method: 'GRPC',
        path: '/metadata.v1.DataSourceService/Create',
        resource_type: 'datasources',
      });
      expect(created.actor_username).toMatch(/^operator-/);
      expect(created.request_id).toMatch(/^req-/);
      expect(created.ip).toBe('127.0.0.1');
      expect(JSON.stringify(created.details)).not.toContain('audit-secret-1');
    });

    it('Delete is admin only; CanDelete says whether it would go through; then the source is gone', async () => {
      const ds = await create(admin);
      expect(await grpc.call('DataSourceService', 'CanDelete', { id: ds.id }, viewer)).toMatchObject({
        can_delete: true,
        dependents: [],
      });
      const denied = await grpc.fail('DataSourceService', 'Delete', { id: ds.id }, operator);
      expect(denied.code).toBe(status.PERMISSION_DENIED);
      expect(await grpc.call('DataSourceService', 'Delete', { id: ds.id }, admin)).toEqual({ success: true });
      const gone = await grpc.fail('DataSourceService', 'Get', { id: ds.id }, admin);
      expect(gone.code).toBe(status.NOT_FOUND);
      const again = await grpc.fail('DataSourceService', 'Delete', { id: ds.id }, admin);
      expect(again.code).toBe(status.NOT_FOUND);
    });
  });

  describe('TemplateService', () => {
    it('List pages templates; is_system filters the built-in ones', async () => {
      const system = await grpc.call('TemplateService', 'List', { is_system: true, page_size: 100 }, viewer);
      const types = (await t.http.get('/api/v1/datasources/types').set(bearer(viewer))).body.types as Json[];
      // One built-in template per source type.
      expect(system.total).toBe(types.length);
      expect((system.templates as Json[]).every((x) => x.is_system === true)).toBe(true);
      const pg = await grpc.call('TemplateService', 'List', { type: 'postgresql' }, viewer);
      expect((pg.templates as Json[]).length).toBeGreaterThan(0);
      expect((pg.templates as Json[]).every((x) => x.type === 'postgresql')).toBe(true);
      const bad = await grpc.fail('TemplateService', 'List', { page_size: 0 }, viewer);
      expect(bad.code).toBe(status.INVALID_ARGUMENT);
    });

    it('Create, Get, Update, Apply and Delete a template, with the REST errors', async () => {
      const name = unique('grpc-tpl');
      const tpl = await grpc.call(
        'TemplateService',
        'Create',
        { name, type: 'postgresql', description: 'tpl', config_template: { port: 5432, timeout: 10 } },
        operator,
      );
      expect(tpl).toMatchObject({
        name,
        type: 'postgresql',
        is_system: false,
        config_template: { port: 5432, timeout: 10 },
      });
      expect(tpl.id).toMatch(/^tpl-/);
      expect(await grpc.call('TemplateService', 'Get', { id: tpl.id }, viewer)).toEqual(tpl);
      const dup = await grpc.fail(
        'TemplateService',
        'Create',
        { name, type: 'postgresql', config_template: {} },
        operator,
      );
      expect(dup.code).toBe(status.ALREADY_EXISTS);
      const denied = await grpc.fail(
        'TemplateService',
        'Create',
        { name: unique('v'), type: 'postgresql', config_template: {} },
        viewer,
      );
      expect(denied.code).toBe(status.PERMISSION_DENIED);
      const invalid = await grpc.fail('TemplateService', 'Create', { name: unique('v'), type: 'postgresql' }, operator);
      expect(invalid.code).toBe(status.INVALID_ARGUMENT);

      const updated = await grpc.call(
        'TemplateService',
        'Update',
        { id: tpl.id, config_template: { timeout: 20 } },
        operator,
      );
      expect(updated.config_template).toEqual({ port: 5432, timeout: 20 });

      const dsName = unique('from-tpl');
      const ds = await grpc.call(
        'TemplateService',
        'Apply',
        {
          id: tpl.id,
          name: dsName,
          config_overrides: { host: '127.0.0.1', username: 'postgres', database: 'test' },
          tags: ['tpl'],
        },
        operator,
      );
      expect(ds).toMatchObject({ name: dsName, type: 'postgresql', tags: ['tpl'] });
      expect(ds.config).toMatchObject({ host: '127.0.0.1', port: 5432, timeout: 20, database: 'test' });
      const rest = await t.http.get(`/api/v1/datasources/${String(ds.id)}`).set(bearer(admin));
      expect(rest.body.name).toBe(dsName);

      // Built-in templates are read-only: REST says 403, gRPC PERMISSION_DENIED.
      const systemTpl = await grpc.fail(
        'TemplateService',
        'Update',
        { id: 'tpl-system-postgresql', description: 'mine now' },
        admin,
      );
      expect(systemTpl.code).toBe(status.PERMISSION_DENIED);
      expect(await grpc.call('TemplateService', 'Delete', { id: tpl.id }, operator)).toEqual({ success: true });
      const gone = await grpc.fail('TemplateService', 'Get', { id: tpl.id }, viewer);
      expect(gone.code).toBe(status.NOT_FOUND);
    });
  });

  describe('TaskService', () => {
    let dsId: string;
    beforeAll(async () => {
      dsId = String(
        (
          await grpc.call(
            'DataSourceService',
            'Create',
            { name: unique('task-ds'), type: 'postgresql', config: deadConfig() },
            admin,
          )
        ).id,
      );
    });
    const hourly = { type: 'interval', interval: 3600 };

    it('Create makes an inactive task with its defaults; Get and List read it; the REST errors map to gRPC codes', async () => {
      const name = unique('grpc-task');
      const task = await grpc.call(
        'TaskService',
        'Create',
        {
          name,
          datasource_id: dsId,
          type: 'schema_only',
          config: { include_schemas: ['public'], batch_size: 500 },
          schedule: hourly,
        },
        operator,
      );
      expect(task.id).toMatch(/^task-/);
      expect(task).toMatchObject({
        name,
        datasource_id: dsId,
        type: 'schema_only',
        status: 'inactive',
        scheduler_type: 'builtin',
        schedule: { type: 'interval', interval: 3600 },
      });
      expect(task.config).toMatchObject({
        include_schemas: ['public'],
        batch_size: 500,
        timeout: 3600,
        retry_count: 0,
      });
      expect(await grpc.call('TaskService', 'Get', { id: task.id }, viewer)).toEqual(task);
      const listed = await grpc.call('TaskService', 'List', { datasource_id: dsId, page_size: 1 }, viewer);
      expect(listed).toMatchObject({ page: 1, page_size: 1 });
      expect((listed.tasks as Json[])[0].datasource_id).toBe(dsId);

      const dup = await grpc.fail(
        'TaskService',
        'Create',
        { name, datasource_id: dsId, type: 'schema_only' },
        operator,
      );
      expect(dup.code).toBe(status.ALREADY_EXISTS);
      const denied = await grpc.fail(
        'TaskService',
        'Create',
        { name: unique('v'), datasource_id: dsId, type: 'schema_only' },
        viewer,
      );
      expect(denied.code).toBe(status.PERMISSION_DENIED);
      const badType = await grpc.fail(
        'TaskService',
        'Create',
        { name: unique('b'), datasource_id: dsId, type: 'everything' },
        operator,
      );
      expect(badType.code).toBe(status.INVALID_ARGUMENT);
      const badCron = await grpc.fail(
        'TaskService',
        'Create',
        {
          name: unique('b'),
          datasource_id: dsId,
          type: 'schema_only',
          schedule: { type: 'cron', cron_expr: 'not a cron' },
        },
        operator,
      );
      expect(badCron.code).toBe(status.INVALID_ARGUMENT);
      const badNested = await grpc.fail(
        'TaskService',
        'Create',
        { name: unique('b'), datasource_id: dsId, type: 'schema_only', config: { batch_size: 0 } },
        operator,
      );
      expect(badNested.code).toBe(status.INVALID_ARGUMENT);
      expect(trailerOf(badNested, 'details')).toContain('batch_size');
      const missing = await grpc.fail('TaskService', 'Get', { id: 'task-nope' }, viewer);
      expect(missing.code).toBe(status.NOT_FOUND);
    });

    it('Update is partial; Start, Pause, Resume and Stop walk the life cycle; a transition the state forbids is FAILED_PRECONDITION', async () => {
      const task = await grpc.call(
        'TaskService',
        'Create',
        { name: unique('life'), datasource_id: dsId, type: 'full_collection', schedule: hourly },
        operator,
      );
      const id = task.id;
      const updated = await grpc.call(
        'TaskService',
        'Update',
        { id, description: 'described', config: { batch_size: 2000 } },
        operator,
      );
      expect(updated).toMatchObject({
        name: task.name,
        description: 'described',
        config: { batch_size: 2000, timeout: 3600 },
      });
      const started = await grpc.call('TaskService', 'Start', { id }, operator);
      expect(started.status).toBe('active');
      expect(started.next_execute_at).toMatch(/Z$/);
      expect((await grpc.call('TaskService', 'Pause', { id }, operator)).status).toBe('paused');
      expect((await grpc.call('TaskService', 'Resume', { id }, operator)).status).toBe('active');
      expect((await grpc.call('TaskService', 'Stop', { id }, operator)).status).toBe('inactive');
      const wrong = await grpc.fail('TaskService', 'Pause', { id }, operator);
      expect(wrong.code).toBe(status.FAILED_PRECONDITION);
      expect(trailerOf(wrong, 'code')).toBe('CONFLICT');
      const denied = await grpc.fail('TaskService', 'Start', { id }, viewer);
      expect(denied.code).toBe(status.PERMISSION_DENIED);
    });

    it('Execute answers with the pending execution; GetExecution, ListExecutions and ListExecutionLogs follow it to its end', async () => {
      const task = await grpc.call(
        'TaskService',
        'Create',
        { name: unique('exec'), datasource_id: dsId, type: 'schema_only', config: { timeout: 30 } },
        operator,
      );
      const run = await grpc.call('TaskService', 'Execute', { id: task.id }, operator);
      expect(Object.keys(run).sort()).toEqual(['execution_id', 'start_time', 'status', 'task_id']);
      expect(run).toMatchObject({ task_id: task.id, status: 'pending' });
      expect(run.execution_id).toMatch(/^exec-/);
      const ref = { task_id: task.id, execution_id: run.execution_id };
      let execution: Json = {};
      for (let i = 0; i < 100 && !['completed', 'failed', 'cancelled'].includes(String(execution.status)); i++) {
        execution = await grpc.call('TaskService', 'GetExecution', ref, viewer);
        if (!['completed', 'failed', 'cancelled'].includes(String(execution.status)))
          await new Promise((r) => setTimeout(r, 200));
      }
      // Nothing listens on the source's port: the run fails with the connector's code.
      expect(execution).toMatchObject({
        id: run.execution_id,
        task_id: task.id,
        status: 'failed',
        trigger: 'manual',
        attempt: 1,
      });
      expect((execution.error as Json).code).toBeTruthy();
      const list = await grpc.call('TaskService', 'ListExecutions', { task_id: task.id, status: 'failed' }, viewer);
      expect(list).toMatchObject({ total: 1, page: 1, page_size: 20 });
      const logs = await grpc.call('TaskService', 'ListExecutionLogs', { ...ref, page_size: 100 }, viewer);
      expect((logs.logs as Json[])[0]).toMatchObject({ seq: 1, level: 'info', message: 'Execution started' });
      const badLevel = await grpc.fail('TaskService', 'ListExecutionLogs', { ...ref, level: 'loud' }, viewer);
      expect(badLevel.code).toBe(status.INVALID_ARGUMENT);
      const denied = await grpc.fail('TaskService', 'Execute', { id: task.id }, viewer);
      expect(denied.code).toBe(status.PERMISSION_DENIED);
      const noExec = await grpc.fail(
        'TaskService',
        'GetExecution',
        { task_id: task.id, execution_id: 'exec-nope' },
        viewer,
      );
      expect(noExec.code).toBe(status.NOT_FOUND);
      const noWatch = await grpc.stream(
        'TaskService',
        'WatchExecution',
        { task_id: task.id, execution_id: 'exec-nope' },
        viewer,
      );
      expect(noWatch.messages).toEqual([]);
      expect(noWatch.error?.code).toBe(status.NOT_FOUND);
      expect(trailerOf(noWatch.error!, 'code')).toBe('NOT_FOUND');
      const anonymousWatch = await grpc.stream('TaskService', 'WatchExecution', ref);
      expect(anonymousWatch.error?.code).toBe(status.UNAUTHENTICATED);

      // Watching an execution that has ended sends its log and final state at once, then closes.
      const replay = await grpc.stream<Json>('TaskService', 'WatchExecution', ref, viewer);
      expect(replay.error).toBeUndefined();
      expect(replay.messages.filter((m) => m.log).length).toBe((logs.logs as Json[]).length);
      expect(replay.messages.at(-1)!.execution).toMatchObject({ id: run.execution_id, status: 'failed' });
    });

    it('Delete removes the task; its executions go with it', async () => {
      const task = await grpc.call(
        'TaskService',
        'Create',
        { name: unique('del'), datasource_id: dsId, type: 'schema_only' },
        operator,
      );
      const denied = await grpc.fail('TaskService', 'Delete', { id: task.id }, viewer);
      expect(denied.code).toBe(status.PERMISSION_DENIED);
      expect(await grpc.call('TaskService', 'Delete', { id: task.id }, operator)).toEqual({ success: true });
      expect((await grpc.fail('TaskService', 'Get', { id: task.id }, viewer)).code).toBe(status.NOT_FOUND);
    });
  });

  describeWithServers(['postgres'], 'a real collection from PostgreSQL', () => {
    const schema = `grpc_watch_${Math.random().toString(36).slice(2, 8)}`;
    const pg = () =>
      new Client({
        host: SERVER_ENDPOINTS.postgres.host,
        port: SERVER_ENDPOINTS.postgres.port,
        user: 'postgres',
        database: 'test',
      });
    let taskId: string;
    let executionId: string;
    let dsId: string;
    let events: Json[] = [];

    beforeAll(async () => {
      const c = pg();
      await c.connect();
      try {
        await c.query(`CREATE SCHEMA ${schema}`);
        await c.query(
          `CREATE TABLE ${schema}.customers (id bigint PRIMARY KEY, email varchar(200) NOT NULL, created_at timestamptz DEFAULT now())`,
        );
        await c.query(`COMMENT ON TABLE ${schema}.customers IS 'people who buy'`);
        await c.query(
          `CREATE TABLE ${schema}.orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES ${schema}.customers(id), total numeric(12,2))`,
        );
        await c.query(`CREATE INDEX orders_customer_idx ON ${schema}.orders (customer_id)`);
        await c.query(`CREATE VIEW ${schema}.big_orders AS SELECT * FROM ${schema}.orders WHERE total > 100`);
      } finally {
        await c.end();
      }
      const ds = await grpc.call(
        'DataSourceService',
        'Create',
        {
          name: unique('pg-real'),
          type: 'postgresql',
          config: {
            host: SERVER_ENDPOINTS.postgres.host,
            port: SERVER_ENDPOINTS.postgres.port,
            username: 'postgres',
            database: 'test',
          },
        },
        admin,
      );
      dsId = String(ds.id);
      const task = await grpc.call(
        'TaskService',
        'Create',
        {
          name: unique('pg-collect'),
          datasource_id: dsId,
          type: 'full_collection',
          config: { include_schemas: [schema] },
        },
        operator,
      );
      taskId = String(task.id);
    });
    afterAll(async () => {
      const c = pg();
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    });

    it('TestConnection succeeds against the real server', async () => {
      const res = await grpc.call('DataSourceService', 'TestConnection', { id: dsId }, operator);
      expect(res).toMatchObject({ success: true });
      expect(String(res.version)).toMatch(/^\d+/);
    });

    it('WatchExecution streams the run from its state through its log lines to its completed end', async () => {
      const run = await grpc.call('TaskService', 'Execute', { id: taskId }, operator);
      executionId = String(run.execution_id);
      // The run is pending or running: a second one is refused, as REST answers 409.
      const again = await grpc.fail('TaskService', 'Execute', { id: taskId }, operator);
      expect(again.code).toBe(status.FAILED_PRECONDITION);
      const started = Date.now();
      const watched = await grpc.stream<Json>(
        'TaskService',
        'WatchExecution',
        { task_id: taskId, execution_id: executionId },
        viewer,
      );
      expect(watched.error).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(30_000);
      events = watched.messages;
      const states = events.filter((e) => e.execution).map((e) => e.execution as Json);
      const lines = events.filter((e) => e.log).map((e) => e.log as Json);
      // First the state it was in, last the final state; the stream ends after it.
      expect(events[0].execution).toBeTruthy();
      expect(['pending', 'running']).toContain(states[0].status);
      const last = events.at(-1)!.execution as Json;
      expect(last).toMatchObject({ id: executionId, status: 'completed' });
      expect(last.error).toBeNull();
      expect(last.result).toMatchObject({ tables_processed: 3, errors_count: 0 });
      expect((last.result as Json).changes).toMatchObject({ assets_added: 3 });
      expect(last.changes).toMatchObject({ execution_id: executionId, assets_added: 3 });
      // Every log line once, in order, from "Execution started" to "Execution completed".
      expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
      expect(lines[0].message).toBe('Execution started');
      expect(lines.map((l) => l.message)).toContain('Execution completed');
      const rest = await t.http
        .get(`/api/v1/tasks/${taskId}/executions/${executionId}/logs?page_size=100`)
        .set(bearer(viewer));
      expect(withoutNulls(lines)).toEqual(withoutNulls(rest.body.logs));
    });

    it('MetadataService browses and searches what the run collected', async () => {
      const assets = await grpc.call(
        'MetadataService',
        'ListAssets',
        { datasource_id: dsId, namespace: schema },
        viewer,
      );
      expect(assets.total).toBe(3);
      const names = (assets.assets as Json[]).map((a) => a.name).sort();
      expect(names).toEqual(['big_orders', 'customers', 'orders']);
      const orders = (assets.assets as Json[]).find((a) => a.name === 'orders')!;
      const detail = await grpc.call('MetadataService', 'GetAsset', { asset_id: orders.id }, viewer);
      expect((detail.fields as Json[]).map((f) => f.name)).toEqual(['id', 'customer_id', 'total']);
      expect((detail.keys as Json[]).some((k) => k.type === 'foreign')).toBe(true);
      expect((detail.indexes as Json[]).some((i) => i.name === 'orders_customer_idx')).toBe(true);
      const versions = await grpc.call('MetadataService', 'ListVersions', { asset_id: orders.id }, viewer);
      expect((versions.versions as Json[])[0]).toMatchObject({ change: 'added', execution_id: executionId });
      const found = await grpc.call('MetadataService', 'Search', { q: 'customer', datasource_id: dsId }, viewer);
      expect((found.results as Json[]).some((r) => r.type === 'asset' && r.name === 'customers')).toBe(true);
      expect((found.results as Json[]).some((r) => r.type === 'field' && r.name === 'customer_id')).toBe(true);
      const tree = await grpc.call('MetadataService', 'GetTree', { id: dsId }, viewer);
      expect(tree).toMatchObject({ data_source_id: dsId, asset_count: 3 });
      expect((tree.namespaces as Json[]).map((n) => n.name)).toContain(schema);
      const profiles = await grpc.call('MetadataService', 'ListProfiles', { asset_id: orders.id }, viewer);
      expect(profiles).toMatchObject({ total: 0, page: 1 });

      const missing = await grpc.fail('MetadataService', 'GetAsset', { asset_id: 'ast-nope' }, viewer);
      expect(missing.code).toBe(status.NOT_FOUND);
      const noQuery = await grpc.fail('MetadataService', 'Search', {}, viewer);
      expect(noQuery.code).toBe(status.INVALID_ARGUMENT);
      const anonymous = await grpc.fail('MetadataService', 'ListAssets', {});
      expect(anonymous.code).toBe(status.UNAUTHENTICATED);
    });

    it('parity: the run, the catalog and the tasks read the same over REST and gRPC', async () => {
      const get = async (path: string) => (await t.http.get(`/api/v1${path}`).set(bearer(viewer))).body as Json;
      const restExecution = await get(`/tasks/${taskId}/executions/${executionId}`);
      const grpcExecution = await grpc.call(
        'TaskService',
        'GetExecution',
        { task_id: taskId, execution_id: executionId },
        viewer,
      );
      expect(withoutNulls(grpcExecution)).toEqual(withoutNulls(restExecution));
      expect(withoutNulls(await grpc.call('TaskService', 'ListExecutions', { task_id: taskId }, viewer))).toEqual(
        withoutNulls(await get(`/tasks/${taskId}/executions`)),
      );
      expect(withoutNulls(await grpc.call('TaskService', 'Get', { id: taskId }, viewer))).toEqual(
        withoutNulls(await get(`/tasks/${taskId}`)),
      );
      expect(withoutNulls(await grpc.call('TaskService', 'List', { datasource_id: dsId }, viewer))).toEqual(
        withoutNulls(await get(`/tasks?datasource_id=${dsId}`)),
      );

      const restAssets = await get(`/metadata/assets?datasource_id=${dsId}`);
      expect(withoutNulls(await grpc.call('MetadataService', 'ListAssets', { datasource_id: dsId }, viewer))).toEqual(
        withoutNulls(restAssets),
      );
      for (const asset of restAssets.assets as Json[]) {
        const id = String(asset.id);
        expect(withoutNulls(await grpc.call('MetadataService', 'GetAsset', { asset_id: id }, viewer))).toEqual(
          withoutNulls(await get(`/metadata/assets/${id}`)),
        );
        expect(withoutNulls(await grpc.call('MetadataService', 'ListVersions', { asset_id: id }, viewer))).toEqual(
          withoutNulls(await get(`/metadata/assets/${id}/versions`)),
        );
      }
      expect(
        withoutNulls(await grpc.call('MetadataService', 'Search', { q: 'order', datasource_id: dsId }, viewer)),
      ).toEqual(withoutNulls(await get(`/metadata/search?q=order&datasource_id=${dsId}`)));
      expect(withoutNulls(await grpc.call('MetadataService', 'GetTree', { id: dsId }, viewer))).toEqual(
        withoutNulls(await get(`/datasources/${dsId}/metadata`)),
      );
    });
  });

  describe('parity with REST', () => {
    it('a data source created over REST reads the same over gRPC, field by field, and the other way round', async () => {
      const viaRest = await t.http
        .post('/api/v1/datasources')
        .set(bearer(admin))
        .send({
          name: unique('parity-rest'),
          type: 'postgresql',
          description: 'rest',
          config: deadConfig(),
          tags: ['p'],
        });
      expect(viaRest.status).toBe(201);
      // A failed test fills last_test_at, last_latency_ms and last_error, so they are compared too.
      await t.http.post(`/api/v1/datasources/${viaRest.body.id}/test`).set(bearer(admin));
      const restGet = (await t.http.get(`/api/v1/datasources/${viaRest.body.id}`).set(bearer(admin))).body;
      const grpcGet = await grpc.call('DataSourceService', 'Get', { id: viaRest.body.id }, admin);
      expect(restGet.last_error).toBeTruthy();
      expect(withoutNulls(grpcGet)).toEqual(withoutNulls(restGet));

      const viaGrpc = await grpc.call(
        'DataSourceService',
        'Create',
        {
          name: unique('parity-grpc'),
          type: 'postgresql',
          config: { host: 'h', username: 'u', password: 'p', database: 'd' },
          tags: ['g'],
        },
        admin,
      );
      const restOfGrpc = (await t.http.get(`/api/v1/datasources/${String(viaGrpc.id)}`).set(bearer(admin))).body;
      expect(withoutNulls(viaGrpc)).toEqual(withoutNulls(restOfGrpc));

      const restList = (await t.http.get('/api/v1/datasources?page_size=5&type=postgresql').set(bearer(admin))).body;
      const grpcList = await grpc.call('DataSourceService', 'List', { page_size: 5, type: 'postgresql' }, admin);
      expect(withoutNulls(grpcList)).toEqual(withoutNulls(restList));
    });

    it('the same operations answer the same over both transports: types, templates, test results, batch results, errors', async () => {
      const restTypes = (await t.http.get('/api/v1/datasources/types').set(bearer(viewer))).body;
      expect(withoutNulls(await grpc.call('DataSourceService', 'ListTypes', {}, viewer))).toEqual(
        withoutNulls(restTypes),
      );

      const restTpl = (await t.http.get('/api/v1/templates?is_system=true&page_size=100').set(bearer(viewer))).body;
      expect(
        withoutNulls(await grpc.call('TemplateService', 'List', { is_system: true, page_size: 100 }, viewer)),
      ).toEqual(withoutNulls(restTpl));

      const restTest = (
        await t.http
          .post('/api/v1/datasources/test')
          .set(bearer(admin))
          .send({ type: 'postgresql', config: deadConfig() })
      ).body;
      const grpcTest = await grpc.call(
        'DataSourceService',
        'TestConfig',
        { type: 'postgresql', config: deadConfig() },
        admin,
      );
      const stable = (r: Json) => ({
        ...r,
        latency: 0,
        steps: (r.steps as Json[]).map((step) => ({ ...step, duration_ms: 0 })),
      });
      expect(withoutNulls(stable(grpcTest))).toEqual(withoutNulls(stable(restTest)));

      const restBatch = (
        await t.http
          .post('/api/v1/datasources/batch/status')
          .set(bearer(admin))
          .send({ ids: ['ds-none-1'], status: 'active' })
      ).body;
      expect(
        withoutNulls(
          await grpc.call('DataSourceService', 'BatchUpdateStatus', { ids: ['ds-none-1'], status: 'active' }, admin),
        ),
      ).toEqual(withoutNulls(restBatch));

      const restMissing = await t.http.get('/api/v1/datasources/ds-none-2').set(bearer(admin));
      const grpcMissing = await grpc.fail('DataSourceService', 'Get', { id: 'ds-none-2' }, admin);
      expect(trailerOf(grpcMissing, 'code')).toBe(restMissing.body.code);
      expect(grpcMissing.details).toBe(restMissing.body.message);
    });
  });

  describe('standard services', () => {
    /** One request/answer on grpc.reflection.v1.ServerReflection, as grpcurl sends them. */
    async function reflect(request: Json): Promise<Json> {
      const reflectionProto = join(
        dirname(require.resolve('@grpc/reflection')),
        '..',
        'proto',
        'grpc',
        'reflection',
        'v1',
        'reflection.proto',
      );
      const def = loadSync(reflectionProto, { keepCase: true, defaults: true, oneofs: true });
      const pkg = loadPackageDefinition(def) as unknown as { grpc: { reflection: { v1: GrpcObject } } };
      const Ctor = pkg.grpc.reflection.v1.ServerReflection as ServiceClientConstructor;
      const client = new Ctor(t.grpcUrl, credentials.createInsecure()) as unknown as {
        ServerReflectionInfo(md: Metadata): NodeJS.EventEmitter & { write(m: object): void; end(): void };
        close(): void;
      };
      try {
        return await new Promise<Json>((resolve, reject) => {
          const call = client.ServerReflectionInfo(new Metadata());
          call.on('data', (m: Json) => resolve(m));
          call.on('error', reject);
          call.write(request);
          call.end();
        });
      } finally {
        client.close();
      }
    }

    /** The file descriptors of an answer, decoded. */
    function filesOf(answer: Json): Array<{
      name: string;
      dependency: string[];
      service: Array<{ name: string }>;
      messageType?: Array<{ name: string }>;
    }> {
      const fds =
        (answer.file_descriptor_response as { file_descriptor_proto: Buffer[] } | undefined)?.file_descriptor_proto ??
        [];
      return fds.map(
        (b) =>
          FileDescriptorProto.toObject(FileDescriptorProto.decode(b), { arrays: true }) as {
            name: string;
            dependency: string[];
            service: Array<{ name: string }>;
            messageType?: Array<{ name: string }>;
          },
      );
    }

    it('server reflection lists every service of metadata.v1 plus health', async () => {
      const answer = await reflect({ list_services: '' });
      const names = ((answer.list_services_response as { service: Array<{ name: string }> }).service ?? []).map(
        (s) => s.name,
      );
      expect(names).toEqual(
        expect.arrayContaining([
          'metadata.v1.AuthService',
          'metadata.v1.DataSourceService',
          'metadata.v1.TaskService',
          'metadata.v1.TemplateService',
          'metadata.v1.MetadataService',
          'grpc.health.v1.Health',
        ]),
      );
    });

    it('server reflection describes a service with every file it imports, as grpcurl describe needs', async () => {
      const files = filesOf(await reflect({ file_containing_symbol: 'metadata.v1.TaskService' }));
      // The first file holds the symbol; the rest are what it imports (here the well-known types).
      const [own, ...imported] = files;
      expect(own.service.map((s) => s.name)).toContain('TaskService');
      const structFile = files.find((f) => f.messageType?.some((m) => m.name === 'Struct'));
      expect(structFile).toBeDefined();
      expect(own.dependency).toContain(structFile!.name);
      expect(imported.map((f) => f.name)).toEqual(expect.arrayContaining(own.dependency));
      // grpcurl then asks for every import by name.
      for (const dep of own.dependency) {
        const resolved = filesOf(await reflect({ file_by_filename: dep }));
        expect(resolved[0].name).toBe(dep);
      }
      const health = filesOf(await reflect({ file_containing_symbol: 'grpc.health.v1.Health' }));
      expect(health.length).toBeGreaterThan(0);
    });

    it('grpc.health.v1.Health answers SERVING without a token', async () => {
      const def = loadSync(healthProtoPath, { keepCase: true, enums: String, defaults: true });
      const pkg = loadPackageDefinition(def) as unknown as { grpc: { health: { v1: GrpcObject } } };
      const Ctor = pkg.grpc.health.v1.Health as ServiceClientConstructor;
      const client = new Ctor(t.grpcUrl, credentials.createInsecure()) as unknown as {
        Check(req: object, cb: (err: Error | null, res: { status: string }) => void): void;
        close(): void;
      };
      const check = (service: string) =>
        new Promise<string>((resolve, reject) =>
          client.Check({ service }, (err, res) => (err ? reject(err) : resolve(res.status))),
        );
      expect(await check('')).toBe('SERVING');
      expect(await check('metadata.v1.AuthService')).toBe('SERVING');
      client.close();
    });
  });
});

describeE2E('gRPC: per-client rate limit', () => {
  let t: TestApp;
  let grpc: GrpcTestClient;
  beforeAll(async () => {
    t = await bootApp({ env: { RATE_LIMIT_PER_SECOND: '5' } });
    grpc = new GrpcTestClient(t.grpcUrl);
  });
  afterAll(async () => {
    grpc?.close();
    await t?.close();
  });

  it('counts gRPC calls per caller like REST: past the limit RESOURCE_EXHAUSTED with RATE_LIMITED and retry-after', async () => {
    // Start at the beginning of a fresh one-second window. A slow machine may still spread the
    // burst over two windows (5 allowed in each), so the burst is large enough either way.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
    // REST calls from the same address go in the same burst: no more of them than one window
    // allows, so any 429 among them comes from the count they share with gRPC.
    const [outcomes, rest] = await Promise.all([
      Promise.all(Array.from({ length: 25 }, () => grpc.attempt('DataSourceService', 'List', {}, t.adminToken))),
      Promise.all(Array.from({ length: 5 }, () => t.http.get('/api/v1/datasources').set(bearer(t.adminToken)))),
    ]);
    const limited = outcomes.filter((o) => o.error?.code === status.RESOURCE_EXHAUSTED);
    expect(outcomes.filter((o) => o.response).length + rest.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    expect(limited.length).toBeGreaterThanOrEqual(15);
    const err = limited[0].error!;
    expect(trailerOf(err, 'code')).toBe('RATE_LIMITED');
    expect(Number(trailerOf(err, 'retry-after'))).toBeGreaterThanOrEqual(1);
    expect(rest.some((r) => r.status === 429)).toBe(true);
  });
});
