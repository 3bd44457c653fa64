import {
  credentials,
  GrpcObject,
  loadPackageDefinition,
  Metadata,
  ServiceClientConstructor,
  ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_ROOT, protoFiles } from '../../src/grpc/grpc-server';
import { registerStructAsJson } from '../../src/grpc/struct-json';
import { LoadResult, percentile } from './load-result';

type Unary = (
  request: object,
  metadata: Metadata,
  callback: (err: ServiceError | null, response: object) => void,
) => void;

/** A DataSourceService client as users configure one (JSON structs, defaults on). */
export function dataSourceClient(url: string): { List: Unary; close(): void } {
  registerStructAsJson();
  const definition = loadSync(protoFiles(), {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
    arrays: true,
    oneofs: false,
    includeDirs: [PROTO_ROOT],
  });
  const v1 = (loadPackageDefinition(definition).metadata as GrpcObject).v1 as GrpcObject;
  const Ctor = v1.DataSourceService as ServiceClientConstructor;
  return new Ctor(url, credentials.createInsecure()) as unknown as { List: Unary; close(): void };
}

export function listOnce(client: { List: Unary }, metadata: Metadata, request: object): Promise<object> {
  return new Promise((resolve, reject) =>
    client.List(request, metadata, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

/**
 * Keeps `concurrency` List calls in flight on one channel for `durationMs` and records each call's
 * latency (what autocannon does for HTTP).
 */
export async function grpcLoad(
  url: string,
  token: string | undefined,
  request: object,
  concurrency: number,
  durationMs: number,
): Promise<LoadResult> {
  const client = dataSourceClient(url);
  const metadata = new Metadata();
  if (token) metadata.set('authorization', `Bearer ${token}`);
  const latencies: number[] = [];
  let errors = 0;
  const started = process.hrtime.bigint();
  const end = Date.now() + durationMs;
  const worker = async () => {
    while (Date.now() < end) {
      const t0 = process.hrtime.bigint();
      try {
        await listOnce(client, metadata, request);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  client.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}
