import { ConnectorConfig, DataSourceType } from '@app/connectors';

/** A data source as a run needs it: config decrypted with defaults applied, and its config version. */
export interface DataSourceForRun {
  id: string;
  name: string;
  type: DataSourceType;
  status: string;
  config: ConnectorConfig;
  /** Changes whenever the config changes, so a cached pool for an older version is dropped. */
  version: string;
}
