import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createAddressGuard } from './address-policy';
import { ConnectorErrorCode } from './errors';
import { createGuardedFetch } from './guarded-fetch';

// Loopback only: the servers listen on 127.0.0.x and the resolver answers 127.0.0.x.
interface Seen {
  localAddress: string;
  host: string;
  path: string;
}

async function listen(
  address: string,
  answer: (path: string) => { status: number; headers?: Record<string, string>; body?: string },
): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ localAddress: req.socket.localAddress ?? '', host: req.headers.host ?? '', path: req.url ?? '' });
    const a = answer(req.url ?? '');
    res.writeHead(a.status, a.headers).end(a.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

const close = (server: Server) => new Promise((resolve) => server.close(resolve));

describe('guarded fetch', () => {
  let target: Awaited<ReturnType<typeof listen>>;
  let denied: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    // Only on 127.0.0.3: a connection that resolved "localhost" on its own would miss it.
    target = await listen('127.0.0.3', (path) =>
      path === '/redirect'
        ? { status: 302, headers: { location: `http://127.0.0.2:${denied.port}/secret` }, body: 'moved' }
        : { status: 200, body: '{"ok":true}' },
    );
    denied = await listen('127.0.0.2', () => ({ status: 200, body: 'SECRET-BODY' }));
  });
  afterAll(async () => {
    await close(target.server);
    await close(denied.server);
  });
  afterEach(() => {
    target.seen.length = 0;
    denied.seen.length = 0;
  });

  function counted(answers: string[][]) {
    const asked: string[] = [];
    const guard = createAddressGuard({ deny: ['127.0.0.2/32'], allow: [] }, async (host) => {
      asked.push(host);
      return answers[Math.min(asked.length - 1, answers.length - 1)];
    });
    return { fetch: createGuardedFetch(guard), asked };
  }

  it('resolves the host exactly once per request and connects to the address it checked', async () => {
    // A rebinding resolver: the first answer passes, any later one would be refused.
    const { fetch, asked } = counted([['127.0.0.3'], ['127.0.0.2']]);
    const res = await fetch(`http://localhost:${target.port}/api/overview`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(asked).toEqual(['localhost']);
    expect(target.seen).toEqual([
      { localAddress: '127.0.0.3', host: `localhost:${target.port}`, path: '/api/overview' },
    ]);
  });

  it('checks each new request once again, and refuses when the answer changed to a denied address', async () => {
    const { fetch, asked } = counted([['127.0.0.3'], ['127.0.0.2']]);
    expect((await fetch(`http://localhost:${target.port}/one`)).status).toBe(200);
    await expect(fetch(`http://localhost:${denied.port}/two`)).rejects.toMatchObject({
      code: ConnectorErrorCode.AddressRefused,
    });
    expect(asked).toEqual(['localhost', 'localhost']);
    expect(denied.seen).toEqual([]);
  });

  it('never follows a redirect and never reads its body', async () => {
    const { fetch } = counted([['127.0.0.3']]);
    const res = await fetch(`http://localhost:${target.port}/redirect`);
    expect(res.status).toBe(302);
    expect(await res.text()).toBe('');
    expect(res.headers.get('location')).toContain('127.0.0.2');
    expect(denied.seen).toEqual([]);
  });

  it('refuses a denied IP literal without connecting', async () => {
    const { fetch, asked } = counted([['127.0.0.3']]);
    await expect(fetch(`http://127.0.0.2:${denied.port}/`)).rejects.toMatchObject({
      code: ConnectorErrorCode.AddressRefused,
    });
    await expect(fetch(`http://[::ffff:127.0.0.2]:${denied.port}/`)).rejects.toMatchObject({
      code: ConnectorErrorCode.AddressRefused,
    });
    expect(asked).toEqual([]);
    expect(denied.seen).toEqual([]);
  });

  it('sends the method, headers and body, and rejects with the abort reason on timeout', async () => {
    const { fetch } = counted([['127.0.0.3']]);
    const res = await fetch(`http://127.0.0.3:${target.port}/post`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(res.ok).toBe(true);
    const stalled = createServer(() => undefined);
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.3', resolve));
    try {
      const err = await fetch(`http://127.0.0.3:${(stalled.address() as AddressInfo).port}/`, {
        signal: AbortSignal.timeout(100),
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'TimeoutError' });
    } finally {
      stalled.closeAllConnections();
      await close(stalled);
    }
  });
});
