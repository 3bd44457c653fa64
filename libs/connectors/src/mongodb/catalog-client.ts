import { Document, MongoClient, MongoClientOptions } from 'mongodb';

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

export type MongoClientFactory = (uri: string, options: MongoClientOptions, maxTimeMS: number) => MongoCatalogClient;

/** The production client: one pooled MongoClient. */
export class DriverCatalogClient implements MongoCatalogClient {
  private readonly client: MongoClient;

  constructor(
    uri: string,
    options: MongoClientOptions,
    private readonly maxTimeMS: number,
  ) {
    this.client = new MongoClient(uri, options);
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  async serverInfo(): Promise<{ hello: Document; buildInfo: Document }> {
    const admin = this.client.db('admin');
    const hello = await admin.command({ hello: 1 });
    const buildInfo = await admin.command({ buildInfo: 1 });
    return { hello, buildInfo };
  }

  async listDatabases(): Promise<Document[]> {
    const result = await this.client
      .db('admin')
      .admin()
      .listDatabases({ authorizedDatabases: true, maxTimeMS: this.maxTimeMS });
    return result.databases;
  }

  dbStats(database: string): Promise<Document> {
    return this.client.db(database).command({ dbStats: 1, scale: 1, maxTimeMS: this.maxTimeMS });
  }

  listCollections(database: string): Promise<Document[]> {
    return this.client
      .db(database)
      .listCollections({}, { nameOnly: false, authorizedCollections: true, maxTimeMS: this.maxTimeMS })
      .toArray();
  }

  listIndexes(database: string, collection: string): Promise<Document[]> {
    return this.client.db(database).collection(collection).listIndexes({ maxTimeMS: this.maxTimeMS }).toArray();
  }

  collStats(database: string, collection: string): Promise<Document[]> {
    return this.client
      .db(database)
      .collection(collection)
      .aggregate([{ $collStats: { storageStats: {} } }], { maxTimeMS: this.maxTimeMS })
      .toArray();
  }

  estimatedCount(database: string, collection: string): Promise<number> {
    return this.client.db(database).collection(collection).estimatedDocumentCount({ maxTimeMS: this.maxTimeMS });
  }

  sample(database: string, collection: string, size: number): Promise<Document[]> {
    return this.client
      .db(database)
      .collection(collection)
      .aggregate([{ $sample: { size } }], {
        maxTimeMS: this.maxTimeMS,
        allowDiskUse: true,
        promoteValues: false,
        promoteLongs: false,
      })
      .toArray();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export const driverClientFactory: MongoClientFactory = (uri, options, maxTimeMS) =>
  new DriverCatalogClient(uri, options, maxTimeMS);
