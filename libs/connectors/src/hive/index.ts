import { ConnectorDefinition } from '../core/types';
import { HIVE_CONFIG_SPEC, readHiveSettings } from './config';
import { HiveConnector } from './hive.connector';

export const hiveConnector: ConnectorDefinition = {
  type: 'hive',
  displayName: 'Apache Hive (HiveServer2)',
  configSpec: HIVE_CONFIG_SPEC,
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'],
    incremental: 'native',
    changeSignal:
      'transient_lastDdlTime table parameter (read by the per-table DESCRIBE FORMATTED, so incremental runs save catalog writes, not source round trips), plus the count and a digest of SHOW PARTITIONS for partitioned tables (adding a partition leaves transient_lastDdlTime alone)',
    profile: [
      'row_count',
      'null_count',
      'distinct_count',
      'min/max',
      'mean/stddev (numeric)',
      'min/max/avg length (text)',
      'top values (opt-in)',
    ],
  },
  create: (config, context) => new HiveConnector(readHiveSettings(config), context),
};
