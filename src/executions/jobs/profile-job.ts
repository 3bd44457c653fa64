import { scopeOf } from '../run-config';
import { raceAbort } from '../runner/abortable';
import { ExecutionErrorCode, RunFailure } from '../runner/run-failure';
import { JobInput } from './collection-job';

/**
 * Profiles the tables already in the catalog within the task's scope, one at a time. A table
 * that cannot be profiled is an error of the run, not its end; a run where every table fails,
 * fails.
 */
export async function runProfile(input: JobInput): Promise<void> {
  const { config, ds, connector, catalog, signal, log, progress, counters } = input;
  progress.phase = 'listing';
  const targets = await catalog.profileTargets(ds.id, scopeOf(config));
  progress.report(0, targets.length);
  progress.phase = 'profiling';
  if (targets.length === 0) {
    log.warn('No collected tables in scope to profile; run a collection task first');
    return;
  }
  let firstError: unknown;
  for (const target of targets) {
    signal.throwIfAborted();
    try {
      const profile = await raceAbort(
        connector.profile(target, {
          sampleRows: config.sample_rows ?? 10_000,
          topValues: config.top_values ?? true,
          topN: config.top_n ?? 10,
          signal,
        }),
        signal,
      );
      await catalog.saveProfile({
        dataSourceId: ds.id,
        executionId: input.executionId,
        namespace: target.namespace,
        name: target.name,
        profile,
      });
      counters.tablesProcessed++;
      counters.recordsProcessed += profile.sample_rows ?? profile.row_count;
      counters.rowsProfiled += profile.sample_rows ?? profile.row_count;
      log.debug('Profiled', {
        namespace: target.namespace,
        name: target.name,
        rows: profile.row_count,
        sampled: profile.sampled,
      });
    } catch (err) {
      if (signal.aborted) throw err;
      firstError ??= err;
      counters.errors++;
      log.error('Could not profile a table', {
        namespace: target.namespace,
        name: target.name,
        error: err instanceof Error ? err.message : String(err),
      });
    }
    progress.report(counters.tablesProcessed + counters.errors, targets.length);
  }
  if (counters.tablesProcessed === 0 && firstError) {
    if (firstError instanceof Error) throw firstError;
    throw new RunFailure(ExecutionErrorCode.Internal, `Every table failed to profile: ${String(firstError)}`);
  }
}
