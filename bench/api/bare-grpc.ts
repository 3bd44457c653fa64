/**
 * The baseline gRPC server: plain @grpc/grpc-js serving metadata.v1.DataSourceService/List from the
 * same .proto files, answering every call with the response the service gave (loaded from a file),
 * with no interceptors, auth or store.
 *
 *   PORT=… RESPONSE=file.json node -r ts-node/register/transpile-only bench/api/bare-grpc.ts
 */
import { readFileSync } from 'node:fs';
import { GrpcObject, loadPackageDefinition, Server, ServerCredentials, ServiceClientConstructor } from '@grpc/grpc-js';
import { loadMetadataProtos } from '../../src/grpc/grpc-server';

const response = JSON.parse(readFileSync(process.env.RESPONSE!, 'utf8')) as object;
const v1 = (loadPackageDefinition(loadMetadataProtos()).metadata as GrpcObject).v1 as GrpcObject;
const service = (v1.DataSourceService as ServiceClientConstructor).service;

const server = new Server();
server.addService(service, {
  List: (_call: unknown, callback: (err: null, value: object) => void) => callback(null, response),
});
server.bindAsync(`127.0.0.1:${process.env.PORT}`, ServerCredentials.createInsecure(), (err) => {
  if (err) throw err;
});
