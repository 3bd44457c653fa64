import { ConnectorDefinition } from '../core/types';
import { ELASTICSEARCH_CONFIG_SPEC } from './config';
import { ElasticsearchConnector } from './elasticsearch.connector';

export const elasticsearchConnector: ConnectorDefinition = {
  type: 'elasticsearch',
  displayName: 'Elasticsearch',
  configSpec: ELASTICSEARCH_CONFIG_SPEC,
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only'],
    incremental: 'native',
    changeSignal:
      "SHA-256 of each index's mapping, index settings, aliases and open/closed state (for data streams: template, lifecycle, backing indices and the write index's mapping and settings); unchanged indices keep their last statistics",
    profile: [],
  },
  create: (config, context) => new ElasticsearchConnector(config, context),
};
