import { ConnectorDefinition } from '../core/types';
import { POSTGRES_CONFIG_SPEC } from './config';
import { createPostgresConnector } from './postgresql.connector';
import { PROFILE_METRICS } from './profile';

export const postgresqlConnector: ConnectorDefinition = {
  type: 'postgresql',
  displayName: 'PostgreSQL',
  configSpec: POSTGRES_CONFIG_SPEC,
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'],
    incremental: 'native',
    changeSignal:
      "md5 of the relation's pg_class row version (xmin) with the count and summed xmin of its rows in pg_attribute, pg_attrdef, pg_constraint, pg_index (and the index's pg_class row), pg_description, pg_rewrite and pg_inherits: any DDL on the table, its columns, defaults, constraints, indexes, comments or view definition changes it; so does a rename of any object its entry names (referenced tables and columns, types, functions, sequences, partition parent and partitions, found through pg_depend); ANALYZE and VACUUM do not. Sequences, routines, triggers and types are read whole on every run and signalled by a digest of their entry.",
    profile: PROFILE_METRICS,
  },
  create: (config, context) => createPostgresConnector(config, context),
};
