import { ConnectorRegistry } from './core/registry';
import { ConnectorDefinition } from './core/types';
import { clickhouseConnector } from './clickhouse';
import { elasticsearchConnector } from './elasticsearch';
import { oracleConnector } from './oracle';
import { sqlserverConnector } from './sqlserver';
import { hiveConnector } from './hive';
import { mongodbConnector } from './mongodb';
import { postgresqlConnector } from './postgresql';
import { kafkaConnector } from './kafka';
import { minioConnector } from './minio';
import { rabbitmqConnector } from './rabbitmq';
import { redisConnector } from './redis';
import { mysqlConnector } from './mysql';
import { dorisConnector } from './doris';

/** Every connector this build ships; each source type's folder exports one definition. */
export const ALL_CONNECTORS: readonly ConnectorDefinition[] = [
  dorisConnector,
  mysqlConnector,
  clickhouseConnector,
  elasticsearchConnector,
  oracleConnector,
  sqlserverConnector,
  hiveConnector,
  mongodbConnector,
  postgresqlConnector,
  redisConnector,
  rabbitmqConnector,
  kafkaConnector,
  minioConnector,
];

export function createDefaultRegistry(): ConnectorRegistry {
  return new ConnectorRegistry(ALL_CONNECTORS);
}
