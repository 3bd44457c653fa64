/**
 * Request-path benchmark.
 *
 *   npm run bench:api [-- --store sqlite|postgres] [--duration 5] [--connections 50] [--rounds 2]
 *                      [--leak-requests 200000] [--routes name,name]
 *
 * Starts the built service as shipped (see service.ts) and, in the same run, a bare NestJS handler
 * that returns each route's body byte for byte (bare-http.ts) and a bare grpc-js server answering
 * DataSourceService/List with the service's own response (bare-grpc.ts). Each route is driven with
 * autocannon at the same connection count against the service and then the bare handler,
 * alternating for --rounds rounds (the best of each is kept, as the machine may be shared); the
 * table gives req/s, p50 and p99 per route and the ratio to the bare handler. Then --leak-requests
 * mixed requests, with the service's RSS after the first 10,000 and at the end.
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { grpcLoad, dataSourceClient, listOnce } from './grpc-load';
import { LoadResult, withCpu } from './load-result';
import { Child, freePort, startNode, TS_NODE } from './processes';
import { RunningService, startService } from './service';
import { Metadata } from '@grpc/grpc-js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

interface Route {
  name: string;
  path: (s: RunningService) => string;
  auth: boolean;
}

const ROUTES: Route[] = [
  { name: 'GET /datasources', path: () => '/datasources?page_size=20', auth: true },
  { name: 'GET /datasources/{id}', path: (s) => `/datasources/${s.dataSourceId}`, auth: true },
  { name: 'GET /tasks', path: () => '/tasks', auth: true },
  { name: 'GET /metadata/assets/{id}', path: (s) => `/metadata/assets/${s.assetId}`, auth: true },
  { name: 'GET /metadata/search', path: (s) => `/metadata/search?q=${s.searchTerm}`, auth: true },
  { name: 'GET /me', path: () => '/me', auth: true },
  { name: 'GET /health', path: () => '/health', auth: false },
];

async function httpLoad(
  url: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const result = await autocannon({ url, headers, connections, duration: seconds });
  const ok = result['2xx'];
  return {
    requests: ok,
    errors: result.errors + result.non2xx,
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

/** The run with more req/s, and the lowest CPU time per request of either (the least disturbed by other load). */
function better(a: LoadResult | undefined, b: LoadResult): LoadResult {
  if (!a) return b;
  const best = b.rps > a.rps ? b : a;
  return { ...best, cpuUs: Math.min(a.cpuUs ?? Infinity, b.cpuUs ?? Infinity) };
}
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

async function main(): Promise<void> {
  const store = option('store', 'sqlite') as 'sqlite' | 'postgres';
  const seconds = Number(option('duration', '5'));
  const connections = Number(option('connections', '50'));
  const rounds = Number(option('rounds', '2'));
  const leakRequests = Number(option('leak-requests', '200000'));
  const only = option('routes', '');
  const routes = only ? ROUTES.filter((r) => only.split(',').includes(r.name)) : ROUTES;
  const logDir = mkdtempSync(join(tmpdir(), 'bench-api-logs-'));

  console.log(
    `bench:api — store ${store}, ${connections} connections, ${seconds} s a run, ${rounds} rounds; ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const service = await startService(store, logDir);
  const children: Child[] = [];
  try {
    const auth = { Authorization: `Bearer ${service.token}` };
    const bodies: Record<string, string> = {};
    for (const [i, route] of routes.entries()) {
      const res = await fetch(`${service.base}${route.path(service)}`, { headers: route.auth ? auth : {} });
      if (!res.ok) throw new Error(`${route.name}: ${res.status}`);
      bodies[String(i)] = await res.text();
    }
    const bodiesFile = join(logDir, 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    const barePort = await freePort();
    const bareBase = `http://127.0.0.1:${barePort}/bare`;
    const bareHttp = await startNode(
      [...TS_NODE, 'bench/api/bare-http.ts'],
      { PORT: String(barePort), BODIES: bodiesFile },
      join(logDir, 'bare-http.log'),
      async () => (await fetch(`${bareBase}/0`)).ok,
    );
    children.push(bareHttp);

    const listRequest = { page: 1, page_size: 20 };
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${service.token}`);
    const client = dataSourceClient(service.grpcUrl);
    const listResponse = await listOnce(client, metadata, listRequest);
    client.close();
    const responseFile = join(logDir, 'grpc-list.json');
    writeFileSync(responseFile, JSON.stringify(listResponse));
    const bareGrpcPort = await freePort();
    const bareGrpcUrl = `127.0.0.1:${bareGrpcPort}`;
    const bareGrpc = await startNode(
      [...TS_NODE, 'bench/api/bare-grpc.ts'],
      { PORT: String(bareGrpcPort), RESPONSE: responseFile },
      join(logDir, 'bare-grpc.log'),
      async () => {
        const probe = dataSourceClient(bareGrpcUrl);
        try {
          await listOnce(probe, new Metadata(), listRequest);
          return true;
        } finally {
          probe.close();
        }
      },
    );
    children.push(bareGrpc);

    const rows: Array<{ name: string; bytes: number; svc: LoadResult; bare: LoadResult }> = [];
    for (const [i, route] of routes.entries()) {
      const url = `${service.base}${route.path(service)}`;
      await httpLoad(url, route.auth ? auth : {}, connections, 1); // warm-up
      await httpLoad(`${bareBase}/${i}`, {}, connections, 1);
      let svc: LoadResult | undefined;
      let bare: LoadResult | undefined;
      for (let r = 0; r < rounds; r++) {
        svc = better(
          svc,
          await withCpu(service.child, () => httpLoad(url, route.auth ? auth : {}, connections, seconds)),
        );
        bare = better(bare, await withCpu(bareHttp, () => httpLoad(`${bareBase}/${i}`, {}, connections, seconds)));
      }
      rows.push({ name: route.name, bytes: Buffer.byteLength(bodies[String(i)]), svc: svc!, bare: bare! });
    }
    let grpcSvc: LoadResult | undefined;
    let grpcBare: LoadResult | undefined;
    await grpcLoad(service.grpcUrl, service.token, listRequest, connections, 1000);
    await grpcLoad(bareGrpcUrl, undefined, listRequest, connections, 1000);
    for (let r = 0; r < rounds; r++) {
      grpcSvc = better(
        grpcSvc,
        await withCpu(service.child, () =>
          grpcLoad(service.grpcUrl, service.token, listRequest, connections, seconds * 1000),
        ),
      );
      grpcBare = better(
        grpcBare,
        await withCpu(bareGrpc, () => grpcLoad(bareGrpcUrl, undefined, listRequest, connections, seconds * 1000)),
      );
    }
    rows.push({
      name: 'gRPC DataSourceService/List',
      bytes: JSON.stringify(listResponse).length,
      svc: grpcSvc!,
      bare: grpcBare!,
    });

    console.log('');
    console.log(
      `${'route'.padEnd(30)} ${'bytes'.padStart(6)} | ${'service req/s'.padStart(13)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(6)} ${'CPU µs'.padStart(7)} | ${'bare req/s'.padStart(10)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'CPU µs'.padStart(7)} | ratio req/s  ratio CPU`,
    );
    for (const { name, bytes, svc, bare } of rows) {
      console.log(
        `${name.padEnd(30)} ${String(bytes).padStart(6)} | ${fmt(svc.rps).padStart(13)} ${fmt(svc.p50, 1).padStart(7)} ${fmt(svc.p99, 1).padStart(7)} ${String(svc.errors).padStart(6)} ${fmt(svc.cpuUs ?? NaN).padStart(7)} | ${fmt(bare.rps).padStart(10)} ${fmt(bare.p50, 1).padStart(7)} ${fmt(bare.p99, 1).padStart(7)} ${fmt(bare.cpuUs ?? NaN).padStart(7)} | ${`${fmt((100 * svc.rps) / bare.rps)} %`.padStart(11)}  ${`${fmt((100 * (bare.cpuUs ?? NaN)) / (svc.cpuUs ?? NaN))} %`.padStart(9)}`,
      );
    }
    console.log(
      "ratio CPU: the bare server's CPU time per request over the service's, the req/s ratio both would reach on idle cores.",
    );

    if (leakRequests > 0) {
      // Every route in turn on every connection: the mix a console or a client library sends.
      const requests = routes.map((r) => ({
        method: 'GET' as const,
        path: `/api/v1${r.path(service)}`,
        headers: r.auth ? auth : {},
      }));
      const origin = service.base.replace(/\/api\/v1$/, '');
      const first = Math.min(10_000, leakRequests);
      await autocannon({ url: origin, connections, amount: first, requests });
      const rssAfterFirst = service.child.rssMiB();
      const rest = await autocannon({ url: origin, connections, amount: leakRequests - first, requests });
      const rssAtEnd = service.child.rssMiB();
      console.log('');
      console.log(
        `memory: RSS after ${first.toLocaleString('en')} mixed requests ${fmt(rssAfterFirst, 1)} MiB; after ${leakRequests.toLocaleString('en')} ${fmt(rssAtEnd, 1)} MiB (${rssAtEnd - rssAfterFirst >= 0 ? '+' : ''}${fmt(rssAtEnd - rssAfterFirst, 1)} MiB); non-2xx in the mix: ${rest.non2xx}`,
      );
    }
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; logs in ${logDir}`,
    );
  } finally {
    for (const child of children) await child.stop();
    await service.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
