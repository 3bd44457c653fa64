import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, In, Repository } from 'typeorm';
import { Principal } from '../auth/role';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { iso } from '../common/timestamps';
import { refuseEmbeddedPasswords } from '../common/transfer/embedded-passwords';
import { RenderedExport, renderExport } from '../common/transfer/export-document';
import { readImportDocument, validatePlain } from '../common/transfer/import-document';
import { importChecked, itemErrorOf } from '../common/transfer/import-writes';
import { ImportedItemDto, ImportItemErrorDto, ImportQueryDto, ImportWarningDto } from '../common/transfer/transfer.dto';
import { ConnectorsService } from '../connectors/connectors.service';
import { DataSourceDrafts, UpdateDraft } from './data-source-drafts';
import { DataSourceEntity } from './data-source.entity';
import { DataSourceException } from './data-source.exception';
import { tagsOf } from './data-source.mapper';
import { ExportDocumentDto, ExportRequestDto, ImportRequestDto, ImportResultDto, TransferItemDto } from './dto/import-export.dto';
import { isUniqueViolation } from '../database/store-errors';

type Planned =
  | { index: number; name: string; action: 'created'; row: DataSourceEntity; warnings: string[] }
  | { index: number; name: string; action: 'updated'; existing: DataSourceEntity; draft: UpdateDraft };

/** Import and export of data-source definitions as JSON or YAML; secrets never leave in clear. */
@Injectable()
export class DataSourcesTransferService {
  constructor(
    @InjectRepository(DataSourceEntity) private readonly repo: Repository<DataSourceEntity>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly drafts: DataSourceDrafts,
    private readonly connectors: ConnectorsService,
  ) {}

  async export(dto: ExportRequestDto): Promise<RenderedExport<ExportDocumentDto>> {
    const where: FindOptionsWhere<DataSourceEntity> = {};
    if (dto.ids) where.id = In(dto.ids);
    if (dto.type) where.type = dto.type;
    const rows = await this.repo.find({ where, order: { name: 'ASC' } });
    if (dto.ids) {
      const missing = dto.ids.filter((id) => !rows.some((r) => r.id === id));
      if (missing.length > 0) throw new DataSourceException(ErrorCode.NotFound, `Data source ${missing.join(', ')} not found`);
    }
    const document: ExportDocumentDto = {
      exported_at: iso(new Date())!,
      count: rows.length,
      data_sources: rows.map((r) => ({
        name: r.name,
        type: r.type,
        ...(r.description !== null ? { description: r.description } : {}),
        status: r.status,
        config: this.drafts.maskedConfig(r),
        tags: tagsOf(r),
      })),
    };
    return renderExport(document, dto.format);
  }

  /**
   * Imports a list. By default all or nothing: every item is checked first and one bad item
   * imports none; with `continue_on_error` the good ones are imported and the bad ones reported.
   */
  async import(body: unknown, query: ImportQueryDto, actor?: Principal): Promise<ImportResultDto> {
    const request = await readImportDocument(body, query, { listKey: 'data_sources', requestClass: ImportRequestDto });
    const items = request.data_sources;
    refuseEmbeddedPasswords(items, { listKey: 'data_sources', configKey: 'config' }, (type) =>
      this.connectors.registry.has(type) ? this.connectors.secretsOf(type).secretFields() : undefined,
    );
    const continueOnError = request.continue_on_error ?? false;
    const errors: ImportItemErrorDto[] = [];
    const planned = await this.plan(items, request.update_existing ?? false, actor, errors);

    const outcome = await importChecked(this.db, items.length, planned, errors, continueOnError, (manager, item) => this.write(manager, item), (item, err) => this.writeError(item, err));
    if (outcome.nothingImported) return this.result(items.length, [], outcome.errors, [], outcome.nothingImported);
    const done: ImportedItemDto[] = [];
    const warnings: ImportWarningDto[] = [];
    for (const item of outcome.written) this.collect(item, done, warnings);
    for (const item of planned) if (item.action === 'updated' && item.draft.configChanged) await this.connectors.release(item.existing.id);
    return this.result(items.length, done, outcome.errors, warnings, `Imported ${done.length} of ${items.length} data sources`);
  }

  private async plan(items: unknown[], updateExisting: boolean, actor: Principal | undefined, errors: ImportItemErrorDto[]): Promise<Planned[]> {
    const planned: Planned[] = [];
    const seen = new Set<string>();
    for (const [index, raw] of items.entries()) {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        errors.push({ index, name: null, code: ErrorCode.InvalidRequest, message: 'An item must be an object with name, type and config' });
        continue;
      }
      const rawName = typeof (raw as { name?: unknown }).name === 'string' ? (raw as { name: string }).name : null;
      const { value: item, problems } = await validatePlain(TransferItemDto, raw);
      if (problems.length > 0) {
        errors.push({ index, name: rawName, code: ErrorCode.InvalidRequest, message: `Validation failed: ${problems.join('; ')}` });
        continue;
      }
      if (seen.has(item.name)) {
        errors.push({ index, name: item.name, code: ErrorCode.Conflict, message: `"${item.name}" appears more than once in the document` });
        continue;
      }
      seen.add(item.name);
      try {
        const existing = await this.repo.findOneBy({ name: item.name });
        if (existing && !updateExisting) throw DataSourceException.nameTaken(item.name);
        if (existing) {
          if (existing.type !== item.type) throw DomainException.invalid(`"${item.name}" exists with type ${existing.type}, not ${item.type}`);
          const draft = this.drafts.draftUpdate(existing, { description: item.description, config: item.config, tags: item.tags });
          planned.push({ index, name: item.name, action: 'updated', existing, draft });
        } else {
          const { row, warnings } = this.drafts.draftNew(item, actor, { dropMaskedSecrets: true });
          planned.push({ index, name: item.name, action: 'created', row, warnings });
        }
      } catch (err) {
        errors.push(itemErrorOf(index, item.name, err));
      }
    }
    return planned;
  }

  private async write(manager: EntityManager, item: Planned): Promise<void> {
    if (item.action === 'created') {
      await manager.insert(DataSourceEntity, item.row);
      return;
    }
    await manager
      .createQueryBuilder()
      .update(DataSourceEntity)
      .set({ ...item.draft.changes, ...(item.draft.configChanged ? { configVersion: () => 'config_version + 1' } : {}) })
      .where('id = :id', { id: item.existing.id })
      .execute();
  }

  private writeError(item: Planned, err: unknown): ImportItemErrorDto {
    if (isUniqueViolation(err)) return itemErrorOf(item.index, item.name, DataSourceException.nameTaken(item.name));
    throw err;
  }

  private collect(item: Planned, done: ImportedItemDto[], warnings: ImportWarningDto[]): void {
    const id = item.action === 'created' ? item.row.id : item.existing.id;
    done.push({ index: item.index, id, name: item.name, action: item.action });
    if (item.action === 'created') for (const message of item.warnings) warnings.push({ index: item.index, name: item.name, message });
  }

  private result(total: number, done: ImportedItemDto[], errors: ImportItemErrorDto[], warnings: ImportWarningDto[], message: string): ImportResultDto {
    return { total, success: done.length, failed: errors.length, errors, data_sources: done, warnings, message };
  }
}
