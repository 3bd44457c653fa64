import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { datasourcesConfig, DatasourcesConfig } from '../config/configuration';
import { ConnectionStatusService } from './connection-status.service';
import { DataSourceEntity, DataSourceStatus } from './data-source.entity';

const INTERVAL_NAME = 'datasources.health-check';
/** Sources re-tested by the health check; `inactive` ones are left alone. */
const CHECKED: DataSourceStatus[] = ['active', 'error', 'testing'];
/** Most sources one instance claims per pass; the rest wait for the next pass. */
const MAX_PER_PASS = 500;
// A source is due once its last test is older than this share of the interval, so a tick that
// fires a little early still finds the sources tested one interval ago.
const DUE_SHARE = 0.8;

/** Runs `work` over `items` with at most `limit` in flight. */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Re-tests active and erroring sources every HEALTH_CHECK_INTERVAL_SECONDS, a few at a time.
 * Safe with several replicas: each source's test is claimed by one conditional update of
 * last_test_at, which only one instance can win per interval.
 */
@Injectable()
export class DataSourcesHealthCheckService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DataSourceHealthCheck');
  private running: Promise<string[]> | undefined;
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(datasourcesConfig.KEY) private readonly cfg: DatasourcesConfig,
    @InjectRepository(DataSourceEntity) private readonly repo: Repository<DataSourceEntity>,
    private readonly status: ConnectionStatusService,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (this.cfg.healthCheckIntervalSeconds <= 0) return;
    const handle = setInterval(() => void this.tick(), this.cfg.healthCheckIntervalSeconds * 1000);
    handle.unref();
    this.scheduler.addInterval(INTERVAL_NAME, handle);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    this.shutdown.abort();
    await this.running?.catch(() => undefined);
  }

  /** One pass unless the previous one is still running. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.runOnce();
    try {
      const tested = await this.running;
      if (tested.length > 0) this.logger.log({ tested: tested.length }, 'Health check pass done');
    } catch (err) {
      this.logger.error({ err }, 'Health check pass failed');
    } finally {
      this.running = undefined;
    }
  }

  /** Claims the sources due now and tests them; returns the ids this instance tested. */
  async runOnce(now = new Date()): Promise<string[]> {
    const intervalMs = this.cfg.healthCheckIntervalSeconds * 1000;
    const dueBefore = now.getTime() - Math.floor(intervalMs * DUE_SHARE);
    const due = await this.repo
      .createQueryBuilder('ds')
      .select(['ds.id'])
      .where('ds.status IN (:...statuses)', { statuses: CHECKED })
      .andWhere('(ds.last_test_at IS NULL OR ds.last_test_at <= :due)', { due: dueBefore })
      .orderBy('ds.lastTestAt', 'ASC')
      .limit(MAX_PER_PASS)
      .getMany();
    const tested: string[] = [];
    await forEachBounded(due, this.cfg.healthCheckConcurrency, async ({ id }) => {
      if (this.shutdown.signal.aborted || !(await this.claim(id, now, dueBefore))) return;
      const row = await this.repo.findOneBy({ id });
      if (!row) return;
      try {
        await this.status.testAndRecord(row, { reason: 'health_check', claimed: true, signal: this.shutdown.signal });
        tested.push(id);
      } catch (err) {
        this.logger.error({ err, data_source_id: id }, 'Health check of a data source failed');
      }
    });
    return tested;
  }

  /** Wins the right to test `id` in this interval, or learns another instance has it. */
  private async claim(id: string, now: Date, dueBefore: number): Promise<boolean> {
    const res = await this.repo
      .createQueryBuilder()
      .update(DataSourceEntity)
      .set({ lastTestAt: now })
      .where('id = :id', { id })
      .andWhere('status IN (:...statuses)', { statuses: CHECKED })
      .andWhere('(last_test_at IS NULL OR last_test_at <= :due)', { due: dueBefore })
      .execute();
    return (res.affected ?? 0) > 0;
  }
}
