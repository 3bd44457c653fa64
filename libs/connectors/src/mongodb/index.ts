export { mongodbConnector, MongoConnector } from './mongodb.connector';
export type { MongoCatalogClient, MongoClientFactory } from './catalog-client';
