import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { DATA_SOURCE_TYPES } from '@app/connectors';
import { metricsConfig, MetricsConfig, tasksConfig, TasksConfig } from '../config/configuration';
import { DATA_SOURCE_STATUSES } from '../datasources/data-source.entity';
import { MetricsService } from './metrics.service';
import { StoreSnapshot, STORE_SNAPSHOT_QUERIES } from './store-snapshot';

const READ_TIMEOUT_MS = 3000;

/**
 * Gauges read from the store (shared by all replicas): catalog size, due-but-unclaimed firings,
 * webhook backlog, data sources by type and status, tasks failing in a row. One snapshot of a few
 * aggregate queries serves every gauge and is reused for METRICS_STORE_REFRESH_SECONDS, so frequent
 * or concurrent scrapes do not repeat them.
 */
@Injectable()
export class StoreGauges {
  private readonly logger = new Logger('Metrics');
  private cached: { at: number; value: Promise<StoreSnapshot | null> } | null = null;

  constructor(
    metrics: MetricsService,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(metricsConfig.KEY) private readonly cfg: MetricsConfig,
    @Inject(tasksConfig.KEY) private readonly tasks: TasksConfig,
  ) {
    const registers = [metrics.registry];
    const gauge = (name: string, help: string, read: (s: StoreSnapshot, g: Gauge) => void): void => {
      const g: Gauge = new Gauge({
        name,
        help,
        registers,
        collect: async () => {
          const snapshot = await this.snapshot();
          if (snapshot) read(snapshot, g);
        },
      });
    };
    gauge('metadata_catalog_assets', 'Assets in the catalog (not removed)', (s, g) => g.set(s.assets));
    gauge('metadata_catalog_fields', 'Fields of the assets in the catalog', (s, g) => g.set(s.fields));
    gauge(
      'metadata_scheduler_due_unclaimed_firings',
      'Active builtin-scheduled tasks whose next firing was due two scheduler ticks ago or earlier and is not claimed',
      (s, g) => g.set(s.dueUnclaimed),
    );
    gauge('metadata_webhook_deliveries_pending', 'Webhook deliveries waiting to be sent', (s, g) =>
      g.set(s.webhookPending),
    );
    gauge(
      'metadata_webhook_deliveries_failing',
      'Pending webhook deliveries whose last attempt failed (waiting for a retry)',
      (s, g) => g.set(s.webhookFailing),
    );
    gauge('metadata_tasks_failing', 'Tasks with at least one failed execution since their last completed one', (s, g) =>
      g.set(s.tasksFailing),
    );
    gauge(
      'metadata_task_failure_streak_max',
      'The longest run of failed executions in a row (retries included) of any task since its last success',
      (s, g) => g.set(s.longestFailureStreak),
    );
    const bySource: Gauge<'type' | 'status'> = new Gauge({
      name: 'metadata_datasources',
      help: 'Data sources by type and status',
      labelNames: ['type', 'status'],
      registers,
      collect: async () => {
        const snapshot = await this.snapshot();
        if (!snapshot) return;
        // Every known pair is set (0 when none), so a source leaving a status is seen leaving it.
        for (const type of DATA_SOURCE_TYPES)
          for (const status of DATA_SOURCE_STATUSES)
            bySource.set({ type, status }, snapshot.dataSources[`${type}/${status}`] ?? 0);
      },
    });
  }

  /** The latest snapshot, refreshed when older than the configured time; null when the store cannot answer. */
  snapshot(now = Date.now()): Promise<StoreSnapshot | null> {
    if (this.cached && now - this.cached.at < this.cfg.storeRefreshSeconds * 1000) return this.cached.value;
    // A slow or unreachable store must not hold the scrape past Prometheus's timeout.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${READ_TIMEOUT_MS} ms`)), READ_TIMEOUT_MS);
    });
    const value = Promise.race([this.read(now), timeout])
      .catch((err: unknown) => {
        this.logger.warn({ err }, 'Store-backed metrics could not be read');
        return null;
      })
      .finally(() => clearTimeout(timer));
    this.cached = { at: now, value };
    return value;
  }

  private async read(now: number): Promise<StoreSnapshot> {
    const q = STORE_SNAPSHOT_QUERIES;
    const [catalog, due, webhooks, sources, streaks] = await Promise.all([
      this.db.query(q.catalog),
      // Two ticks of grace: a firing that fell due since the last tick is not late yet.
      this.db.query(q.dueUnclaimed(now - 2 * this.tasks.tickMs)),
      this.db.query(q.webhookBacklog),
      this.db.query(q.dataSources),
      this.db.query(q.failureStreaks),
    ]);
    const num = (rows: unknown, key: string): number => Number((rows as Array<Record<string, unknown>>)[0]?.[key] ?? 0);
    const dataSources: Record<string, number> = {};
    for (const row of sources as Array<{ type: string; status: string; n: unknown }>)
      dataSources[`${row.type}/${row.status}`] = Number(row.n);
    return {
      assets: num(catalog, 'assets'),
      fields: num(catalog, 'fields'),
      dueUnclaimed: num(due, 'n'),
      webhookPending: num(webhooks, 'pending'),
      webhookFailing: num(webhooks, 'failing'),
      dataSources,
      tasksFailing: num(streaks, 'failing'),
      longestFailureStreak: num(streaks, 'longest'),
    };
  }
}
