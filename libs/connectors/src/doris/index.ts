import { ConnectContext, Connector, ConnectorConfig, ConnectorDefinition } from '../core/types';
import { mysqlConfigSpec } from '../mysql/config';
import { createMysqlFamilyConnector, MysqlFamilyOptions } from '../mysql/family';
import { MYSQL_CHANGE_SIGNAL, MYSQL_SYSTEM_SCHEMAS } from '../mysql';
import { PROFILE_METRICS } from '../mysql/profile';
import { enrichDoris } from './enrich';

/** Doris FE's MySQL-protocol query port. */
const DORIS_QUERY_PORT = 9030;

/** Doris's own system databases, plus MySQL's for servers that only speak its protocol. */
export const DORIS_SYSTEM_SCHEMAS = [...MYSQL_SYSTEM_SCHEMAS, '__internal_schema'];

export function createDorisConnector(config: ConnectorConfig, context: ConnectContext, options: MysqlFamilyOptions = {}): Connector {
  return createMysqlFamilyConnector(config, context, { defaultPort: DORIS_QUERY_PORT, systemSchemas: DORIS_SYSTEM_SCHEMAS, enrich: enrichDoris }, options);
}

export const dorisConnector: ConnectorDefinition = {
  type: 'doris',
  displayName: 'Apache Doris',
  configSpec: mysqlConfigSpec(DORIS_QUERY_PORT),
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'],
    incremental: 'native',
    changeSignal: `${MYSQL_CHANGE_SIGNAL} On Doris the data model, buckets and partitions are read for every table that is re-read; partitions added by loads alone do not change the signal.`,
    profile: PROFILE_METRICS,
  },
  create: (config, context) => createDorisConnector(config, context),
};
