import { ConnectorDefinition } from '../core/types';
import { readSqlServerSettings, SQLSERVER_CONFIG_SPEC } from './config';
import { SqlServerConnector } from './sqlserver.connector';

export const sqlserverConnector: ConnectorDefinition = {
  type: 'sqlserver',
  displayName: 'Microsoft SQL Server',
  configSpec: SQLSERVER_CONFIG_SPEC,
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'],
    incremental: 'native',
    changeSignal:
      'sys.objects.modify_date plus a checksum of the MS_Description properties (which do not move modify_date), plus schema, name and modify_date of every object it references (sys.sql_expression_dependencies, referenced tables of foreign keys)',
    profile: [
      'row_count',
      'null_count',
      'distinct_count',
      'min/max',
      'mean/stddev (numeric)',
      'min/max/avg length (text, LEN)',
      'top values (opt-in)',
    ],
  },
  create: (config, context) => new SqlServerConnector(readSqlServerSettings(config), context),
};
