import { ConnectContext, Connector, ConnectorConfig } from '../core/types';
import { collectMysqlFamily, MysqlCollectTuning, MysqlFamily } from './collect';
import { readMysqlSettings } from './config';
import { testMysqlFamily } from './diagnostics';
import { profileMysqlFamily } from './profile';
import { MysqlDriver, mysql2Driver, MysqlSession, QueryObserver } from './session';

export interface MysqlFamilyOptions extends QueryObserver, MysqlCollectTuning {
  /** The driver; tests stand in for mysql2 at its boundary. */
  driver?: MysqlDriver;
}

/** A connector for one MySQL-protocol source: MySQL, MariaDB, or Doris with its own additions. */
export function createMysqlFamilyConnector(
  config: ConnectorConfig,
  context: ConnectContext,
  family: MysqlFamily & { defaultPort: number },
  options: MysqlFamilyOptions = {},
): Connector {
  const settings = readMysqlSettings(config, family.defaultPort);
  const driver = options.driver ?? mysql2Driver;
  const session = new MysqlSession(settings, context, options, driver);
  return {
    test: (signal) => testMysqlFamily(settings, context, signal, driver, family.systemSchemas),
    collect: (collectOptions) => collectMysqlFamily(session, family, collectOptions, options),
    profile: (target, profileOptions) => profileMysqlFamily(session, target, profileOptions),
    close: () => session.close(),
  };
}
