import { ConnectorRegistry } from './core/registry';
import { ConnectorDefinition } from './core/types';
import { clickhouseConnector } from './clickhouse';
import { elasticsearchConnector } from './elasticsearch';
import { oracleConnector } from './oracle';
import { mongodbConnector } from './mongodb';
import { postgresqlConnector } from './postgresql';

/** Every connector this build ships; each source type's folder exports one definition. */
export const ALL_CONNECTORS: readonly ConnectorDefinition[] = [
  clickhouseConnector,
  elasticsearchConnector,
  oracleConnector,
  mongodbConnector,
  postgresqlConnector,
];

export function createDefaultRegistry(): ConnectorRegistry {
  return new ConnectorRegistry(ALL_CONNECTORS);
}
