/**
 * Loopback servers that play a database just far enough to be handed a password, and record it:
 * what an attacker would run to harvest a stored secret. Plus a black hole that accepts and never
 * answers. Everything listens on 127.0.0.1 only.
 */
import { createHash, randomInt } from 'node:crypto';
import { createServer as createHttpServer, IncomingMessage } from 'node:http';
import { AddressInfo, createServer, Server, Socket } from 'node:net';

export interface CredentialTrap {
  port: number;
  /** Connections accepted so far (including bare TCP probes). */
  connections: number;
  /** True when a login with this password reached the trap. */
  received(password: string): boolean;
  /** Nothing at all reached it since the last reset. */
  untouched(): boolean;
  reset(): void;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A trap on a TCP server; `onSocket` speaks the protocol and reports each password-like thing it gets. */
async function trap(
  onSocket: (socket: Socket, got: (check: (password: string) => boolean) => void) => void,
): Promise<CredentialTrap> {
  const checks: Array<(password: string) => boolean> = [];
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const server = createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onSocket(socket, (check) => checks.push(check));
  });
  const port = await listen(server);
  return {
    port,
    get connections() {
      return state.connections;
    },
    received: (password) => checks.some((c) => c(password)),
    untouched: () => state.connections === 0 && checks.length === 0,
    reset: () => {
      state.connections = 0;
      checks.length = 0;
    },
    close: () => closeServer(server, sockets),
  };
}

/** PostgreSQL: answers the startup message with AuthenticationCleartextPassword and records the PasswordMessage. */
export function fakePostgres(): Promise<CredentialTrap> {
  return trap((socket, got) => {
    let buf = Buffer.alloc(0);
    let startedUp = false;
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (!startedUp) {
          if (buf.length < 8) return;
          const len = buf.readInt32BE(0);
          if (buf.length < len) return;
          const code = buf.readInt32BE(4);
          buf = buf.subarray(len);
          if (code === 80877103) {
            socket.write('N'); // no TLS here
            continue;
          }
          startedUp = true;
          const ask = Buffer.alloc(9);
          ask.write('R', 0);
          ask.writeInt32BE(8, 1);
          ask.writeInt32BE(3, 5); // AuthenticationCleartextPassword
          socket.write(ask);
          continue;
        }
        if (buf.length < 5) return;
        const len = buf.readInt32BE(1);
        if (buf.length < len + 1) return;
        const type = String.fromCharCode(buf[0]);
        const body = buf.subarray(5, len + 1);
        buf = buf.subarray(len + 1);
        if (type === 'p') {
          const password = body.subarray(0, body.indexOf(0)).toString('utf8');
          got((p) => p === password);
          const fields = Buffer.from('SFATAL\0C28P01\0Mpassword authentication failed\0\0');
          const err = Buffer.alloc(5);
          err.write('E', 0);
          err.writeInt32BE(fields.length + 4, 1);
          socket.end(Buffer.concat([err, fields]));
          return;
        }
      }
    });
  });
}

const sha1 = (data: Buffer) => createHash('sha1').update(data).digest();

/** What mysql_native_password sends for `password` against `scramble`. */
export function nativePasswordToken(password: string, scramble: Buffer): Buffer {
  const stage1 = sha1(Buffer.from(password));
  const mix = sha1(Buffer.concat([scramble, sha1(stage1)]));
  return Buffer.from(mix.map((b, i) => b ^ stage1[i]));
}

function mysqlPacket(seq: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUIntLE(payload.length, 0, 3);
  head[3] = seq;
  return Buffer.concat([head, payload]);
}

/** MySQL: a protocol-10 handshake asking for mysql_native_password; records the auth response of the HandshakeResponse41. */
export function fakeMysql(): Promise<CredentialTrap> {
  return trap((socket, got) => {
    const scramble = Buffer.from(Array.from({ length: 20 }, () => randomInt(1, 127)));
    // LONG_PASSWORD | LONG_FLAG | CONNECT_WITH_DB | PROTOCOL_41 | TRANSACTIONS | SECURE_CONNECTION | PLUGIN_AUTH
    const caps = 0x1 | 0x4 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x80000;
    const u16 = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff]);
    const greeting = Buffer.concat([
      Buffer.from([10]),
      Buffer.from('5.7.99-trap\0'),
      Buffer.from([1, 0, 0, 0]),
      scramble.subarray(0, 8),
      Buffer.from([0]),
      u16(caps & 0xffff),
      Buffer.from([0x21]),
      u16(0x0002),
      u16(caps >>> 16),
      Buffer.from([21]),
      Buffer.alloc(10),
      scramble.subarray(8, 20),
      Buffer.from([0]),
      Buffer.from('mysql_native_password\0'),
    ]);
    socket.write(mysqlPacket(0, greeting));
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 4) return;
      const len = buf.readUIntLE(0, 3);
      if (buf.length < len + 4) return;
      const payload = buf.subarray(4, 4 + len);
      const clientCaps = payload.readUInt32LE(0);
      let at = 32;
      at = payload.indexOf(0, at) + 1; // user name
      // A 20-byte token: length-prefixed (one byte, also as a length-encoded integer) or NUL-terminated.
      const token =
        clientCaps & (0x200000 | 0x8000)
          ? payload.subarray(at + 1, at + 1 + payload[at])
          : payload.subarray(at, payload.indexOf(0, at));
      const seen = Buffer.from(token);
      got((p) => seen.equals(nativePasswordToken(p, scramble)));
      const err = Buffer.concat([Buffer.from([0xff]), u16(1045), Buffer.from('#28000Access denied')]);
      socket.end(mysqlPacket(2, err));
    });
  });
}

/** Redis: records the arguments of AUTH (either form) and refuses them. */
export function fakeRedis(): Promise<CredentialTrap> {
  return trap((socket, got) => {
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      for (;;) {
        const command = readRespArray(text);
        if (!command) return;
        text = text.slice(command.used);
        const [name, ...args] = command.items;
        if (name?.toUpperCase() === 'AUTH') {
          const password = args[args.length - 1];
          got((p) => p === password);
          socket.write('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
        } else socket.write('-ERR unknown command\r\n');
      }
    });
  });
}

function readRespArray(text: string): { items: string[]; used: number } | undefined {
  const head = /^\*(\d+)\r\n/.exec(text);
  if (!head) return undefined;
  let at = head[0].length;
  const items: string[] = [];
  for (let i = 0; i < Number(head[1]); i++) {
    const bulk = /^\$(\d+)\r\n/.exec(text.slice(at));
    if (!bulk) return undefined;
    const start = at + bulk[0].length;
    const end = start + Number(bulk[1]);
    if (text.length < end + 2) return undefined;
    items.push(text.slice(start, end));
    at = end + 2;
  }
  return { items, used: at };
}

/** An HTTP listener that records every request (URL and Authorization header) and answers 401. */
export async function fakeHttp(): Promise<CredentialTrap & { seen: string[] }> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((req: IncomingMessage, res) => {
    seen.push(`${req.url ?? ''} ${req.headers.authorization ?? ''}`);
    res.writeHead(401).end();
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server as unknown as Server);
  return {
    port,
    seen,
    get connections() {
      return seen.length;
    },
    received: (password) =>
      seen.some((s) => s.includes(password) || s.includes(Buffer.from(password).toString('base64'))),
    untouched: () => seen.length === 0,
    reset: () => {
      seen.length = 0;
    },
    close: () => closeServer(server as unknown as Server, sockets),
  };
}

/** Accepts connections and never answers. Counts the sockets a client has written to (not bare TCP probes) that are still open. */
export interface BlackHole {
  port: number;
  /** Open sockets on which the client sent something (a startup message). */
  talking(): number;
  /** Such sockets closed so far. */
  closedTalking: number;
  close(): Promise<void>;
}

export async function blackHole(): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  const talking = new Set<Socket>();
  const state = { closedTalking: 0 };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', () => talking.add(socket));
    socket.on('close', () => {
      sockets.delete(socket);
      if (talking.delete(socket)) state.closedTalking++;
    });
  });
  const port = await listen(server);
  return {
    port,
    talking: () => talking.size,
    get closedTalking() {
      return state.closedTalking;
    },
    close: () => closeServer(server, sockets),
  };
}
