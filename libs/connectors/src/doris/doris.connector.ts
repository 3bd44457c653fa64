import { ConnectContext, Connector, ConnectorConfig } from '../core/types';
import { MysqlFamilyConnector, MysqlFamilyOptions } from '../mysql/mysql.connector';
import { DORIS_FAMILY } from './collect';
import { readDorisSettings } from './config';

/** Doris through mysql's connector, with Doris's system schemas and catalog additions. */
export function createDorisConnector(
  config: ConnectorConfig,
  context: ConnectContext,
  options: MysqlFamilyOptions = {},
): Connector {
  return new MysqlFamilyConnector(readDorisSettings(config), context, DORIS_FAMILY, options);
}
