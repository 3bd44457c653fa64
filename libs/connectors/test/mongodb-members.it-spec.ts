/**
 * Replica-set members advertised as literal IP addresses, through the real `mongodb` driver over
 * real sockets. Two wire-protocol peers play a replica set: the seed (a hidden member on 127.0.0.1)
 * advertises a primary on 127.0.0.2, which Node connects to without any lookup. With 127.0.0.2
 * denied by the outbound-address policy, the primary must never receive credentials or a command;
 * with it allowed, the same set-up does reach it (so the attack path is real).
 */
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { BSON, Document } from 'mongodb';
import { createAddressGuard } from '@app/connectors/core/address-policy';
import { ConnectorErrorCode } from '@app/connectors/core/errors';
import { CatalogBatch, Connector } from '@app/connectors/core/types';
import { mongodbConnector } from '@app/connectors/mongodb';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const HANDSHAKES = new Set(['hello', 'ismaster', 'isMaster']);

/** One member: answers the handshake with `helloReply()` and every other command with a failure. */
class MemberPeer {
  readonly commands: string[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    readonly host: string,
    private readonly helloReply: () => Document,
  ) {}

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, this.host, resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 16 && buffer.length >= buffer.readInt32LE(0)) {
        const length = buffer.readInt32LE(0);
        this.handle(socket, buffer.subarray(0, length));
        buffer = buffer.subarray(length);
      }
    });
  }

  private handle(socket: Socket, message: Buffer): void {
    const requestId = message.readInt32LE(4);
    const opCode = message.readInt32LE(12);
    let offset = 21;
    if (opCode === OP_QUERY) {
      offset = 20;
      while (message[offset] !== 0) offset++;
      offset += 1 + 8;
    } else if (opCode !== OP_MSG) {
      socket.destroy();
      return;
    }
    const command = BSON.deserialize(message.subarray(offset, offset + message.readInt32LE(offset)));
    const name = Object.keys(command)[0];
    this.commands.push(name);
    const answer = HANDSHAKES.has(name)
      ? this.helloReply()
      : name === 'saslStart'
        ? { ok: 0, errmsg: 'Authentication failed.', code: 18, codeName: 'AuthenticationFailed' }
        : { ok: 0, errmsg: `no such command: '${name}'`, code: 59, codeName: 'CommandNotFound' };
    const body = BSON.serialize(answer);
    const header = Buffer.alloc(16);
    header.writeInt32LE(requestId + 1000, 4);
    header.writeInt32LE(requestId, 8);
    if (opCode === OP_QUERY) {
      const prefix = Buffer.alloc(20);
      prefix.writeInt32LE(1, 16);
      header.writeInt32LE(16 + 20 + body.length, 0);
      header.writeInt32LE(OP_REPLY, 12);
      socket.write(Buffer.concat([header, prefix, body]));
    } else {
      const flags = Buffer.alloc(5);
      header.writeInt32LE(16 + flags.length + body.length, 0);
      header.writeInt32LE(OP_MSG, 12);
      socket.write(Buffer.concat([header, flags, body]));
    }
  }
}

/** `hello` of a replica-set member: the primary, or a hidden secondary (never selected for reads). */
function hello(me: MemberPeer, primary: MemberPeer): Document {
  return {
    helloOk: true,
    isWritablePrimary: me === primary,
    ismaster: me === primary,
    secondary: me !== primary,
    hidden: me !== primary,
    setName: 'rs-members-spec',
    setVersion: 1,
    hosts: [primary.address],
    primary: primary.address,
    me: me.address,
    maxBsonObjectSize: 16777216,
    maxMessageSizeBytes: 48000000,
    maxWriteBatchSize: 100000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: 1,
    minWireVersion: 0,
    maxWireVersion: 21,
    ok: 1,
  };
}

describe('mongodb replica-set members advertised as IP literals', () => {
  const seed: MemberPeer = new MemberPeer('127.0.0.1', () => hello(seed, primary));
  const primary: MemberPeer = new MemberPeer('127.0.0.2', () => hello(primary, primary));
  let connector: Connector | undefined;

  const collectWith = async (deny: string[]): Promise<unknown> => {
    connector = mongodbConnector.create(
      { host: seed.host, port: seed.port, timeout: 3, username: 'reader', password: 'member-secret' },
      { guardAddress: createAddressGuard({ deny, allow: [] }) },
    );
    try {
      const batches: CatalogBatch[] = [];
      for await (const batch of connector.collect({
        mode: 'full',
        scope: {},
        batchSize: 10,
        signal: new AbortController().signal,
      })) {
        batches.push(batch);
      }
      return batches;
    } catch (err) {
      return err;
    }
  };

  beforeAll(async () => {
    await seed.start();
    await primary.start();
  });
  afterEach(async () => {
    await connector?.close();
    seed.commands.splice(0);
    primary.commands.splice(0);
  });
  afterAll(async () => {
    await seed.stop();
    await primary.stop();
  });

  it('never sends credentials or commands to a member the policy refuses', async () => {
    const outcome = await collectWith(['127.0.0.2/32']);
    expect(outcome).toMatchObject({ code: ConnectorErrorCode.AddressRefused });
    expect((outcome as Error).message).toContain('127.0.0.2');
    // At most the driver's monitor handshake, which carries no credentials.
    expect(primary.commands.filter((name) => !HANDSHAKES.has(name))).toEqual([]);
    expect(seed.commands.length).toBeGreaterThan(0);
  });

  it('reaches the same member when the policy allows it', async () => {
    const outcome = await collectWith([]);
    expect(outcome).toMatchObject({ code: ConnectorErrorCode.AuthFailed });
    expect(primary.commands).toContain('saslStart');
  });
});
