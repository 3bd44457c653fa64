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
import { collectMysqlFamily, MYSQL_FAMILY, MysqlCollectTuning, MysqlFamily } from './collect';
import { MYSQL_DEFAULT_PORT, MysqlSettings, readMysqlSettings } from './config';
import { testMysqlFamily } from './diagnostics';
import { profileMysqlFamily } from './profile';
import { MysqlDriver, mysql2Driver, MysqlSession, QueryObserver } from './session';

export interface MysqlFamilyOptions extends QueryObserver, MysqlCollectTuning {
  /** The driver; tests stand in for mysql2 at its boundary. */
  driver?: MysqlDriver;
}

/**
 * One MySQL-protocol source: MySQL, MariaDB, or Doris with its own additions (its family). The
 * connection test runs on a connection of its own, everything else on the session's pool.
 */
export class MysqlFamilyConnector implements Connector {
  private readonly driver: MysqlDriver;
  private readonly session: MysqlSession;

  constructor(
    private readonly settings: MysqlSettings,
    private readonly context: ConnectContext,
    private readonly family: MysqlFamily,
    private readonly options: MysqlFamilyOptions = {},
  ) {
    this.driver = options.driver ?? mysql2Driver;
    this.session = new MysqlSession(settings, context, options, this.driver);
  }

  test(signal: AbortSignal): Promise<TestResult> {
    return testMysqlFamily(this.settings, this.context, signal, this.driver, this.family.systemSchemas);
  }

  collect(options: CollectOptions): AsyncIterable<CatalogBatch> {
    return collectMysqlFamily(this.session, this.family, options, this.options);
  }

  profile(target: ProfileTarget, options: ProfileOptions): Promise<AssetProfile> {
    return profileMysqlFamily(this.session, target, options);
  }

  close(): Promise<void> {
    return this.session.close();
  }
}

/** A MySQL/MariaDB connector for a stored config; benchmarks and tests pass options to observe or tune it. */
export function createMysqlConnector(
  config: ConnectorConfig,
  context: ConnectContext,
  options: MysqlFamilyOptions = {},
): Connector {
  return new MysqlFamilyConnector(readMysqlSettings(config, MYSQL_DEFAULT_PORT), context, MYSQL_FAMILY, options);
}
