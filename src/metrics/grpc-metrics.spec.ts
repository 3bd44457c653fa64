import { Server, ServiceDefinition, status, UntypedServiceImplementation } from '@grpc/grpc-js';
import { EventEmitter } from 'node:events';
import { GrpcMetrics } from './grpc-metrics';
import { MetricsService } from './metrics.service';

type Handler = (...args: unknown[]) => void;

/** A grpc-js Server stand-in that keeps what is added to it. */
function fakeServer(): { server: Server; added: UntypedServiceImplementation[] } {
  const added: UntypedServiceImplementation[] = [];
  const server = { addService: (_s: ServiceDefinition, impl: UntypedServiceImplementation) => added.push(impl) };
  return { server: server as unknown as Server, added };
}

const method = (path: string, responseStream: boolean) => ({ path, requestStream: false, responseStream });
const service = {
  Get: method('/metadata.v1.DataSourceService/Get', false),
  Watch: method('/metadata.v1.TaskService/WatchExecution', true),
} as unknown as ServiceDefinition;

/** Like grpc-js's ServerWritableStream: an emitted error ends the call with that error's status. */
class FakeStream extends EventEmitter {
  ended = 0;
  constructor(readonly request: { fail?: number; hang?: boolean }) {
    super();
    this.on('error', () => this.end());
  }
  end(): this {
    this.ended++;
    return this;
  }
}

async function handled(metrics: MetricsService): Promise<Record<string, number>> {
  const json = await metrics.registry.getMetricsAsJSON();
  const family = json.find((m) => m.name === 'grpc_server_handled_total');
  const out: Record<string, number> = {};
  for (const v of (family?.values ?? []) as Array<{ labels: Record<string, string>; value: number }>)
    out[`${v.labels.grpc_method}:${v.labels.grpc_code}`] = v.value;
  return out;
}

describe('GrpcMetrics', () => {
  let metrics: MetricsService;
  let impl: UntypedServiceImplementation;

  beforeEach(() => {
    metrics = new MetricsService();
    const { server, added } = fakeServer();
    new GrpcMetrics(metrics).instrument(server);
    server.addService(service, {
      Get: ((call: { request: { fail?: number } }, callback: Handler) =>
        call.request.fail ? callback({ code: call.request.fail, details: 'no' }) : callback(null, {})) as never,
      Watch: ((call: FakeStream) => {
        if (call.request.hang) return;
        if (call.request.fail) call.emit('error', { code: call.request.fail });
        else call.end();
      }) as never,
    });
    impl = added[0];
  });

  it('counts unary calls by method and status code, once each', async () => {
    const get = impl.Get as unknown as (call: unknown, cb: Handler) => void;
    const answers: unknown[] = [];
    get(Object.assign(new EventEmitter(), { request: {} }), (err) => answers.push(err));
    get(Object.assign(new EventEmitter(), { request: { fail: status.NOT_FOUND } }), (err) => answers.push(err));
    expect(answers).toEqual([null, { code: status.NOT_FOUND, details: 'no' }]);
    expect(await handled(metrics)).toEqual({ 'Get:OK': 1, 'Get:NotFound': 1 });
  });

  it('counts a server stream by the code it ends with, and a cancelled one as CANCELLED', async () => {
    const watch = impl.Watch as unknown as (call: unknown) => void;
    const ok = new FakeStream({});
    watch(ok);
    const denied = new FakeStream({ fail: status.PERMISSION_DENIED });
    watch(denied);
    const cancelled = new FakeStream({ hang: true });
    watch(cancelled);
    cancelled.emit('cancelled');
    expect([ok.ended, denied.ended]).toEqual([1, 1]);
    expect(await handled(metrics)).toEqual({
      'WatchExecution:OK': 1,
      'WatchExecution:PermissionDenied': 1,
      'WatchExecution:Canceled': 1,
    });
  });
});
