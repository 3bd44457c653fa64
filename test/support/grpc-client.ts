/**
 * A plain @grpc/grpc-js client for the e2e suites, loading the same .proto files a user would.
 * Struct fields read and write as JSON (registerStructAsJson), as a Node user can do too.
 */
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

type Unary = (
  request: object,
  metadata: Metadata,
  callback: (err: ServiceError | null, response: unknown) => void,
) => void;
interface ReadableCall {
  on(event: 'data', listener: (message: unknown) => void): ReadableCall;
  on(event: 'error', listener: (err: ServiceError) => void): ReadableCall;
  on(event: 'end', listener: () => void): ReadableCall;
  on(event: 'status', listener: (status: { code: number; metadata: Metadata }) => void): ReadableCall;
  cancel(): void;
}
type ServerStream = (request: object, metadata: Metadata) => ReadableCall;
type Client = Record<string, Unary | ServerStream> & { close(): void };

export interface StreamResult<T> {
  messages: T[];
  error?: ServiceError;
}

export class GrpcTestClient {
  private readonly clients = new Map<string, Client>();
  private readonly pkg: GrpcObject;

  constructor(private readonly url: string) {
    registerStructAsJson();
    // Client-side decoding as most users configure it: defaults on, so `total: 0` and `success: false` show.
    const definition = loadSync(protoFiles(), {
      keepCase: true,
      longs: Number,
      enums: String,
      defaults: true,
      arrays: true,
      oneofs: false,
      includeDirs: [PROTO_ROOT],
    });
    this.pkg = loadPackageDefinition(definition);
  }

  private client(service: string): Client {
    let client = this.clients.get(service);
    if (!client) {
      const v1 = (this.pkg.metadata as GrpcObject).v1 as GrpcObject;
      const Ctor = v1[service] as ServiceClientConstructor | undefined;
      if (!Ctor) throw new Error(`no service metadata.v1.${service} in the protos`);
      client = new Ctor(this.url, credentials.createInsecure()) as unknown as Client;
      this.clients.set(service, client);
    }
    return client;
  }

  static metadata(token?: string, extra: Record<string, string> = {}): Metadata {
    const md = new Metadata();
    if (token) md.set('authorization', `Bearer ${token}`);
    for (const [k, v] of Object.entries(extra)) md.set(k, v);
    return md;
  }

  /** A unary call that must succeed. */
  async call<T = Record<string, unknown>>(
    service: string,
    method: string,
    request: object,
    token?: string,
  ): Promise<T> {
    const outcome = await this.attempt<T>(service, method, request, token);
    if (outcome.error) {
      const e = outcome.error;
      throw new Error(`${service}.${method} failed: ${e.code} ${e.details} ${JSON.stringify(e.metadata.getMap())}`);
    }
    return outcome.response as T;
  }

  /** A unary call that must fail: the gRPC error with its status code and trailing metadata. */
  async fail(
    service: string,
    method: string,
    request: object,
    token?: string,
    extra?: Record<string, string>,
  ): Promise<ServiceError> {
    const outcome = await this.attempt(service, method, request, token, extra);
    if (!outcome.error)
      throw new Error(`${service}.${method} succeeded but should have failed: ${JSON.stringify(outcome.response)}`);
    return outcome.error;
  }

  attempt<T>(
    service: string,
    method: string,
    request: object,
    token?: string,
    extra?: Record<string, string>,
  ): Promise<{ response?: T; error?: ServiceError }> {
    const fn = this.client(service)[method] as Unary | undefined;
    if (typeof fn !== 'function') throw new Error(`no method ${service}.${method}`);
    return new Promise((resolve) => {
      fn.call(this.client(service), request, GrpcTestClient.metadata(token, extra), (err, response) => {
        resolve(err ? { error: err } : { response: response as T });
      });
    });
  }

  /** A server stream read to its end (or its error); `onMessage` may cancel it by returning false. */
  stream<T = Record<string, unknown>>(
    service: string,
    method: string,
    request: object,
    token?: string,
    onMessage?: (m: T) => boolean | void,
  ): Promise<StreamResult<T>> {
    const fn = this.client(service)[method] as ServerStream | undefined;
    if (typeof fn !== 'function') throw new Error(`no method ${service}.${method}`);
    return new Promise((resolve) => {
      const messages: T[] = [];
      const call = fn.call(this.client(service), request, GrpcTestClient.metadata(token));
      call.on('data', (m) => {
        messages.push(m as T);
        if (onMessage?.(m as T) === false) call.cancel();
      });
      call.on('error', (error) => resolve({ messages, error }));
      call.on('end', () => resolve({ messages }));
    });
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}

/** The envelope's parts a failed call carries in its trailing metadata. */
export function trailerOf(err: ServiceError, key: string): string | undefined {
  const v = err.metadata?.get(key)[0];
  return v === undefined ? undefined : String(v);
}
