import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { DATA_SOURCE_TYPES, TestResult, withDefaults } from '@app/connectors';
import { Principal } from '../auth/role';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';
import { pageOf, pageRequest } from '../common/http/pagination';
import { ConnectorsService } from '../connectors/connectors.service';
import { DataSourceForRun } from '../connectors/data-source-for-run';
import { DomainMetrics } from '../metrics/domain-metrics';
import { ConnectionStatusService, StatusChange } from './connection-status.service';
import { ConnectionTestLimiter } from './connection-test-limiter';
import { DataSourceDrafts } from './data-source-drafts';
import { DataSourceEntity } from './data-source.entity';
import { DataSourceException } from './data-source.exception';
import { BatchResultDto, BatchStatusDto, ItemErrorDto } from './dto/batch-status.dto';
import { CanDeleteDto, DependentDto } from './dto/can-delete.dto';
import { CreateDataSourceDto } from './dto/create-data-source.dto';
import { DataSourceDto, DataSourceListDto } from './dto/data-source.dto';
import { DataSourceTypesDto } from './dto/data-source-types.dto';
import { ListDataSourcesQueryDto } from './dto/list-data-sources-query.dto';
import { TestConfigDto } from './dto/test-connection.dto';
import { UpdateDataSourceDto } from './dto/update-data-source.dto';
import { escapeLike } from '../database/like';
import { isForeignKeyViolation, isUniqueViolation } from '../database/store-errors';

export type { DataSourceForRun } from '../connectors/data-source-for-run';

/** Something that uses a data source and so blocks its deletion (a task, …). */
export interface Dependent {
  id: string;
  name: string;
}
export type DependentsLister = (dataSourceId: string) => Promise<Dependent[]>;

/** Data sources: CRUD, connection tests, status; and what other features need (runs, dependents). */
@Injectable()
export class DataSourcesService {
  private readonly dependentListers = new Map<string, DependentsLister>();

  constructor(
    @InjectRepository(DataSourceEntity) private readonly repo: Repository<DataSourceEntity>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly connectors: ConnectorsService,
    private readonly drafts: DataSourceDrafts,
    private readonly status: ConnectionStatusService,
    private readonly testLimiter: ConnectionTestLimiter,
    private readonly metrics: DomainMetrics,
  ) {}

  // ---- for other features ------------------------------------------------------------------

  /** Registers what uses data sources (e.g. `tasks`): while it lists any, a delete is refused with 409. */
  registerDependents(name: string, lister: DependentsLister): void {
    this.dependentListers.set(name, lister);
  }

  /** The source as a run needs it: config decrypted with defaults, and its version. Throws NOT_FOUND. */
  async requireForRun(id: string): Promise<DataSourceForRun> {
    const row = await this.find(id);
    const spec = this.connectors.registry.get(row.type).configSpec;
    return {
      id: row.id,
      name: row.name,
      type: row.type,
      status: row.status,
      config: withDefaults(spec, this.drafts.reveal(row)),
      version: String(row.configVersion),
    };
  }

  // ---- REST/gRPC operations ----------------------------------------------------------------

  /** Every registered source type with its config fields and capabilities, in the seed's order. */
  types(): DataSourceTypesDto {
    const order = (t: string) => (DATA_SOURCE_TYPES as readonly string[]).indexOf(t);
    const defs = [...this.connectors.registry.list()].sort((a, b) => order(a.type) - order(b.type));
    return {
      types: defs.map((d) => ({
        type: d.type,
        display_name: d.displayName,
        config_fields: d.configSpec.map((f) => ({
          name: f.name,
          type: f.type,
          required: f.required,
          ...(f.default !== undefined ? { default: f.default } : {}),
          secret: f.secret,
          description: f.description,
          ...(f.enum ? { enum: f.enum } : {}),
          ...(f.min !== undefined ? { min: f.min } : {}),
          ...(f.max !== undefined ? { max: f.max } : {}),
          ...(f.oneOf ? { one_of: f.oneOf } : {}),
        })),
        capabilities: {
          task_types: d.capabilities.taskTypes,
          incremental: d.capabilities.incremental,
          ...(d.capabilities.changeSignal ? { change_signal: d.capabilities.changeSignal } : {}),
          profile: d.capabilities.profile,
        },
      })),
    };
  }

  async list(q: ListDataSourcesQueryDto): Promise<DataSourceListDto> {
    const p = pageRequest(q);
    const qb = this.repo.createQueryBuilder('ds');
    if (q.type) qb.andWhere('ds.type = :type', { type: q.type });
    if (q.status) qb.andWhere('ds.status = :status', { status: q.status });
    if (q.name)
      qb.andWhere("LOWER(ds.name) LIKE :pattern ESCAPE '!'", { pattern: `%${escapeLike(q.name.toLowerCase())}%` });
    const [rows, total] = await qb
      .orderBy('ds.createdAt', 'DESC')
      .addOrderBy('ds.id', 'DESC')
      .offset(p.skip)
      .limit(p.pageSize)
      .getManyAndCount();
    return pageOf(
      'data_sources',
      rows.map((r) => this.drafts.toDto(r)),
      total,
      p,
    );
  }

  async get(id: string): Promise<DataSourceDto> {
    return this.drafts.toDto(await this.find(id));
  }

  async create(dto: CreateDataSourceDto, actor?: Principal): Promise<DataSourceDto> {
    const { row } = this.drafts.draftNew(dto, actor);
    await this.assertNameFree(dto.name);
    try {
      await this.repo.insert(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw DataSourceException.nameTaken(dto.name);
      throw err;
    }
    return this.drafts.toDto(row);
  }

  async update(id: string, dto: UpdateDataSourceDto): Promise<DataSourceDto> {
    const row = await this.find(id);
    const { changes, configChanged } = this.drafts.draftUpdate(row, dto);
    if (changes.name !== undefined) await this.assertNameFree(changes.name, id);
    try {
      await this.repo
        .createQueryBuilder()
        .update(DataSourceEntity)
        // Incremented in SQL so concurrent updates never reuse a version.
        .set({ ...changes, ...(configChanged ? { configVersion: () => 'config_version + 1' } : {}) })
        .where('id = :id', { id })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err) && changes.name !== undefined) throw DataSourceException.nameTaken(changes.name);
      throw err;
    }
    if (configChanged) await this.connectors.release(id);
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    const row = await this.find(id);
    const blocking = await this.dependentsOf(id);
    if (blocking.length > 0) throw DataSourceException.inUse(row.name, blocking);
    try {
      await this.repo.delete({ id });
    } catch (err) {
      // A dependent created between the check and the delete, held by a foreign key.
      if (!isForeignKeyViolation(err)) throw err;
      const now = await this.dependentsOf(id);
      throw now.length > 0
        ? DataSourceException.inUse(row.name, now)
        : new DomainException(
            ErrorReason.DataSourceInUse,
            `Data source "${row.name}" is still referenced`,
            'Remove what uses it first.',
          );
    }
    await this.connectors.release(id);
  }

  async canDelete(id: string): Promise<CanDeleteDto> {
    const row = await this.find(id);
    const dependents = await this.dependentsOf(id);
    return {
      can_delete: dependents.length === 0,
      dependents,
      message:
        dependents.length === 0
          ? `Data source "${row.name}" can be deleted`
          : DataSourceException.inUse(row.name, dependents).message,
    };
  }

  /**
   * Tests a saved source and records the outcome (status, last test, latency, error). Always a
   * result, never a 5xx for a bad connection; 429 beyond the test caps. `signal` fires when the
   * caller goes away: the test is abandoned and records nothing.
   */
  async test(id: string, actor?: Principal, signal?: AbortSignal): Promise<TestResult> {
    const row = await this.find(id);
    return this.testLimiter.run(userKeyOf(actor), () =>
      this.status.testAndRecord(row, { actor, reason: 'test', signal }),
    );
  }

  /** Tests a config that is not saved (or edits to a saved one); records nothing. */
  async testConfig(dto: TestConfigDto, actor?: Principal, signal?: AbortSignal): Promise<TestResult> {
    let saved: DataSourceEntity | undefined;
    if (dto.datasource_id) {
      saved = await this.find(dto.datasource_id);
      if (saved.type !== dto.type)
        throw new DomainException(
          ErrorReason.DataSourceTypeMismatch,
          `type "${dto.type}" differs from the type of data source ${saved.id} (${saved.type})`,
        );
    }
    const clear = this.drafts.clearConfigForTest(dto.type, dto.config, saved);
    const result = await this.testLimiter.run(userKeyOf(actor), () =>
      this.connectors.test(dto.type, clear, signal, this.testLimiter.maxTimeoutSeconds),
    );
    this.metrics.connectionTested(dto.type, result);
    return result;
  }

  async batchStatus(dto: BatchStatusDto, actor?: Principal): Promise<BatchResultDto> {
    const ids = [...new Set(dto.ids)];
    const errors: ItemErrorDto[] = [];
    let success = 0;
    for (const id of ids) {
      const row = await this.repo.findOneBy({ id });
      if (!row) {
        errors.push({ id, code: 'NOT_FOUND', message: `Data source ${id} not found` });
        continue;
      }
      if (row.status === dto.status) {
        success++;
        continue;
      }
      const now = new Date();
      const change: StatusChange = {
        dataSourceId: id,
        name: row.name,
        type: row.type,
        from: row.status,
        to: dto.status,
        reason: 'batch',
        message: null,
        at: now,
      };
      let applied = false;
      await this.db.transaction(async (manager) => {
        const res = await manager
          .createQueryBuilder()
          .update(DataSourceEntity)
          .set({ status: dto.status, statusChangedAt: now, updatedAt: now })
          .where('id = :id AND status = :from', { id, from: row.status })
          .execute();
        applied = (res.affected ?? 0) > 0;
        if (applied) await this.status.enqueueStatusChanged(manager, change);
      });
      if (!applied) {
        errors.push({
          id,
          code: 'CONFLICT',
          message: `The status of data source ${id} changed while it was being set; retry`,
        });
        continue;
      }
      success++;
      await this.status.auditChange(change, actor);
    }
    return { total: ids.length, success, failed: errors.length, errors };
  }

  // ---- helpers -----------------------------------------------------------------------------

  private async find(id: string): Promise<DataSourceEntity> {
    const row = await this.repo.findOneBy({ id });
    if (!row) throw DataSourceException.notFound(id);
    return row;
  }

  private async assertNameFree(name: string, exceptId?: string): Promise<void> {
    const other = await this.repo.findOne({ where: { name }, select: { id: true } });
    if (other && other.id !== exceptId) throw DataSourceException.nameTaken(name);
  }

  private async dependentsOf(id: string): Promise<DependentDto[]> {
    const lists = await Promise.all(
      [...this.dependentListers.entries()].map(async ([kind, lister]) =>
        (await lister(id)).map((d) => ({ kind, id: d.id, name: d.name })),
      ),
    );
    return lists.flat();
  }
}

/** Whose slot a test takes: the user, or one shared slot for calls without one. */
function userKeyOf(actor: Principal | undefined): string {
  return actor?.id ?? 'anonymous';
}
