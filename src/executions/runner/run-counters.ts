import { CatalogBatch } from '@app/connectors';
import { ExecutionResult } from '../task-execution.entity';
import { ChangeSummary } from '../ports';

/** What a run has done so far; kept even when it fails, so a failed run still reports its partial work. */
export class RunCounters {
  tablesProcessed = 0;
  recordsProcessed = 0;
  /** Errors that did not stop the run (e.g. one table that could not be profiled). */
  errors = 0;
  batches = 0;
  namespaces = 0;
  assetsUnchanged = 0;
  rowsEstimated = 0;
  rowsProfiled = 0;
  readonly assetsByKind: Record<string, number> = {};
  changes: ChangeSummary | null = null;
  /** Lineage edges the run added and removed, and the views whose lineage it could not resolve. */
  lineage: object | null = null;

  countBatch(batch: CatalogBatch): void {
    this.batches++;
    this.namespaces += batch.namespaces?.length ?? 0;
    for (const asset of batch.assets) {
      this.tablesProcessed++;
      this.recordsProcessed += asset.fields.length;
      this.assetsByKind[asset.kind] = (this.assetsByKind[asset.kind] ?? 0) + 1;
      const rows = asset.statistics?.rows;
      if (typeof rows === 'number' && Number.isFinite(rows)) this.rowsEstimated += rows;
    }
    const unchanged = batch.unchanged?.length ?? 0;
    this.assetsUnchanged += unchanged;
    this.tablesProcessed += unchanged;
  }

  result(
    durationMs: number,
    warnings: number,
    extraErrors: number,
    extraStats: Record<string, unknown>,
  ): ExecutionResult {
    return {
      tables_processed: this.tablesProcessed,
      records_processed: this.recordsProcessed,
      errors_count: this.errors + extraErrors,
      warnings_count: warnings,
      processing_stats: {
        batches: this.batches,
        namespaces: this.namespaces,
        assets_by_kind: this.assetsByKind,
        assets_unchanged: this.assetsUnchanged,
        rows_estimated: this.rowsEstimated,
        rows_profiled: this.rowsProfiled,
        ...(this.lineage ? { lineage: this.lineage } : {}),
        ...extraStats,
      },
      duration: durationMs,
      changes: this.changes ? { ...this.changes } : null,
    };
  }
}
