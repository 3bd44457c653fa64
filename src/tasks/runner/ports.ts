import { AssetProfile, CatalogBatch, CollectScope, Connector, ConnectorDefinition, ProfileTarget } from '@app/connectors';
import { DataSourceForRun } from '../../connectors/data-source-for-run';

/**
 * What the runner needs from the data source, connector and catalog features, named here so
 * the runner depends on these few calls and nothing else of theirs.
 */
export type { DataSourceForRun };

export interface DataSourcesPort {
  /** Throws a NOT_FOUND DomainException for an unknown id. */
  requireForRun(id: string): Promise<DataSourceForRun>;
  registerDependents(name: string, lister: (dataSourceId: string) => Promise<Array<{ id: string; name: string }>>): void;
}

export interface ConnectorsPort {
  readonly registry: { has(type: string): boolean; get(type: string): ConnectorDefinition };
  acquire(ds: DataSourceForRun): Connector;
}

export interface ChangeSummary {
  assets_added: number;
  assets_removed: number;
  assets_altered: number;
  assets_unchanged: number;
  fields_added: number;
  fields_removed: number;
  fields_altered: number;
}

export interface CatalogRunWriterPort {
  readonly previousSignals: ReadonlyMap<string, string>;
  write(batch: CatalogBatch): Promise<void>;
  complete(): Promise<ChangeSummary>;
  abandon(): Promise<void>;
  readonly progress: { assetsSeen: number; assetsWritten: number; fieldsSeen: number };
}

export interface CatalogPort {
  openRun(p: { dataSourceId: string; executionId: string; mode: 'full' | 'schema_only' | 'incremental'; batchSize: number; scope: CollectScope }): Promise<CatalogRunWriterPort>;
  profileTargets(dataSourceId: string, scope: CollectScope): Promise<ProfileTarget[]>;
  saveProfile(p: { dataSourceId: string; executionId: string; namespace: string; name: string; profile: AssetProfile }): Promise<void>;
  /** The catalog changes (summary and versions) an execution recorded. */
  changesOfExecution(executionId: string): Promise<unknown>;
}

export const DATA_SOURCES_PORT = Symbol('tasks:data-sources');
export const CONNECTORS_PORT = Symbol('tasks:connectors');
export const CATALOG_PORT = Symbol('tasks:catalog');
