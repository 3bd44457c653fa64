import { ConnectorDefinition } from '../core/types';
import { MYSQL_CHANGE_SIGNAL } from '../mysql/catalog-rows';
import { PROFILE_METRICS } from '../mysql/profile';
import { DORIS_CONFIG_SPEC } from './config';
import { createDorisConnector } from './doris.connector';

export const dorisConnector: ConnectorDefinition = {
  type: 'doris',
  displayName: 'Apache Doris',
  configSpec: DORIS_CONFIG_SPEC,
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'],
    incremental: 'native',
    changeSignal: `${MYSQL_CHANGE_SIGNAL} On Doris the data model, buckets and partitions are read for every table that is re-read; partitions added by loads alone do not change the signal.`,
    profile: PROFILE_METRICS,
  },
  create: (config, context) => createDorisConnector(config, context),
};
