import { ConnectorConfig } from '../core/types';
import { mysqlConfigSpec, MysqlSettings, readMysqlSettings } from '../mysql/config';

/** Doris FE's MySQL-protocol query port. */
export const DORIS_QUERY_PORT = 9030;

/** Doris speaks the MySQL protocol: MySQL's fields, with the FE query port as the default. */
export const DORIS_CONFIG_SPEC = mysqlConfigSpec(DORIS_QUERY_PORT);

export function readDorisSettings(config: ConnectorConfig): MysqlSettings {
  return readMysqlSettings(config, DORIS_QUERY_PORT);
}
