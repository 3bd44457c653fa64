import { createServer, IncomingHttpHeaders, Server } from 'node:http';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; created_at: string; data: Record<string, unknown> };
}

/** A webhook receiver on loopback whose answers a test scripts (default 200). */
export class Receiver {
  readonly received: ReceivedRequest[] = [];
  private readonly server: Server;
  /** Answers to give, in order; when empty, `fallback` is used. */
  answers: Array<{ status: number; headers?: Record<string, string> }> = [];
  fallback = { status: 200 } as { status: number; headers?: Record<string, string> };
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({ headers: req.headers, body, json: JSON.parse(body) as ReceivedRequest['json'] });
        const answer = this.answers.shift() ?? this.fallback;
        res.writeHead(answer.status, answer.headers).end('ok');
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hook`;
    return this;
  }

  /** Resolves when `n` requests matching `filter` have arrived, or rejects after `timeoutMs`. */
  async waitFor(
    n: number,
    filter: (r: ReceivedRequest) => boolean = () => true,
    timeoutMs = 15000,
  ): Promise<ReceivedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.received.filter(filter);
      if (matching.length >= n) return matching;
      if (Date.now() > deadline)
        throw new Error(`receiver got ${matching.length}/${n} matching requests in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
