import { ConnectorDefinition } from '../core/types';
import { MYSQL_CHANGE_SIGNAL } from './catalog-rows';
import { MYSQL_DEFAULT_PORT, mysqlConfigSpec } from './config';
import { createMysqlConnector } from './mysql.connector';
import { PROFILE_METRICS } from './profile';

export const mysqlConnector: ConnectorDefinition = {
  type: 'mysql',
  displayName: 'MySQL / MariaDB',
  configSpec: mysqlConfigSpec(MYSQL_DEFAULT_PORT),
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'],
    incremental: 'native',
    changeSignal: MYSQL_CHANGE_SIGNAL,
    profile: PROFILE_METRICS,
  },
  create: (config, context) => createMysqlConnector(config, context),
};
