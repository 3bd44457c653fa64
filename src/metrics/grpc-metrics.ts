import {
  sendUnaryData,
  Server,
  ServerUnaryCall,
  ServerWritableStream,
  ServiceDefinition,
  status as GrpcStatus,
  UntypedHandleCall,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from './metrics.service';

type Labels = 'grpc_service' | 'grpc_method' | 'grpc_type';

/**
 * The status code's name as grpc-go spells it (OK, NotFound, Canceled…), the grpc_code values the
 * grpc-ecosystem dashboards and alerts expect.
 */
function codeName(code: number): string {
  if (code === GrpcStatus.CANCELLED) return 'Canceled';
  const name = GrpcStatus[code] ?? 'UNKNOWN';
  return name === 'OK' ? name : name.toLowerCase().replace(/(?:^|_)([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function codeOf(err: unknown): number {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' && GrpcStatus[code] !== undefined ? code : GrpcStatus.UNKNOWN;
}

/**
 * gRPC calls beside the HTTP ones, with the grpc-ecosystem names (grpc_server_started_total,
 * grpc_server_handled_total, grpc_server_handling_seconds). Counted at the grpc-js server, so calls
 * refused by a guard or a validation pipe count with their status code too.
 */
@Injectable()
export class GrpcMetrics {
  private readonly started: Counter<Labels>;
  private readonly handled: Counter<Labels | 'grpc_code'>;
  private readonly latency: Histogram<Labels>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.started = new Counter({
      name: 'grpc_server_started_total',
      help: 'gRPC calls started on the server, by service, method and type',
      labelNames: ['grpc_service', 'grpc_method', 'grpc_type'],
      registers,
    });
    this.handled = new Counter({
      name: 'grpc_server_handled_total',
      help: 'gRPC calls completed on the server, by service, method, type and status code',
      labelNames: ['grpc_service', 'grpc_method', 'grpc_type', 'grpc_code'],
      registers,
    });
    this.latency = new Histogram({
      name: 'grpc_server_handling_seconds',
      help: 'Time from the start of a gRPC call to its status, by service, method and type',
      labelNames: ['grpc_service', 'grpc_method', 'grpc_type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
      registers,
    });
  }

  /** Wraps every unary and server-streaming handler added to `server` from now on. */
  instrument(server: Server): void {
    const addService = server.addService.bind(server);
    server.addService = (service: ServiceDefinition, implementation: UntypedServiceImplementation) => {
      const wrapped: UntypedServiceImplementation = { ...implementation };
      for (const [name, handler] of Object.entries(implementation)) {
        const method = service[name];
        if (!method || method.requestStream) continue;
        const [, grpcService = 'unknown', grpcMethod = name] = /^\/([^/]+)\/([^/]+)$/.exec(method.path) ?? [];
        const labels = {
          grpc_service: grpcService,
          grpc_method: grpcMethod,
          grpc_type: method.responseStream ? 'server_stream' : 'unary',
        };
        wrapped[name] = method.responseStream ? this.wrapStream(handler, labels) : this.wrapUnary(handler, labels);
      }
      addService(service, wrapped);
    };
  }

  private tracker(labels: Record<Labels, string>): (code: number) => void {
    this.started.inc(labels);
    const start = process.hrtime.bigint();
    let done = false;
    return (code) => {
      if (done) return;
      done = true;
      this.handled.inc({ ...labels, grpc_code: codeName(code) });
      this.latency.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
    };
  }

  private wrapUnary(handler: UntypedHandleCall, labels: Record<Labels, string>): UntypedHandleCall {
    const unary = handler as (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => void;
    return ((call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      const finish = this.tracker(labels);
      call.on('cancelled', () => finish(GrpcStatus.CANCELLED));
      const counted: sendUnaryData<unknown> = (err, ...rest) => {
        finish(err ? codeOf(err) : GrpcStatus.OK);
        callback(err, ...rest);
      };
      return unary(call, counted);
    }) as UntypedHandleCall;
  }

  private wrapStream(handler: UntypedHandleCall, labels: Record<Labels, string>): UntypedHandleCall {
    const stream = handler as (call: ServerWritableStream<unknown, unknown>) => void;
    return ((call: ServerWritableStream<unknown, unknown>) => {
      const finish = this.tracker(labels);
      // An error is emitted before grpc-js ends the call with it, so it is seen first.
      const emit = call.emit.bind(call);
      call.emit = (event: string | symbol, ...args: unknown[]) => {
        if (event === 'error') finish(codeOf(args[0]));
        if (event === 'cancelled') finish(GrpcStatus.CANCELLED);
        return emit(event, ...args);
      };
      const end = call.end.bind(call) as (...args: unknown[]) => ServerWritableStream<unknown, unknown>;
      call.end = ((...args: unknown[]) => {
        finish(GrpcStatus.OK);
        return end(...args);
      }) as typeof call.end;
      return stream(call);
    }) as UntypedHandleCall;
  }
}
