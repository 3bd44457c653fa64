import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConnectorErrorCode, TestResult } from '@app/connectors';
import { AuditService } from '../audit/audit.service';
import { Principal } from '../auth/role';
import { iso } from '../common/timestamps';
import { datasourcesConfig, DatasourcesConfig } from '../config/configuration';
import { ConnectorsService } from '../connectors/connectors.service';
import { DomainMetrics } from '../metrics/domain-metrics';
import { WebhookOutboxService } from '../webhooks/webhook-outbox.service';
import { DataSourceEntity, DataSourceStatus } from './data-source.entity';
import { storedConfigOf } from './data-source.mapper';

export type StatusChangeReason = 'test' | 'health_check' | 'batch';

export interface StatusChange {
  dataSourceId: string;
  name: string;
  type: string;
  from: DataSourceStatus;
  to: DataSourceStatus;
  reason: StatusChangeReason;
  message: string | null;
  at: Date;
}

export interface TestOptions {
  actor?: Principal;
  reason: 'test' | 'health_check';
  /** The caller already claimed the test (set last_test_at); the status is not set to `testing`. */
  claimed?: boolean;
  signal?: AbortSignal;
}

/**
 * Connection tests of saved sources and what follows from them: status (`active`/`error`),
 * last test time, latency and error, and every status change recorded with its time, in the
 * audit log and as webhook events. An `inactive` source stays inactive: a test only reports.
 */
@Injectable()
export class ConnectionStatusService {
  private readonly logger = new Logger('DataSourceStatus');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly connectors: ConnectorsService,
    private readonly audit: AuditService,
    private readonly outbox: WebhookOutboxService,
    @Inject(datasourcesConfig.KEY) private readonly cfg: DatasourcesConfig,
    private readonly metrics: DomainMetrics,
  ) {}

  async testAndRecord(row: DataSourceEntity, options: TestOptions): Promise<TestResult> {
    const before = row.status;
    const keepsStatus = before === 'inactive';
    const marksTesting = !options.claimed && !keepsStatus;
    if (marksTesting)
      await this.db
        .getRepository(DataSourceEntity)
        .update({ id: row.id }, { status: 'testing', lastTestAt: new Date() });

    const result = await this.runTest(row, options.signal);
    this.metrics.connectionTested(row.type, result);
    if (options.reason === 'test' && options.signal?.aborted) {
      // The caller hung up: the test was abandoned and says nothing about the source.
      if (marksTesting)
        await this.db.getRepository(DataSourceEntity).update({ id: row.id, status: 'testing' }, { status: before });
      return result;
    }
    const after: DataSourceStatus = keepsStatus ? 'inactive' : result.success ? 'active' : 'error';
    const now = new Date();
    const lastError = result.success ? null : [result.message, result.details].filter(Boolean).join(' — ');
    const outcome = { lastTestAt: now, lastLatencyMs: Math.round(result.latency), lastError };
    // The status the row must still have for this test to decide the new one: a batch status
    // change made while the test ran wins over the test.
    const expected: DataSourceStatus = marksTesting ? 'testing' : before;
    const changed = after !== before;

    let applied = false;
    await this.db.transaction(async (manager) => {
      const res = await manager
        .createQueryBuilder()
        .update(DataSourceEntity)
        .set({ ...outcome, status: after, ...(changed ? { statusChangedAt: now } : {}) })
        .where('id = :id AND status = :expected', { id: row.id, expected })
        .execute();
      applied = (res.affected ?? 0) > 0;
      if (!applied) {
        await manager.update(DataSourceEntity, { id: row.id }, outcome);
        return;
      }
      if (changed) {
        await this.enqueueStatusChanged(manager, {
          dataSourceId: row.id,
          name: row.name,
          type: row.type,
          from: before,
          to: after,
          reason: options.reason,
          message: lastError,
          at: now,
        });
      }
      if (!result.success) {
        await this.outbox.enqueue(manager, {
          type: 'datasource.connection_failed',
          dataSourceId: row.id,
          data: {
            datasource_id: row.id,
            name: row.name,
            type: row.type,
            message: result.message,
            details: result.details ?? null,
            error_code: result.error_code ?? null,
            reason: options.reason,
            tested_at: iso(now),
          },
        });
      }
    });
    if (applied && changed) {
      await this.auditChange(
        {
          dataSourceId: row.id,
          name: row.name,
          type: row.type,
          from: before,
          to: after,
          reason: options.reason,
          message: lastError,
          at: now,
        },
        options.actor,
      );
    }
    return result;
  }

  /** The `datasource.status_changed` webhook event, in the transaction that changed the status. */
  async enqueueStatusChanged(manager: EntityManager, change: StatusChange): Promise<void> {
    await this.outbox.enqueue(manager, {
      type: 'datasource.status_changed',
      dataSourceId: change.dataSourceId,
      data: {
        datasource_id: change.dataSourceId,
        name: change.name,
        type: change.type,
        old_status: change.from,
        new_status: change.to,
        reason: change.reason,
        message: change.message,
        changed_at: iso(change.at),
      },
    });
  }

  async auditChange(change: StatusChange, actor?: Principal): Promise<void> {
    await this.audit
      .record({
        action: 'datasources.status_changed',
        resourceType: 'datasources',
        resourceId: change.dataSourceId,
        actor: actor?.id ?? null,
        actorName: actor?.username ?? (change.reason === 'health_check' ? 'health-check' : null),
        details: {
          name: change.name,
          from: change.from,
          to: change.to,
          reason: change.reason,
          message: change.message,
          changed_at: iso(change.at),
        },
      })
      .catch((err: unknown) => this.logger.error({ err }, 'Could not record a status change'));
  }

  private async runTest(row: DataSourceEntity, signal?: AbortSignal): Promise<TestResult> {
    let clear;
    try {
      clear = this.connectors.secretsOf(row.type).reveal(storedConfigOf(row));
    } catch (err) {
      this.logger.warn({ err, data_source_id: row.id }, 'Stored config could not be read');
      return {
        success: false,
        message: `The stored config of data source ${row.id} cannot be read`,
        details:
          'Its secrets were encrypted with another ENCRYPTION_KEY, or its type is not supported by this build: set the secrets again.',
        error_code: ConnectorErrorCode.InvalidConfig,
        latency: 0,
        steps: [],
      };
    }
    return this.connectors.test(row.type, clear, signal, this.cfg.testMaxTimeoutSeconds);
  }
}
