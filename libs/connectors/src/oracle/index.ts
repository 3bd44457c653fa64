import { ConnectorDefinition } from '../core/types';
import { ORACLE_CONFIG_SPEC, readOracleSettings } from './config';
import { OracleConnector } from './oracle.connector';

export const oracleConnector: ConnectorDefinition = {
  type: 'oracle',
  displayName: 'Oracle Database',
  configSpec: ORACLE_CONFIG_SPEC,
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'],
    incremental: 'native',
    changeSignal:
      'ALL_OBJECTS.LAST_DDL_TIME (DDL, comments and grants move it) and STATUS when not VALID, plus owner, name, type and LAST_DDL_TIME of every object it depends on (ALL_DEPENDENCIES for views and materialized views, referenced tables of foreign keys)',
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
  create: (config, context) => new OracleConnector(readOracleSettings(config), context),
};
