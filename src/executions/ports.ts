import {
  AssetProfile,
  CatalogBatch,
  CollectScope,
  Connector,
  ConnectorDefinition,
  ProfileTarget,
  TaskType,
} from '@app/connectors';
import { DataSourceForRun } from '../connectors/data-source-for-run';
import { TaskConfig } from './run-config';

/**
 * What executions need from the task, data source, connector and catalog features, named here so
 * they depend on these few calls and nothing else of theirs. The tasks feature binds them.
 */
export type { DataSourceForRun };

/** The task a run belongs to, as the runner reads it. */
export interface TaskForRun {
  id: string;
  datasourceId: string;
  type: TaskType;
  config: TaskConfig;
}

export interface TasksPort {
  /** The task, or null when it was deleted. */
  findForRun(id: string): Promise<TaskForRun | null>;
  /** Records when a run of the task began. */
  markExecuted(id: string, at: Date): Promise<void>;
}

export interface DataSourcesPort {
  /** Throws a NOT_FOUND DomainException for an unknown id. */
  requireForRun(id: string): Promise<DataSourceForRun>;
  registerDependents(
    name: string,
    lister: (dataSourceId: string) => Promise<Array<{ id: string; name: string }>>,
  ): void;
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
  /** What the run changed in the lineage graph (edges added and removed, unresolved views), once it ended. */
  lineageOutcome?(): object | null;
  readonly progress: { assetsSeen: number; assetsWritten: number; fieldsSeen: number };
}

export interface CatalogPort {
  openRun(p: {
    dataSourceId: string;
    executionId: string;
    mode: 'full' | 'schema_only' | 'incremental';
    batchSize: number;
    scope: CollectScope;
  }): Promise<CatalogRunWriterPort>;
  profileTargets(dataSourceId: string, scope: CollectScope): Promise<ProfileTarget[]>;
  saveProfile(p: {
    dataSourceId: string;
    executionId: string;
    namespace: string;
    name: string;
    profile: AssetProfile;
  }): Promise<void>;
  /** The catalog changes (summary and versions) an execution recorded. */
  changesOfExecution(executionId: string): Promise<unknown>;
}

export const TASKS_PORT = Symbol('executions:tasks');
export const DATA_SOURCES_PORT = Symbol('executions:data-sources');
export const CONNECTORS_PORT = Symbol('executions:connectors');
export const CATALOG_PORT = Symbol('executions:catalog');
