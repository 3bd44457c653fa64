import { ConnectContext, Connector, ConnectorConfig, ConnectorDefinition } from '../core/types';
import { collectPostgres, DEFAULT_FETCH_SIZE } from './collect';
import { POSTGRES_CONFIG_SPEC, readPgSettings } from './config';
import { testPostgres } from './diagnostics';
import { PROFILE_METRICS, profilePostgres } from './profile';
import { PgSession, QueryObserver } from './session';

export interface PostgresConnectorOptions extends QueryObserver {
  /** Relations per cursor fetch (default 500). */
  fetchSize?: number;
}

export function createPostgresConnector(config: ConnectorConfig, context: ConnectContext, options: PostgresConnectorOptions = {}): Connector {
  const settings = readPgSettings(config);
  const session = new PgSession(settings, context, options);
  return {
    test: (signal) => testPostgres(settings, context, signal),
    collect: (collectOptions) => collectPostgres(session, collectOptions, options.fetchSize ?? DEFAULT_FETCH_SIZE),
    profile: (target, profileOptions) => profilePostgres(session, target, profileOptions),
    close: () => session.close(),
  };
}

export const postgresqlConnector: ConnectorDefinition = {
  type: 'postgresql',
  displayName: 'PostgreSQL',
  configSpec: POSTGRES_CONFIG_SPEC,
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'],
    incremental: 'native',
    changeSignal:
      "md5 of the relation's pg_class row version (xmin) with the count and summed xmin of its rows in pg_attribute, pg_attrdef, pg_constraint, pg_index (and the index's pg_class row), pg_description, pg_rewrite and pg_inherits: any DDL on the table, its columns, defaults, constraints, indexes, comments or view definition changes it; ANALYZE and VACUUM do not.",
    profile: PROFILE_METRICS,
  },
  create: (config, context) => createPostgresConnector(config, context),
};
