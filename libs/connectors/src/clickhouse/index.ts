import { ConnectorDefinition } from '../core/types';
import { ClickHouseConnector } from './clickhouse.connector';
import { CLICKHOUSE_CONFIG_SPEC, readClickHouseSettings } from './config';

export const clickhouseConnector: ConnectorDefinition = {
  type: 'clickhouse',
  displayName: 'ClickHouse',
  configSpec: CLICKHOUSE_CONFIG_SPEC,
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'],
    incremental: 'native',
    changeSignal:
      'system.tables.metadata_modification_time with a hash of create_table_query; a materialized view written with TO also carries its target table’s',
    profile: [
      'row_count',
      'null_count',
      'distinct_count (uniqExact)',
      'min/max',
      'mean/stddev (numeric)',
      'min/max/avg length (text)',
      'top values (opt-in)',
    ],
  },
  create: (config, context) => new ClickHouseConnector(readClickHouseSettings(config), context),
};
