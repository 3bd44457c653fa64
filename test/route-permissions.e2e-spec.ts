import { status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common/enums/request-method.enum';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { IS_PUBLIC, PERMISSION } from '../src/auth/decorators';
import { Permission, PERMISSION_ROLES, PUBLIC_MOUNTS } from '../src/auth/permissions';
import { ALL_ROLES, Role } from '../src/auth/role';
import { PROTO_ROOT, protoFiles } from '../src/grpc/grpc-server';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { seedKeysOf } from './support/envelope';
import { GrpcTestClient, trailerOf } from './support/grpc-client';

/** What an operation states: public, or the permission it needs; `undefined` is the gap this test forbids. */
type Statement = { public: true } | { permission: Permission } | undefined;

interface RestRoute {
  verb: string;
  path: string;
  where: string;
  statement: Statement;
}

interface GrpcHandler {
  method: string;
  where: string;
  statement: Statement;
}

const read = (key: string, target: object): unknown => Reflect.getMetadata(key, target) as unknown;

/** The handler's own statement wins over its controller's, as in the guards (getAllAndOverride). */
function statementOf(handler: object, controller: Type): Statement {
  for (const target of [handler, controller]) {
    if (read(IS_PUBLIC, target) === true) return { public: true };
    const permission = read(PERMISSION, target) as Permission | undefined;
    if (permission) return { permission };
  }
  return undefined;
}

const joinPath = (...parts: string[]) =>
  '/' +
  parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');

/** Every handler of every controller the app registered, from Nest's own metadata. */
function operationsOf(t: TestApp): { rest: RestRoute[]; grpc: GrpcHandler[] } {
  const discovery = new DiscoveryService(t.app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const rest: RestRoute[] = [];
  const grpc: GrpcHandler[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as Type | undefined;
    if (!controller) continue;
    const base = read(PATH_METADATA, controller) as string | string[] | undefined;
    for (const name of scanner.getAllMethodNames(controller.prototype as object)) {
      const handler = (controller.prototype as Record<string, object>)[name];
      const where = `${controller.name}.${name}`;
      const patterns = read(PATTERN_METADATA, handler) as Array<{ service?: string; rpc?: string }> | undefined;
      for (const p of patterns ?? [])
        if (p.service && p.rpc)
          grpc.push({ method: `${p.service}.${p.rpc}`, where, statement: statementOf(handler, controller) });
      const paths = read(PATH_METADATA, handler) as string | string[] | undefined;
      if (paths === undefined || patterns) continue;
      const verb = RequestMethod[read(METHOD_METADATA, handler) as RequestMethod];
      for (const prefix of [base ?? ''].flat())
        for (const path of [paths].flat())
          rest.push({
            verb,
            path: joinPath('api/v1', prefix, path),
            where,
            statement: statementOf(handler, controller),
          });
    }
  }
  return { rest, grpc };
}

/** Every rpc of every service in the protos, as `Service.Method`. */
function protoMethods(): Array<{ method: string; streaming: boolean }> {
  const definition = loadSync(protoFiles(), { includeDirs: [PROTO_ROOT] });
  const methods: Array<{ method: string; streaming: boolean }> = [];
  for (const [name, service] of Object.entries(definition)) {
    if (!name.startsWith('metadata.v1.') || 'format' in service) continue;
    for (const rpc of Object.values(service as Record<string, { path: string; responseStream: boolean }>)) {
      const [, svc, method] = /^\/metadata\.v1\.(\w+)\/(\w+)$/.exec(rpc.path) ?? [];
      if (svc) methods.push({ method: `${svc}.${method}`, streaming: rpc.responseStream });
    }
  }
  return methods;
}

const concrete = (path: string) => path.replace(/:\w+/g, 'no-such-id');
const required = (s: Statement) => (!s ? 'NONE' : 'public' in s ? 'public' : PERMISSION_ROLES[s.permission].join('|'));

describeE2E('route permissions: every operation states who may call it', () => {
  let t: TestApp;
  let grpc: GrpcTestClient;
  let rest: RestRoute[];
  let handlers: GrpcHandler[];
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await bootApp({ env: { HEALTH_CHECK_INTERVAL_SECONDS: '0' } });
    grpc = new GrpcTestClient(t.grpcUrl);
    ({ rest, grpc: handlers } = operationsOf(t));
    tokens[Role.Admin] = t.adminToken;
    tokens[Role.Operator] = await t.tokenFor('operator');
    tokens[Role.Viewer] = await t.tokenFor('viewer');
    const steward = { username: `steward-${Date.now().toString(36)}`, password: 'steward-password-123' };
    const created = await t.http
      .post('/api/v1/users')
      .set(bearer(t.adminToken))
      .send({ ...steward, role: Role.Steward });
    expect(created.status).toBe(201);
    tokens[Role.Steward] = await t.login(steward.username, steward.password);
  });

  afterAll(async () => {
    grpc?.close();
    await t?.close();
  });

  it('finds the REST routes and gRPC handlers from the Nest router', () => {
    expect(rest.length).toBeGreaterThan(50);
    expect(handlers.length).toBeGreaterThan(30);
    expect(rest).toContainEqual(expect.objectContaining({ verb: 'POST', path: '/api/v1/login' }));
    expect(rest).toContainEqual(expect.objectContaining({ verb: 'DELETE', path: '/api/v1/datasources/:id' }));
  });

  it('every REST route states a permission or @Public()', () => {
    const table = rest.map((r) => `${r.verb} ${r.path} (${r.where}): ${required(r.statement)}`);
    const missing = table.filter((line) => line.endsWith(': NONE'));
    expect(missing).toEqual([]);
  });

  it('every gRPC method of the protos has a handler that states a permission or @Public()', () => {
    const byMethod = new Map(handlers.map((h) => [h.method, h]));
    const table = protoMethods().map(({ method }) => {
      const h = byMethod.get(method);
      return `${method}: ${h ? `${required(h.statement)} (${h.where})` : 'NO HANDLER'}`;
    });
    expect(table.filter((line) => line.includes('NONE') || line.includes('NO HANDLER'))).toEqual([]);
    expect(table.length).toBeGreaterThan(30);
  });

  it('the same operation over REST and gRPC reads the same permission', () => {
    const permissionOf = (s: Statement) => (s && 'permission' in s ? s.permission : undefined);
    const restOf = (verb: string, path: string) =>
      permissionOf(rest.find((r) => r.verb === verb && r.path === `/api/v1${path}`)?.statement);
    const grpcOf = (method: string) => permissionOf(handlers.find((h) => h.method === method)?.statement);
    const pairs: Array<[string, string, string]> = [
      ['DELETE', '/datasources/:id', 'DataSourceService.Delete'],
      ['POST', '/datasources', 'DataSourceService.Create'],
      ['GET', '/tasks', 'TaskService.List'],
      ['POST', '/tasks/:id/execute', 'TaskService.Execute'],
      ['DELETE', '/templates/:id', 'TemplateService.Delete'],
      ['GET', '/metadata/assets/:asset_id', 'MetadataService.GetAsset'],
    ];
    for (const [verb, path, method] of pairs) {
      expect(restOf(verb, path)).toBeDefined();
      expect(grpcOf(method)).toBe(restOf(verb, path));
    }
  });

  it('public routes are public on purpose: login, refresh, health and metrics (behind its own token)', () => {
    const publicRoutes = rest.filter((r) => r.statement && 'public' in r.statement).map((r) => `${r.verb} ${r.path}`);
    expect(publicRoutes).toEqual(
      expect.arrayContaining([
        'POST /api/v1/login',
        'POST /api/v1/refresh',
        'GET /api/v1/health',
        'GET /api/v1/metrics',
      ]),
    );
  });

  it('the docs, served outside the router, answer without a token', async () => {
    for (const path of [PUBLIC_MOUNTS.swaggerUi, PUBLIC_MOUNTS.openApiJson]) {
      const res = await t.http.get(path).redirects(1);
      expect(res.status).toBe(200);
    }
  });

  it('every REST route that is not public refuses a call without a token (401 envelope)', async () => {
    const guarded = rest.filter((r) => r.statement && !('public' in r.statement));
    const outcomes = await Promise.all(
      guarded.map(async (r) => {
        const res = await t.http[r.verb.toLowerCase() as 'get'](concrete(r.path));
        return `${r.verb} ${r.path}: ${res.status} ${res.body?.code} ${res.body?.reason}`;
      }),
    );
    expect(outcomes.filter((o) => !o.endsWith(': 401 UNAUTHORIZED AUTHENTICATION_REQUIRED'))).toEqual([]);
  });

  it('every gRPC method that is not public refuses a call without a token (UNAUTHENTICATED)', async () => {
    const streaming = new Set(
      protoMethods()
        .filter((m) => m.streaming)
        .map((m) => m.method),
    );
    const guarded = handlers.filter((h) => h.statement && !('public' in h.statement));
    const outcomes: string[] = [];
    for (const h of guarded) {
      const [service, method] = h.method.split('.');
      const error = streaming.has(h.method)
        ? (await grpc.stream(service, method, {})).error
        : await grpc.fail(service, method, {});
      outcomes.push(`${h.method}: ${error?.code}`);
    }
    expect(outcomes.filter((o) => !o.endsWith(`: ${status.UNAUTHENTICATED}`))).toEqual([]);
  });

  describe('a role below the permission is refused, one sample operation per permission', () => {
    const roles = ALL_ROLES;

    it('REST: 403 FORBIDDEN envelope with reason ROLE_NOT_ALLOWED; a role that holds it is let through', async () => {
      const samples = new Map<Permission, RestRoute>();
      // Prefer a read, then a route with an id (an unknown id changes nothing), for the allowed roles.
      const ordered = [...rest].sort((a, b) => Number(b.verb === 'GET') - Number(a.verb === 'GET'));
      for (const r of ordered)
        if (r.statement && 'permission' in r.statement && !samples.has(r.statement.permission))
          samples.set(r.statement.permission, r);
      expect(samples.size).toBeGreaterThanOrEqual(Object.values(Permission).length - 3);
      const refusedRoles = new Set<Role>();
      for (const [permission, route] of samples) {
        const allowed = PERMISSION_ROLES[permission];
        for (const role of roles) {
          const harmless = route.verb === 'GET' || route.path.includes(':');
          if (allowed.includes(role) && !harmless) continue;
          const res = await t.http[route.verb.toLowerCase() as 'get'](concrete(route.path))
            .set(bearer(tokens[role]))
            .send({});
          const label = `${role} ${route.verb} ${route.path}`;
          if (allowed.includes(role)) {
            expect(`${label}: ${res.status}`).not.toBe(`${label}: 403`);
            continue;
          }
          refusedRoles.add(role);
          expect(`${label}: ${res.status}`).toBe(`${label}: 403`);
          expect(seedKeysOf(res.body as object)).toEqual(['code', 'details', 'message', 'request_id']);
          expect(res.body).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_NOT_ALLOWED' });
        }
      }
      // Every role but admin is below some permission, and was refused there.
      expect([...refusedRoles].sort()).toEqual([Role.Operator, Role.Steward, Role.Viewer].sort());
    });

    it('gRPC: PERMISSION_DENIED with code FORBIDDEN and reason ROLE_NOT_ALLOWED in the trailers', async () => {
      const streaming = new Set(
        protoMethods()
          .filter((m) => m.streaming)
          .map((m) => m.method),
      );
      const samples = new Map<Permission, GrpcHandler>();
      for (const h of handlers)
        if (
          h.statement &&
          'permission' in h.statement &&
          !streaming.has(h.method) &&
          !samples.has(h.statement.permission)
        )
          samples.set(h.statement.permission, h);
      const refusedRoles = new Set<Role>();
      for (const [permission, h] of samples) {
        const [service, method] = h.method.split('.');
        for (const role of roles.filter((r) => !PERMISSION_ROLES[permission].includes(r))) {
          refusedRoles.add(role);
          const err = await grpc.fail(service, method, {}, tokens[role]);
          expect(`${role} ${h.method}: ${err.code}`).toBe(`${role} ${h.method}: ${status.PERMISSION_DENIED}`);
          expect(trailerOf(err, 'code')).toBe('FORBIDDEN');
          expect(trailerOf(err, 'reason')).toBe('ROLE_NOT_ALLOWED');
        }
      }
      expect([...refusedRoles].sort()).toEqual([Role.Operator, Role.Steward, Role.Viewer].sort());
    });
  });
});
