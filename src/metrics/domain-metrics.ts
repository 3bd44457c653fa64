import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { TASK_TYPES, TestResult } from '@app/connectors';
import { tasksConfig, TasksConfig } from '../config/configuration';
import { MetricsService } from './metrics.service';

/** Every label value here comes from a fixed set (task types, triggers, outcomes, source types): never an id or a name. */
export type ExecutionOutcome = 'completed' | 'failed' | 'cancelled';
export type WebhookAttemptOutcome = 'succeeded' | 'retrying' | 'failed';
export type OpenLineageOutcome = 'accepted' | 'rejected' | 'failed';

const EXECUTION_TRIGGERS = ['manual', 'schedule', 'retry'] as const;
const EXECUTION_OUTCOMES: readonly ExecutionOutcome[] = ['completed', 'failed', 'cancelled'];
const WEBHOOK_OUTCOMES: readonly WebhookAttemptOutcome[] = ['succeeded', 'retrying', 'failed'];
const OPENLINEAGE_OUTCOMES: readonly OpenLineageOutcome[] = ['accepted', 'rejected', 'failed'];
const COUNT_BUCKETS = [0, 1, 10, 50, 100, 500, 1000, 5000, 10_000, 50_000, 100_000];

export interface FinishedRun {
  taskType: string;
  trigger: string;
  outcome: ExecutionOutcome;
  seconds: number;
  assetsWritten: number;
  fieldsWritten: number;
}

/**
 * What the service does, as Prometheus metrics: executions, scheduler, runner, webhooks,
 * connection tests and OpenLineage ingest. Features call these methods (one line per hook);
 * gauges read from the store live in StoreGauges.
 */
@Injectable()
export class DomainMetrics {
  private readonly executionsStarted: Counter<'task_type' | 'trigger'>;
  private readonly executionsFinished: Counter<'task_type' | 'trigger' | 'outcome'>;
  private readonly executionDuration: Histogram<'task_type'>;
  private readonly assetsWritten: Histogram<'task_type'>;
  private readonly fieldsWritten: Histogram<'task_type'>;
  private readonly schedulerLag: Histogram;
  private readonly slotsInUse: Gauge;
  private readonly slotsMax: Gauge;
  private readonly leasesRecovered: Counter;
  private readonly webhookDeliveries: Counter<'outcome'>;
  private readonly connectionTestDuration: Histogram<'type' | 'failed_step'>;
  private readonly openLineageEvents: Counter<'outcome'>;

  constructor(metrics: MetricsService, @Inject(tasksConfig.KEY) tasks: TasksConfig) {
    const registers = [metrics.registry];
    this.executionsStarted = new Counter({
      name: 'metadata_executions_started_total',
      help: 'Executions a runner of this instance started, by task type and trigger',
      labelNames: ['task_type', 'trigger'],
      registers,
    });
    this.executionsFinished = new Counter({
      name: 'metadata_executions_finished_total',
      help: 'Executions this instance finished, by task type, trigger and outcome (completed, failed, cancelled)',
      labelNames: ['task_type', 'trigger', 'outcome'],
      registers,
    });
    this.executionDuration = new Histogram({
      name: 'metadata_execution_duration_seconds',
      help: 'Wall time of finished executions, by task type',
      labelNames: ['task_type'],
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
      registers,
    });
    this.assetsWritten = new Histogram({
      name: 'metadata_execution_assets_written',
      help: 'Catalog assets (tables, views, topics…) one finished execution wrote, by task type',
      labelNames: ['task_type'],
      buckets: COUNT_BUCKETS,
      registers,
    });
    this.fieldsWritten = new Histogram({
      name: 'metadata_execution_fields_written',
      help: 'Catalog fields (columns) one finished execution wrote, by task type',
      labelNames: ['task_type'],
      buckets: COUNT_BUCKETS,
      registers,
    });
    this.schedulerLag = new Histogram({
      name: 'metadata_scheduler_lag_seconds',
      help: 'How late the builtin scheduler fired a schedule: claim time minus due time',
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    });
    this.slotsInUse = new Gauge({
      name: 'metadata_runner_slots_in_use',
      help: 'Executions running on this instance now',
      registers,
    });
    this.slotsMax = new Gauge({
      name: 'metadata_runner_slots',
      help: 'Executions this instance runs at most at once (MAX_CONCURRENT_EXECUTIONS)',
      registers,
    });
    this.leasesRecovered = new Counter({
      name: 'metadata_execution_leases_recovered_total',
      help: 'Running executions taken over after their instance stopped renewing the lease',
      registers,
    });
    this.webhookDeliveries = new Counter({
      name: 'metadata_webhook_delivery_attempts_total',
      help: 'Webhook delivery attempts by outcome: succeeded, retrying (failed, will retry) or failed (given up)',
      labelNames: ['outcome'],
      registers,
    });
    this.connectionTestDuration = new Histogram({
      name: 'metadata_connection_test_duration_seconds',
      help: 'Connection tests of data sources by type and the step that failed (none when it passed)',
      labelNames: ['type', 'failed_step'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.openLineageEvents = new Counter({
      name: 'metadata_openlineage_events_total',
      help: 'OpenLineage events received, by outcome: accepted, rejected (invalid) or failed (not stored)',
      labelNames: ['outcome'],
      registers,
    });
    this.zeroKnownSeries();
    this.runnerSlots(0, tasks.maxConcurrent);
  }

  /** Known label sets start at 0, so rate() and increase() see the first event and dashboards show no gaps. */
  private zeroKnownSeries(): void {
    for (const task_type of TASK_TYPES) {
      for (const trigger of EXECUTION_TRIGGERS) {
        this.executionsStarted.inc({ task_type, trigger }, 0);
        for (const outcome of EXECUTION_OUTCOMES) this.executionsFinished.inc({ task_type, trigger, outcome }, 0);
      }
    }
    for (const outcome of WEBHOOK_OUTCOMES) this.webhookDeliveries.inc({ outcome }, 0);
    for (const outcome of OPENLINEAGE_OUTCOMES) this.openLineageEvents.inc({ outcome }, 0);
    this.leasesRecovered.inc(0);
  }

  executionStarted(taskType: string, trigger: string): void {
    this.executionsStarted.inc({ task_type: taskType, trigger });
  }

  executionFinished(run: FinishedRun): void {
    const task_type = run.taskType;
    this.executionsFinished.inc({ task_type, trigger: run.trigger, outcome: run.outcome });
    this.executionDuration.observe({ task_type }, run.seconds);
    this.assetsWritten.observe({ task_type }, run.assetsWritten);
    this.fieldsWritten.observe({ task_type }, run.fieldsWritten);
  }

  runnerSlots(inUse: number, max: number): void {
    this.slotsInUse.set(inUse);
    this.slotsMax.set(max);
  }

  leaseRecovered(): void {
    this.leasesRecovered.inc();
  }

  scheduleFired(dueAt: Date, firedAt: Date): void {
    this.schedulerLag.observe(Math.max(0, firedAt.getTime() - dueAt.getTime()) / 1000);
  }

  webhookAttempt(outcome: WebhookAttemptOutcome): void {
    this.webhookDeliveries.inc({ outcome });
  }

  connectionTested(type: string, result: TestResult): void {
    const failed_step = result.success ? 'none' : (result.steps.find((s) => !s.ok)?.name ?? 'other');
    this.connectionTestDuration.observe({ type, failed_step }, result.latency / 1000);
  }

  /** For the OpenLineage ingest endpoint: one call per event received. */
  openLineageEvent(outcome: OpenLineageOutcome): void {
    this.openLineageEvents.inc({ outcome });
  }
}

/** The FinishedRun of an execution from what the runner holds when it records the end. */
export function finishedRunOf(
  execution: { taskType: string; trigger: string },
  status: string,
  startedMs: number,
  counts: { tablesProcessed: number; assetsUnchanged: number; recordsProcessed: number },
): FinishedRun {
  return {
    taskType: execution.taskType,
    trigger: execution.trigger,
    outcome: status as ExecutionOutcome,
    seconds: (Date.now() - startedMs) / 1000,
    assetsWritten: counts.tablesProcessed - counts.assetsUnchanged,
    fieldsWritten: counts.recordsProcessed,
  };
}
