import { Document, MongoClient, MongoClientOptions } from 'mongodb';
import { AddressGuard } from '../core/types';
import { MemberGuard } from './member-guard';

/**
 * The few server calls the connector makes, behind one small interface: the driver implements it
 * in production, and tests replace it where no MongoDB server can run. Every method returns the
 * documents as the server sends them (see the command pages of the MongoDB manual).
 */
export interface MongoCatalogClient {
  connect(): Promise<void>;
  /** `hello` and `buildInfo` on the admin database. */
  serverInfo(): Promise<{ hello: Document; buildInfo: Document }>;
  /** `listDatabases` (authorizedDatabases: true): its `databases` array. */
  listDatabases(): Promise<Document[]>;
  /** `dbStats` of one database. */
  dbStats(database: string): Promise<Document>;
  /** `listCollections` of one database: name, type, options, info, idIndex per collection or view. */
  listCollections(database: string): Promise<Document[]>;
  /** `listIndexes` of one collection. */
  listIndexes(database: string, collection: string): Promise<Document[]>;
  /** `[{ $collStats: { storageStats: {} } }]`: one document per shard. */
  collStats(database: string, collection: string): Promise<Document[]>;
  /** The `count`-based estimate (metadata, not a scan) of a collection or view. */
  estimatedCount(database: string, collection: string): Promise<number>;
  /** `[{ $sample: { size } }]`, numbers kept as their BSON classes (Int32, Double, Long, Decimal128). */
  sample(database: string, collection: string, size: number): Promise<Document[]>;
  close(): Promise<void>;
}

export type MongoClientFactory = (
  uri: string,
  options: MongoClientOptions,
  maxTimeMS: number,
  guard?: AddressGuard,
) => MongoCatalogClient;

/** The production client: one pooled MongoClient. */
export class DriverCatalogClient implements MongoCatalogClient {
  private readonly client: MongoClient;
  private readonly members?: MemberGuard;

  constructor(
    uri: string,
    options: MongoClientOptions,
    private readonly maxTimeMS: number,
    guard?: AddressGuard,
  ) {
    this.client = new MongoClient(uri, options);
    if (guard)
      this.members = new MemberGuard(this.client, guard, () => void this.client.close().catch(() => undefined));
  }

  /** Every driver call passes the member check (see MemberGuard). */
  private guarded<T>(call: () => Promise<T>): Promise<T> {
    return this.members ? this.members.run(call) : call();
  }

  async connect(): Promise<void> {
    await this.guarded(() => this.client.connect());
  }

  async serverInfo(): Promise<{ hello: Document; buildInfo: Document }> {
    const admin = this.client.db('admin');
    const hello = await this.guarded(() => admin.command({ hello: 1 }));
    const buildInfo = await this.guarded(() => admin.command({ buildInfo: 1 }));
    return { hello, buildInfo };
  }

  async listDatabases(): Promise<Document[]> {
    const result = await this.guarded(() =>
      this.client.db('admin').admin().listDatabases({ authorizedDatabases: true, maxTimeMS: this.maxTimeMS }),
    );
    return result.databases;
  }

  dbStats(database: string): Promise<Document> {
    return this.guarded(() => this.client.db(database).command({ dbStats: 1, scale: 1, maxTimeMS: this.maxTimeMS }));
  }

  listCollections(database: string): Promise<Document[]> {
    return this.guarded(() =>
      this.client
        .db(database)
        .listCollections({}, { nameOnly: false, authorizedCollections: true, maxTimeMS: this.maxTimeMS })
        .toArray(),
    );
  }

  listIndexes(database: string, collection: string): Promise<Document[]> {
    return this.guarded(() =>
      this.client.db(database).collection(collection).listIndexes({ maxTimeMS: this.maxTimeMS }).toArray(),
    );
  }

  collStats(database: string, collection: string): Promise<Document[]> {
    return this.guarded(() =>
      this.client
        .db(database)
        .collection(collection)
        .aggregate([{ $collStats: { storageStats: {} } }], { maxTimeMS: this.maxTimeMS })
        .toArray(),
    );
  }

  estimatedCount(database: string, collection: string): Promise<number> {
    return this.guarded(() =>
      this.client.db(database).collection(collection).estimatedDocumentCount({ maxTimeMS: this.maxTimeMS }),
    );
  }

  sample(database: string, collection: string, size: number): Promise<Document[]> {
    return this.guarded(() =>
      this.client
        .db(database)
        .collection(collection)
        .aggregate([{ $sample: { size } }], {
          maxTimeMS: this.maxTimeMS,
          allowDiskUse: true,
          promoteValues: false,
          promoteLongs: false,
        })
        .toArray(),
    );
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export const driverClientFactory: MongoClientFactory = (uri, options, maxTimeMS, guard) =>
  new DriverCatalogClient(uri, options, maxTimeMS, guard);
