import { ConnectContext, Connector, ConnectorConfig, ConnectorDefinition } from '../core/types';
import { mysqlConfigSpec } from './config';
import { createMysqlFamilyConnector, MysqlFamilyOptions } from './family';
import { PROFILE_METRICS } from './profile';

export const MYSQL_SYSTEM_SCHEMAS = ['information_schema', 'mysql', 'performance_schema', 'sys'];

/**
 * What the MySQL change signal covers, shared with Doris's MySQL-compatible path. Table timestamps
 * are not used: CREATE_TIME/UPDATE_TIME miss comment and column changes on some engines, and
 * reading them opens every table on MariaDB.
 */
export const MYSQL_CHANGE_SIGNAL =
  "md5, computed by the connector per table from rows read in set-based statements (one per kind of fact for each database), over: information_schema.TABLES TABLE_TYPE, ENGINE, TABLE_COLLATION and TABLE_COMMENT; every information_schema.COLUMNS row (name, position, COLUMN_TYPE, nullability, default, character set, collation, COLUMN_KEY, EXTRA, comment, generation expression); the table's indexes and foreign keys (MariaDB's InnoDB dictionary where the account has PROCESS, else STATISTICS and KEY_COLUMN_USAGE); and a view's definition. Column add/drop/alter, comment, index and key changes change it; row counts, sizes, UPDATE_TIME and AUTO_INCREMENT do not.";

export function createMysqlConnector(config: ConnectorConfig, context: ConnectContext, options: MysqlFamilyOptions = {}): Connector {
  return createMysqlFamilyConnector(config, context, { defaultPort: 3306, systemSchemas: MYSQL_SYSTEM_SCHEMAS }, options);
}

export const mysqlConnector: ConnectorDefinition = {
  type: 'mysql',
  displayName: 'MySQL / MariaDB',
  configSpec: mysqlConfigSpec(3306),
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'],
    incremental: 'native',
    changeSignal: MYSQL_CHANGE_SIGNAL,
    profile: PROFILE_METRICS,
  },
  create: (config, context) => createMysqlConnector(config, context),
};
