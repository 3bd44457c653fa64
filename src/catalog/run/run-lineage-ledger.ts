import { assetKey, CatalogBatch } from '@app/connectors';
import type { OpenRunParams } from './catalog-run-writer';
import { ReportedLineage, RunLineageOutcome, RunLineagePort } from './run-lineage';

/** Remembers what lineage a run's assets declared, and hands it over once the run ends. */
export class RunLineageLedger {
  private readonly reported = new Map<string, ReportedLineage>();
  private readonly unchanged = new Set<string>();
  outcome: RunLineageOutcome | null = null;

  constructor(
    private readonly port: RunLineagePort,
    private readonly run: OpenRunParams,
  ) {}

  note(batch: CatalogBatch): void {
    for (const a of batch.assets)
      this.reported.set(assetKey(a.namespace, a.name), { namespace: a.namespace, name: a.name, lineage: a.lineage });
    for (const u of batch.unchanged ?? []) this.unchanged.add(assetKey(u.namespace, u.name));
  }

  async apply(successful: boolean): Promise<void> {
    if (this.outcome) return;
    // A schema_only run reads shapes, and a failed run with nothing declared has nothing to keep.
    if (!successful && ![...this.reported.values()].some((r) => r.lineage)) return;
    this.outcome = await this.port.apply({
      dataSourceId: this.run.dataSourceId,
      executionId: this.run.executionId,
      scope: this.run.scope,
      reported: this.reported,
      unchanged: this.unchanged,
      removeUnseen: successful,
    });
  }
}
