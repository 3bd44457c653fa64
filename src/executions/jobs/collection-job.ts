import { Connector } from '@app/connectors';
import { ExecutionLog } from '../execution-log';
import { CatalogPort, CatalogRunWriterPort, DataSourceForRun } from '../ports';
import { scopeOf, TaskConfig } from '../run-config';
import { abortable } from '../runner/abortable';
import { ProgressTracker } from '../runner/progress';
import { RunCounters } from '../runner/run-counters';

export interface JobInput {
  executionId: string;
  config: TaskConfig;
  ds: DataSourceForRun;
  connector: Connector;
  catalog: CatalogPort;
  signal: AbortSignal;
  log: ExecutionLog;
  progress: ProgressTracker;
  counters: RunCounters;
}

/**
 * Streams the source's catalog into the catalog store: one writer per run, a batch at a time;
 * removals are applied only when the whole run succeeds (`complete`), never on failure (`abandon`).
 */
export async function runCollection(input: JobInput, mode: 'full' | 'schema_only' | 'incremental'): Promise<void> {
  const { config, ds, connector, catalog, signal, log, progress, counters } = input;
  const scope = scopeOf(config);
  progress.phase = 'collecting';
  const writer: CatalogRunWriterPort = await catalog.openRun({
    dataSourceId: ds.id,
    executionId: input.executionId,
    mode,
    batchSize: config.batch_size,
    scope,
  });
  try {
    const previousSignals = mode === 'incremental' ? writer.previousSignals : undefined;
    if (mode === 'incremental')
      log.info('Incremental run: comparing against the last successful run', {
        known_signals: previousSignals?.size ?? 0,
      });
    const batches = connector.collect({
      mode,
      scope,
      batchSize: config.batch_size,
      signal,
      previousSignals,
      topValues: config.top_values === true,
      onProgress: (done, known) => progress.report(done, known),
    });
    for await (const batch of abortable(batches, signal)) {
      await writer.write(batch);
      counters.countBatch(batch);
      progress.report(counters.tablesProcessed);
      log.debug(`Batch ${counters.batches} written`, {
        assets: batch.assets.length,
        unchanged: batch.unchanged?.length ?? 0,
        namespaces: batch.namespaces?.length ?? 0,
        assets_total: counters.tablesProcessed,
      });
    }
    signal.throwIfAborted();
    progress.phase = 'saving';
    counters.changes = await writer.complete();
    log.info('Catalog updated', { ...counters.changes });
    counters.lineage = writer.lineageOutcome?.() ?? null;
    if (counters.lineage) log.info('Lineage updated', { ...counters.lineage });
  } catch (err) {
    await writer
      .abandon()
      .catch((e: unknown) =>
        log.error('Could not abandon the catalog run', { error: e instanceof Error ? e.message : String(e) }),
      );
    throw err;
  }
  if (counters.tablesProcessed === 0) log.warn('Nothing was collected: the scope matched no assets', { scope });
}
