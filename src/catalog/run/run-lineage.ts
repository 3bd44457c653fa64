import { AssetLineage, CollectScope } from '@app/connectors';

/** An asset a run reported with its details, and the lineage it declared (none: it reads from nothing). */
export interface ReportedLineage {
  namespace: string;
  name: string;
  lineage?: AssetLineage;
}

export interface RunLineageInput {
  dataSourceId: string;
  executionId: string;
  scope: CollectScope;
  /** Assets read in full by the run, keyed by `assetKey()`. */
  reported: ReadonlyMap<string, ReportedLineage>;
  /** Assets an incremental run skipped as unchanged: their edges stay as they are. */
  unchanged: ReadonlySet<string>;
  /** True for a successful run: derived edges it no longer saw are removed. False keeps them. */
  removeUnseen: boolean;
}

/** What a run changed in the lineage graph. */
export interface RunLineageOutcome {
  edges_added: number;
  edges_removed: number;
  /** Assets whose declared lineage could not be (fully) resolved, with the reasons of the first few. */
  unresolved: number;
  unresolved_assets: Array<{ namespace: string; name: string; reason: string }>;
}

/** Where a collection run hands its lineage (bound by the lineage feature). */
export interface RunLineagePort {
  apply(input: RunLineageInput): Promise<RunLineageOutcome>;
}

export const RUN_LINEAGE = Symbol('catalog:run-lineage');
