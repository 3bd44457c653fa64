import { request as httpRequest, ClientRequest } from 'node:http';
import { status } from '@grpc/grpc-js';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import {
  blackHole,
  BlackHole,
  CredentialTrap,
  fakeHttp,
  fakeMysql,
  fakePostgres,
  fakeRedis,
} from './support/credential-traps';
import { GrpcTestClient, trailerOf } from './support/grpc-client';
import { unique, waitFor } from './support/wait';
import { seedKeysOf } from './support/envelope';

const DS = '/api/v1/datasources';
const TPL = '/api/v1/templates';
const LOOPBACK = '127.0.0.1';

type Body = Record<string, unknown>;

const expectEnvelope = (body: Body, code: string) => {
  expect(seedKeysOf(body)).toEqual(['code', 'details', 'message', 'request_id']);
  expect(body.code).toBe(code);
};

describeE2E(
  'security: secrets stay with their address, no credentials in plain fields, bounded connection tests',
  () => {
    let t: TestApp;
    let auth: { Authorization: string };
    let grpc: GrpcTestClient;

    beforeAll(async () => {
      t = await bootApp({
        env: {
          HEALTH_CHECK_INTERVAL_SECONDS: '3600',
          CONNECTION_TEST_MAX_CONCURRENT: '3',
          CONNECTION_TEST_MAX_PER_USER: '2',
          CONNECTION_TEST_MAX_TIMEOUT_SECONDS: '15',
        },
      });
      auth = bearer(t.adminToken);
      grpc = new GrpcTestClient(t.grpcUrl);
    });
    afterAll(async () => {
      grpc?.close();
      await t?.close();
    });

    const create = async (body: Body) => {
      const res = await t.http.post(DS).set(auth).send(body);
      if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Body & { id: string; name: string; config: Body };
    };
    const expectRefused = (res: { status: number; body: Body }, field: string) => {
      expect(res.status).toBe(400);
      expectEnvelope(res.body, 'INVALID_REQUEST');
      expect(res.body.message).toContain(field);
    };

    describe('item 1: a masked or omitted secret is never sent to a changed address', () => {
      const kinds: Array<{ type: string; start: () => Promise<CredentialTrap>; extra: Body }> = [
        { type: 'postgresql', start: fakePostgres, extra: { username: 'admin', database: 'prod' } },
        { type: 'mysql', start: fakeMysql, extra: { username: 'admin', database: 'prod' } },
        { type: 'redis', start: fakeRedis, extra: {} },
      ];

      it.each(kinds.map((k) => [k.type, k] as const))(
        '%s: REST, import, templates and gRPC refuse the stored secret for a new port or host; the legitimate paths still log in',
        async (_, kind) => {
          const home = await kind.start();
          const fake = await kind.start();
          try {
            const stored = `stored-${kind.type}-${unique('pw')}`;
            const config = (port: number, extra: Body = {}) => ({
              host: LOOPBACK,
              port,
              timeout: 5,
              ...kind.extra,
              ...extra,
            });
            const ds = await create({
              name: unique(`home-${kind.type}`),
              type: kind.type,
              config: config(home.port, { password: stored }),
            });

            // Every way of pointing the stored secret at the fake server, masked or omitted.
            const attacks: Array<[string, Body]> = [
              ['config.password', { port: fake.port, password: '******' }],
              ['config.password', { port: fake.port }],
              ['config.password', { host: 'localhost', password: '******' }],
            ];
            for (const [field, changes] of attacks) {
              expectRefused(
                await t.http
                  .post(`${DS}/test`)
                  .set(auth)
                  .send({ type: kind.type, datasource_id: ds.id, config: changes }),
                field,
              );
              expectRefused(await t.http.put(`${DS}/${ds.id}`).set(auth).send({ config: changes }), field);
            }
            const put = await t.http
              .put(`${DS}/${ds.id}`)
              .set(auth)
              .send({ config: { port: fake.port } });
            expect(put.body.message).toContain(`config.port`);
            expect((await t.http.get(`${DS}/${ds.id}`).set(auth)).body.config).toMatchObject({
              port: home.port,
              password: '******',
            });

            // import over the existing source (an edited export)
            const exported = await t.http
              .post(`${DS}/export`)
              .set(auth)
              .send({ ids: [ds.id] });
            exported.body.data_sources[0].config.port = fake.port;
            const imported = await t.http
              .post(`${DS}/import`)
              .set(auth)
              .send({ ...exported.body, update_existing: true });
            expect(imported.status).toBe(200);
            expect(imported.body).toMatchObject({
              success: 0,
              failed: 1,
              errors: [{ index: 0, code: 'INVALID_REQUEST', message: expect.stringContaining('config.password') }],
            });

            // gRPC goes through the same services
            const grpcUpdate = await grpc.fail(
              'DataSourceService',
              'Update',
              { id: ds.id, config: { port: fake.port } },
              t.adminToken,
            );
            expect(grpcUpdate.code).toBe(status.INVALID_ARGUMENT);
            expect(trailerOf(grpcUpdate, 'code')).toBe('INVALID_REQUEST');
            expect(grpcUpdate.details).toContain('config.password');
            const grpcTest = await grpc.fail(
              'DataSourceService',
              'TestConfig',
              { type: kind.type, datasource_id: ds.id, config: { port: fake.port, password: '******' } },
              t.adminToken,
            );
            expect(grpcTest.code).toBe(status.INVALID_ARGUMENT);
            expect(grpcTest.details).toContain('config.password');

            // templates: applying, editing and importing one over a new address
            const tplSecret = `tpl-${kind.type}-${unique('pw')}`;
            const tpl = await t.http
              .post(TPL)
              .set(auth)
              .send({
                name: unique('tpl'),
                type: kind.type,
                config_template: config(home.port, { password: tplSecret }),
              });
            expect(tpl.status).toBe(201);
            expectRefused(
              await t.http
                .post(`${TPL}/${tpl.body.id}/apply`)
                .set(auth)
                .send({ name: unique('applied'), config_overrides: { port: fake.port } }),
              'config_overrides.password',
            );
            expectRefused(
              await t.http
                .put(`${TPL}/${tpl.body.id}`)
                .set(auth)
                .send({ config_template: { port: fake.port, password: '******' } }),
              'config_template.password',
            );
            const tplImport = await t.http
              .post(`${TPL}/import`)
              .set(auth)
              .send({
                update_existing: true,
                templates: [
                  { name: tpl.body.name, type: kind.type, config_template: config(fake.port, { password: '******' }) },
                ],
              });
            expect(tplImport.body).toMatchObject({
              success: 0,
              failed: 1,
              errors: [{ code: 'INVALID_REQUEST', message: expect.stringContaining('config_template.password') }],
            });

            // None of it reached the fake server.
            expect(fake.untouched()).toBe(true);
            expect(fake.received(stored)).toBe(false);
            expect(fake.received(tplSecret)).toBe(false);

            // Legitimate: the same address with "******" (or nothing) logs in with the stored secret ...
            expect(
              (
                await t.http
                  .post(`${DS}/test`)
                  .set(auth)
                  .send({ type: kind.type, datasource_id: ds.id, config: { password: '******', port: home.port } })
              ).status,
            ).toBe(200);
            await waitFor('the stored password at the home server', async () => home.received(stored));
            home.reset();
            expect((await t.http.post(`${DS}/${ds.id}/test`).set(auth)).status).toBe(200);
            await waitFor('the stored password at the home server (saved test)', async () => home.received(stored));

            // ... and a new address works once the secret is sent again.
            const again = `again-${kind.type}-${unique('pw')}`;
            expect(
              (
                await t.http
                  .post(`${DS}/test`)
                  .set(auth)
                  .send({ type: kind.type, datasource_id: ds.id, config: { port: fake.port, password: again } })
              ).status,
            ).toBe(200);
            await waitFor('the re-entered password at the new server', async () => fake.received(again));
            const moved = await t.http
              .put(`${DS}/${ds.id}`)
              .set(auth)
              .send({ config: { port: fake.port, password: again } });
            expect(moved.status).toBe(200);
            const applied = await t.http
              .post(`${TPL}/${tpl.body.id}/apply`)
              .set(auth)
              .send({ name: unique('applied'), config_overrides: { port: fake.port, password: again } });
            expect(applied.status).toBe(201);
            const grpcMoved = await grpc.call(
              'DataSourceService',
              'Update',
              { id: ds.id, config: { port: home.port, password: stored } },
              t.adminToken,
            );
            expect(grpcMoved.config).toMatchObject({ port: home.port, password: '******' });
            expect(fake.received(stored)).toBe(false);
            expect(fake.received(tplSecret)).toBe(false);
          } finally {
            await home.close();
            await fake.close();
          }
        },
      );
    });

    describe('item 13: credentials in non-secret fields are refused everywhere a config comes in', () => {
      it('URL userinfo and password= parameters get a 400 pointing at the secret field; nothing reaches the server or the audit log', async () => {
        const listener = await fakeHttp();
        try {
          const leak = unique('leaked-token');
          const viaUserinfo = { nodes: [`http://${leak}@${LOOPBACK}:${listener.port}`] };
          const viaParameter = {
            host: LOOPBACK,
            port: listener.port,
            management_url: `http://${LOOPBACK}:${listener.port}/?password=${leak}`,
          };
          const viaConnString = { host: LOOPBACK, port: 1, username: 'u', database: `prod;Pwd=${leak}` };
          const secretField = (res: { status: number; body: Body }, field: string) => {
            expectRefused(res, field);
            expect(`${res.body.message}`).toContain('secret field');
          };

          secretField(
            await t.http
              .post(DS)
              .set(auth)
              .send({ name: unique('es'), type: 'elasticsearch', config: viaUserinfo }),
            'config.nodes',
          );
          secretField(
            await t.http
              .post(DS)
              .set(auth)
              .send({ name: unique('mq'), type: 'rabbitmq', config: viaParameter }),
            'config.management_url',
          );
          secretField(
            await t.http
              .post(DS)
              .set(auth)
              .send({ name: unique('pg'), type: 'postgresql', config: viaConnString }),
            'config.database',
          );
          secretField(
            await t.http.post(`${DS}/test`).set(auth).send({ type: 'elasticsearch', config: viaUserinfo }),
            'config.nodes',
          );
          secretField(
            await t.http.post(`${DS}/test`).set(auth).send({ type: 'rabbitmq', config: viaParameter }),
            'config.management_url',
          );

          const es = await create({
            name: unique('es-ok'),
            type: 'elasticsearch',
            config: {
              nodes: [`http://${LOOPBACK}:${listener.port}`],
              username: 'elastic',
              password: 'in-the-secret-field',
            },
          });
          secretField(await t.http.put(`${DS}/${es.id}`).set(auth).send({ config: viaUserinfo }), 'config.nodes');
          secretField(
            await t.http
              .post(`${DS}/test`)
              .set(auth)
              .send({ type: 'elasticsearch', datasource_id: es.id, config: viaUserinfo }),
            'config.nodes',
          );
          secretField(
            await t.http
              .post(`${DS}/import`)
              .set(auth)
              .send({
                continue_on_error: true,
                data_sources: [{ name: unique('mq'), type: 'rabbitmq', config: viaParameter }],
              }),
            'data_sources[0].config.management_url',
          );

          secretField(
            await t.http
              .post(TPL)
              .set(auth)
              .send({ name: unique('tpl'), type: 'rabbitmq', config_template: viaParameter }),
            'config_template.management_url',
          );
          const tpl = await t.http
            .post(TPL)
            .set(auth)
            .send({ name: unique('tpl'), type: 'elasticsearch', config_template: { username: 'elastic' } });
          secretField(
            await t.http.put(`${TPL}/${tpl.body.id}`).set(auth).send({ config_template: viaUserinfo }),
            'config_template.nodes',
          );
          secretField(
            await t.http
              .post(`${TPL}/${tpl.body.id}/apply`)
              .set(auth)
              .send({ name: unique('applied'), config_overrides: viaUserinfo }),
            'config_overrides.nodes',
          );
          secretField(
            await t.http
              .post(`${TPL}/import`)
              .set(auth)
              .send({ templates: [{ name: unique('tpl'), type: 'postgresql', config_template: viaConnString }] }),
            'templates[0].config_template.database',
          );

          const overGrpc = await grpc.fail(
            'DataSourceService',
            'Create',
            { name: unique('grpc-mq'), type: 'rabbitmq', config: viaParameter },
            t.adminToken,
          );
          expect(overGrpc.code).toBe(status.INVALID_ARGUMENT);
          expect(overGrpc.details).toContain('config.management_url');

          expect(listener.untouched()).toBe(true);
          const audit = await t.store.query('SELECT details FROM audit_logs');
          expect(audit.map((r) => String(r.details)).join('\n')).not.toContain(leak);
          const stored = await t.store.query('SELECT config FROM data_sources');
          expect(stored.map((r) => String(r.config)).join('\n')).not.toContain(leak);

          // The same credential in the secret field is fine.
          await create({
            name: unique('mq-ok'),
            type: 'rabbitmq',
            config: {
              host: LOOPBACK,
              port: listener.port,
              management_url: `http://${LOOPBACK}:${listener.port}`,
              management_password: leak,
            },
          });
        } finally {
          await listener.close();
        }
      });
    });

    describe('item 6: ad-hoc connection tests are capped, time-bounded and abandoned with their client', () => {
      let hole: BlackHole;
      const open: ClientRequest[] = [];
      beforeAll(async () => {
        hole = await blackHole();
      });
      afterAll(async () => {
        for (const req of open) req.destroy();
        await hole?.close();
      });

      /** A test request whose client can hang up; resolves with the answer if one comes. */
      const startTest = (token: string, path: string, body: Body) => {
        const url = new URL(`${t.baseUrl}${path}`);
        const payload = JSON.stringify(body);
        let req!: ClientRequest;
        const answer = new Promise<{ status: number; headers: Record<string, unknown>; body: Body }>(
          (resolve, reject) => {
            req = httpRequest(
              {
                host: url.hostname,
                port: url.port,
                path: url.pathname,
                method: 'POST',
                headers: {
                  Authorization: `Bearer ${token}`,
                  'Content-Type': 'application/json',
                  'Content-Length': Buffer.byteLength(payload),
                },
              },
              (res) => {
                let text = '';
                res.on('data', (c: Buffer) => (text += c.toString()));
                res.on('end', () =>
                  resolve({
                    status: res.statusCode ?? 0,
                    headers: res.headers,
                    body: text ? (JSON.parse(text) as Body) : {},
                  }),
                );
              },
            );
            req.on('error', reject);
            req.end(payload);
          },
        );
        answer.catch(() => undefined);
        open.push(req);
        return { req, answer };
      };
      const holeConfig = (timeout: number) => ({
        host: LOOPBACK,
        port: hole.port,
        username: 'u',
        password: 'p',
        database: 'd',
        timeout,
      });
      const untilTalking = (n: number) =>
        waitFor(`${n} sockets held at the black hole`, async () => hole.talking() === n);

      it('beyond the per-user and per-instance caps: 429 with Retry-After; a client that hangs up frees its slot and its socket; a long timeout is capped', async () => {
        const operator = await t.tokenFor('operator');
        const saved = await create({ name: unique('hole'), type: 'postgresql', config: holeConfig(3600) });

        const a1 = startTest(t.adminToken, `${DS}/test`, { type: 'postgresql', config: holeConfig(3600) });
        const a2At = Date.now();
        const a2 = startTest(t.adminToken, `${DS}/test`, { type: 'postgresql', config: holeConfig(3600) });
        await untilTalking(2);
        const a3 = await startTest(t.adminToken, `${DS}/test`, { type: 'postgresql', config: holeConfig(3600) }).answer;
        expect(a3.status).toBe(429);
        expectEnvelope(a3.body, 'RATE_LIMITED');
        expect(Number(a3.headers['retry-after'])).toBeGreaterThan(0);

        const o1 = startTest(operator, `${DS}/${saved.id}/test`, {});
        await untilTalking(3);
        const o2 = await startTest(operator, `${DS}/test`, { type: 'postgresql', config: holeConfig(3600) }).answer;
        expect(o2.status).toBe(429);
        expect(o2.headers['retry-after']).toBeDefined();
        expect(String(o2.body.message)).toContain('instance');

        // The client of a1 hangs up: its test is abandoned, the socket to the black hole closes, the slot is free again.
        const closedBefore = hole.closedTalking;
        const hungUpAt = Date.now();
        a1.req.destroy();
        await waitFor(
          'the abandoned test to close its socket',
          async () => hole.closedTalking > closedBefore,
          5000,
          20,
        );
        expect(Date.now() - hungUpAt).toBeLessThan(5000);
        const a4 = startTest(t.adminToken, `${DS}/test`, { type: 'postgresql', config: holeConfig(3600) });
        await untilTalking(3);

        // A saved source whose test was abandoned is not marked as failing.
        o1.req.destroy();
        await untilTalking(2);
        await waitFor(
          'the saved source back to its status',
          async () => (await t.http.get(`${DS}/${saved.id}`).set(auth)).body.status === 'active',
        );

        // The requested timeout of 3600 s is capped at CONNECTION_TEST_MAX_TIMEOUT_SECONDS (15 s here).
        const capped = await a2.answer;
        expect(capped.status).toBe(200);
        expect(capped.body).toMatchObject({ success: false });
        expect(Date.now() - a2At).toBeLessThan(35_000);
        a4.req.destroy();
        await untilTalking(0);
      });
    });
  },
);
