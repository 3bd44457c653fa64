/**
 * MongoDB connector through the real `mongodb` driver, over real sockets. No MongoDB server can
 * run here (npm's in-memory servers download mongod binaries), so this test starts a small
 * wire-protocol peer on a loopback port: it frames OP_QUERY/OP_REPLY (the driver's first
 * handshake) and OP_MSG (https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/)
 * and answers each command the connector sends with the reply documented for it
 * (hello, buildInfo, listDatabases, dbStats, listCollections, listIndexes, aggregate with
 * $collStats/$sample, count; saslStart failing with 18 AuthenticationFailed). It is a peer for the
 * driver's calls, not a database: what it answers is fixed test data.
 */
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { BSON, Document, Double, Int32, Long, ObjectId, UUID } from 'mongodb';
import { createAddressGuard } from '@app/connectors/core/address-policy';
import { ConnectorError, ConnectorErrorCode } from '@app/connectors/core/errors';
import { CatalogBatch, CollectOptions, Connector } from '@app/connectors/core/types';
import { mongodbConnector } from '@app/connectors/mongodb';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

const DOCS: Document[] = [
  {
    _id: new ObjectId('65a000000000000000000001'),
    sku: 'A-1',
    qty: new Int32(3),
    price: new Double(9.5),
    big: Long.fromString('9007199254740993'),
    tags: ['x'],
    dims: { w: new Int32(1) },
  },
  {
    _id: new ObjectId('65a000000000000000000002'),
    sku: 'B-2',
    qty: new Int32(7),
    price: new Double(12),
    tags: [],
    secret_token: 'abc',
  },
  {
    _id: new ObjectId('65a000000000000000000003'),
    sku: null,
    qty: Long.fromNumber(1),
    price: new Double(3.25),
    dims: { w: new Int32(2), h: new Double(0.5) },
  },
];

const UUID_TEXT = '0b7e6f3a-2c4d-4e5f-8a9b-1c2d3e4f5a6b';

/** What the peer answers, command by command. */
function reply(command: Document, cmdName: string): Document {
  const db = String(command.$db ?? 'admin');
  switch (cmdName) {
    case 'ismaster':
    case 'isMaster':
    case 'hello':
      // https://www.mongodb.com/docs/manual/reference/command/hello/#output (standalone)
      return {
        helloOk: true,
        ismaster: true,
        isWritablePrimary: true,
        maxBsonObjectSize: 16777216,
        maxMessageSizeBytes: 48000000,
        maxWriteBatchSize: 100000,
        localTime: new Date(),
        logicalSessionTimeoutMinutes: 30,
        connectionId: 1,
        minWireVersion: 0,
        maxWireVersion: 21,
        readOnly: false,
        saslSupportedMechs: ['SCRAM-SHA-256'],
        ok: 1,
      };
    case 'buildInfo':
    case 'buildinfo':
      return {
        version: '7.0.12',
        gitVersion: 'b6513ce0781db6818e24619e8a461eae90bc94fc',
        versionArray: [7, 0, 12, 0],
        bits: 64,
        maxBsonObjectSize: 16777216,
        ok: 1,
      };
    case 'saslStart':
      return { ok: 0, errmsg: 'Authentication failed.', code: 18, codeName: 'AuthenticationFailed' };
    case 'listDatabases':
      return {
        databases: [
          { name: 'admin', sizeOnDisk: 40960, empty: false },
          { name: 'inventory', sizeOnDisk: 73728, empty: false },
          { name: 'local', sizeOnDisk: 73728, empty: false },
        ],
        totalSize: 188416,
        totalSizeMb: 0,
        ok: 1,
      };
    case 'dbStats':
      return {
        db,
        collections: 1,
        views: 0,
        objects: 3,
        avgObjSize: 120,
        dataSize: 360,
        storageSize: 20480,
        indexes: 2,
        indexSize: 40960,
        totalSize: 61440,
        scaleFactor: 1,
        ok: 1,
      };
    case 'listCollections':
      return {
        cursor: {
          id: Long.ZERO,
          ns: `${db}.$cmd.listCollections`,
          firstBatch:
            db === 'inventory'
              ? [
                  {
                    name: 'items',
                    type: 'collection',
                    options: {},
                    info: { readOnly: false, uuid: new UUID(UUID_TEXT) },
                    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
                  },
                ]
              : [],
        },
        ok: 1,
      };
    case 'listIndexes':
      return {
        cursor: {
          id: Long.ZERO,
          ns: `${db}.${String(command.listIndexes)}`,
          firstBatch: [
            { v: 2, key: { _id: 1 }, name: '_id_' },
            { v: 2, key: { sku: 1 }, name: 'sku_1', unique: true, partialFilterExpression: { sku: { $exists: true } } },
          ],
        },
        ok: 1,
      };
    case 'aggregate': {
      const stage = (command.pipeline as Document[])[0];
      const ns = `${db}.${String(command.aggregate)}`;
      if (stage.$collStats) {
        return {
          cursor: {
            id: Long.ZERO,
            ns,
            firstBatch: [
              {
                ns,
                host: 'peer:27017',
                localTime: new Date(),
                storageStats: {
                  size: 360,
                  count: 3,
                  avgObjSize: 120,
                  storageSize: 20480,
                  totalIndexSize: 40960,
                  nindexes: 2,
                  scaleFactor: 1,
                },
              },
            ],
          },
          ok: 1,
        };
      }
      const size = Number(stage.$sample?.size ?? 0);
      return { cursor: { id: Long.ZERO, ns, firstBatch: DOCS.slice(0, size) }, ok: 1 };
    }
    case 'count':
      return { n: 3, ok: 1 };
    case 'endSessions':
    case 'ping':
      return { ok: 1 };
    default:
      return { ok: 0, errmsg: `no such command: '${cmdName}'`, code: 59, codeName: 'CommandNotFound' };
  }
}

class WirePeer {
  readonly commands: Array<{ name: string; db: string; command: Document }> = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
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
    let command: Document;
    if (opCode === OP_QUERY) {
      // flags(4) fullCollectionName(cstring) numberToSkip(4) numberToReturn(4) query
      let offset = 20;
      while (message[offset] !== 0) offset++;
      offset += 1 + 8;
      command = BSON.deserialize(message.subarray(offset, offset + message.readInt32LE(offset)));
    } else if (opCode === OP_MSG) {
      // flagBits(4), then section kind 0 (the command) first
      const offset = 21;
      command = BSON.deserialize(message.subarray(offset, offset + message.readInt32LE(offset)), {
        promoteValues: true,
      });
    } else {
      socket.destroy();
      return;
    }
    const name = Object.keys(command)[0];
    this.commands.push({ name, db: String(command.$db ?? ''), command });
    const body = BSON.serialize(reply(command, name));
    const header = Buffer.alloc(16);
    if (opCode === OP_QUERY) {
      const prefix = Buffer.alloc(20); // responseFlags(4) cursorID(8) startingFrom(4) numberReturned(4)
      prefix.writeInt32LE(1, 16);
      header.writeInt32LE(16 + 20 + body.length, 0);
      header.writeInt32LE(requestId + 1000, 4);
      header.writeInt32LE(requestId, 8);
      header.writeInt32LE(OP_REPLY, 12);
      socket.write(Buffer.concat([header, prefix, body]));
    } else {
      const flags = Buffer.from([0, 0, 0, 0, 0]); // flagBits + section kind 0
      header.writeInt32LE(16 + flags.length + body.length, 0);
      header.writeInt32LE(requestId + 1000, 4);
      header.writeInt32LE(requestId, 8);
      header.writeInt32LE(OP_MSG, 12);
      socket.write(Buffer.concat([header, flags, body]));
    }
  }
}

const guard = createAddressGuard({ deny: [], allow: [] });

function options(over: Partial<CollectOptions> = {}): CollectOptions {
  return { mode: 'full', scope: {}, batchSize: 10, signal: new AbortController().signal, ...over };
}

describe('mongodb connector through the real driver against a wire-protocol peer', () => {
  const peer = new WirePeer();
  const open: Connector[] = [];
  const connect = (extra: Record<string, unknown> = {}) => {
    const c = mongodbConnector.create(
      { host: '127.0.0.1', port: peer.port, timeout: 5, sample_size: 50, ...extra },
      { guardAddress: guard },
    );
    open.push(c);
    return c;
  };

  beforeAll(() => peer.start());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    peer.commands.splice(0);
  });
  afterAll(() => peer.stop());

  it('collects databases and collections with the exact BSON types of sampled values', async () => {
    const batches: CatalogBatch[] = [];
    for await (const batch of connect().collect(options())) batches.push(batch);
    expect(batches.flatMap((b) => b.namespaces ?? []).map((n) => n.name)).toEqual(['inventory']);
    const [items] = batches.flatMap((b) => b.assets);
    expect(items).toMatchObject({
      namespace: 'inventory',
      name: 'items',
      kind: 'collection',
      statistics: { rows: 3, bytes: 20480 },
    });
    expect(items.properties).toMatchObject({
      uuid: UUID_TEXT,
      sample: { requested: 50, sampled: 3, truncated: false },
    });
    expect(items.indexes).toEqual([
      { name: '_id_', columns: ['_id'], unique: true, method: 'btree', predicate: null },
      { name: 'sku_1', columns: ['sku'], unique: true, method: 'btree', predicate: '{"sku":{"$exists":true}}' },
    ]);
    // int stays int, long stays long, double stays double through the wire.
    expect(items.fields.map((f) => [f.name, f.dataType, f.nullable])).toEqual([
      ['_id', 'objectId', false],
      ['big', 'long', true],
      ['dims', 'object', true],
      ['dims.h', 'double', true],
      ['dims.w', 'int', true],
      ['price', 'double', false],
      ['qty', 'int|long', false],
      ['secret_token', 'string', true],
      ['sku', 'string|null', true],
      ['tags', 'array', true],
      ['tags[]', 'string', true],
    ]);
    const aggregate = peer.commands.find(
      (c) => c.name === 'aggregate' && JSON.stringify(c.command.pipeline).includes('$sample'),
    );
    expect(aggregate?.command.pipeline).toEqual([{ $sample: { size: 50 } }]);
    expect(aggregate?.db).toBe('inventory');
    expect(typeof aggregate?.command.maxTimeMS).toBe('number');
  });

  it('profiles a collection from $sample with count as the row estimate', async () => {
    const profile = await connect().profile(
      {
        namespace: 'inventory',
        name: 'items',
        fields: [
          { name: 'qty', dataType: 'int|long' },
          { name: 'secret_token', dataType: 'string' },
        ],
      },
      { sampleRows: 2, topValues: true, topN: 3, signal: new AbortController().signal },
    );
    expect(profile).toMatchObject({ row_count: 3, sampled: true, sample_rows: 2 });
    expect(profile.columns[0]).toMatchObject({
      name: 'qty',
      null_count: 0,
      distinct_count: 2,
      min: 3,
      max: 7,
      mean: 5,
    });
    expect(profile.columns[1]).toEqual({
      name: 'secret_token',
      null_count: 1,
      null_ratio: 0.5,
      distinct_count: 1,
      distinct_ratio: 1,
      min_length: 3,
      max_length: 3,
      avg_length: 3,
    });
    expect(peer.commands.some((c) => c.name === 'count' && c.command.count === 'items')).toBe(true);
  });

  it('tests the connection step by step and reports the server version', async () => {
    const result = await connect().test(new AbortController().signal);
    expect(result).toMatchObject({ success: true, server_info: 'MongoDB 7.0.12', version: '7.0.12' });
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
      ['resolve', true],
      ['tcp', true],
      ['authenticate', true],
      ['catalog', true],
    ]);
    expect(result.steps[3].message).toBe('standalone; 3 databases visible');
  });

  it('resolves every host the driver connects to through the address guard', async () => {
    const seen: string[] = [];
    let allowed = 1;
    const c = mongodbConnector.create(
      { host: 'localhost', port: peer.port, timeout: 2 },
      {
        // Passes the connector's own check of the configured host, then refuses: only the
        // driver's lookup can ask again.
        guardAddress: async (host) => {
          seen.push(host);
          if (allowed-- > 0) return guard(host);
          throw new ConnectorError(
            ConnectorErrorCode.AddressRefused,
            `Connections to ${host} are refused by the outbound-address policy`,
          );
        },
      },
    );
    open.push(c);
    const err = await (async () => {
      for await (const _batch of c.collect(options())) void _batch;
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ConnectorErrorCode.AddressRefused });
    expect(seen.length).toBeGreaterThan(1);
    expect(new Set(seen)).toEqual(new Set(['localhost']));
    // Nothing of this connector reached the peer: no handshake, no command. (A previous test's
    // client may still be delivering its fire-and-forget endSessions.)
    expect(peer.commands.filter((c) => c.name !== 'endSessions')).toEqual([]);
  });

  it('reports a refused login (18 AuthenticationFailed) as AUTH_FAILED at the authenticate step', async () => {
    const result = await connect({ username: 'reader', password: 'wrong', auth_source: 'admin' }).test(
      new AbortController().signal,
    );
    expect(result).toMatchObject({ success: false, error_code: 'AUTH_FAILED' });
    expect(result.message).toMatch(/Authentication failed/);
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
      ['resolve', true],
      ['tcp', true],
      ['authenticate', false],
    ]);
    expect(peer.commands.some((c) => c.name === 'saslStart')).toBe(true);
  });
});
