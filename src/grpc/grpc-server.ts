import { Server } from '@grpc/grpc-js';
import { Options, PackageDefinition, loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { INestApplication } from '@nestjs/common';
import { GrpcOptions, Transport } from '@nestjs/microservices';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppConfig, appConfig } from '../config/configuration';
import { GrpcMetrics } from '../metrics/grpc-metrics';
import { withFileDependencies } from './reflection-descriptors';
import { registerStructAsJson, registerValueFields } from './struct-json';

export const GRPC_PACKAGE = 'metadata.v1';

/** proto/ beside src/ (ts-node, Jest) and dist/proto beside dist/src (the build copies it as assets). */
export const PROTO_ROOT = join(__dirname, '..', '..', 'proto');

/** Every .proto of the package: a new file is served without touching code. */
export function protoFiles(): string[] {
  const dir = join(PROTO_ROOT, ...GRPC_PACKAGE.split('.'));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.proto'))
    .sort()
    .map((f) => `${GRPC_PACKAGE.split('.').join('/')}/${f}`);
}

/**
 * How messages become handler arguments: the proto field names as written (the REST JSON names),
 * and only the fields the caller set (`defaults: false`), so the REST DTO classes validate them as
 * they validate a JSON body, and absent fields of an update stay absent.
 */
export const PROTO_LOADER_OPTIONS: Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: false,
  arrays: false,
  objects: false,
  oneofs: false,
};

export function loadMetadataProtos(): PackageDefinition {
  registerStructAsJson();
  const definition = loadSync(protoFiles(), { ...PROTO_LOADER_OPTIONS, includeDirs: [PROTO_ROOT] });
  registerValueFields(definition);
  return definition;
}

/** `host:port` for grpc-js, with IPv6 hosts in brackets. */
export function grpcUrl(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The services every grpcurl user expects beside ours: grpc.health.v1.Health and server reflection. */
function addStandardServices(server: Server, definition: PackageDefinition, health: HealthImplementation): void {
  const healthDefinition = loadSync(healthProtoPath, {
    ...PROTO_LOADER_OPTIONS,
    includeDirs: [dirname(dirname(dirname(healthProtoPath)))],
  });
  new ReflectionService(withFileDependencies({ ...definition, ...healthDefinition })).addToServer(server);
  health.addToServer(server);
}

function serviceNames(definition: PackageDefinition): string[] {
  return Object.entries(definition)
    .filter(([, value]) => !('format' in value))
    .map(([name]) => name);
}

/**
 * Serves the whole API over gRPC beside HTTP, in the same process, through the same modules:
 * `inheritAppConfig` gives RPC handlers the global pipes, guards and filters of the HTTP app.
 */
export async function connectGrpc(app: INestApplication, url: string): Promise<void> {
  // A hybrid app's microservice does not wait for the app's init hooks (admin seeding, built-in
  // templates, schedulers); running them first means no call lands before they are done.
  await app.init();
  const definition = loadMetadataProtos();
  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  app.connectMicroservice<GrpcOptions>(
    {
      transport: Transport.GRPC,
      options: {
        url,
        package: GRPC_PACKAGE,
        packageDefinition: definition,
        // grpc-js refuses a larger request with RESOURCE_EXHAUSTED before decoding it (GRPC_MAX_MESSAGE_BYTES).
        maxReceiveMessageLength: app.get<AppConfig>(appConfig.KEY).grpcMaxMessageBytes,
        onLoadPackageDefinition: (_pkg: unknown, server: Server) => {
          app.get(GrpcMetrics).instrument(server);
          addStandardServices(server, definition, health);
        },
      },
    },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  for (const name of ['', ...serviceNames(definition)]) health.setStatus(name, 'SERVING');
}
