import {
  AssetProfile,
  CatalogBatch,
  CollectOptions,
  ConnectContext,
  Connector,
  ConnectorConfig,
  ProfileOptions,
  ProfileTarget,
  TestResult,
} from '../core/types';
import { collectPostgres, DEFAULT_FETCH_SIZE } from './collect';
import { PgSettings, readPgSettings } from './config';
import { testPostgres } from './diagnostics';
import { profilePostgres } from './profile';
import { PgSession, QueryObserver } from './session';

export interface PostgresConnectorOptions extends QueryObserver {
  /** Relations per cursor fetch (default 500). */
  fetchSize?: number;
}

/** One PostgreSQL source: the connection test on a connection of its own, everything else on the session's pool. */
export class PostgresConnector implements Connector {
  private readonly session: PgSession;

  constructor(
    private readonly settings: PgSettings,
    private readonly context: ConnectContext,
    private readonly options: PostgresConnectorOptions = {},
  ) {
    this.session = new PgSession(settings, context, options);
  }

  test(signal: AbortSignal): Promise<TestResult> {
    return testPostgres(this.settings, this.context, signal);
  }

  collect(options: CollectOptions): AsyncIterable<CatalogBatch> {
    return collectPostgres(this.session, options, this.options.fetchSize ?? DEFAULT_FETCH_SIZE);
  }

  profile(target: ProfileTarget, options: ProfileOptions): Promise<AssetProfile> {
    return profilePostgres(this.session, target, options);
  }

  close(): Promise<void> {
    return this.session.close();
  }
}

/** A connector for a stored config; benchmarks and tests pass options to observe or tune it. */
export function createPostgresConnector(
  config: ConnectorConfig,
  context: ConnectContext,
  options: PostgresConnectorOptions = {},
): Connector {
  return new PostgresConnector(readPgSettings(config), context, options);
}
