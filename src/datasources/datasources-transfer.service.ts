import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { DataSource, EntityManager, FindOptionsWhere, In, Repository } from 'typeorm';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { Principal } from '../auth/role';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { iso } from '../common/timestamps';
import { ConnectorsService } from '../connectors/connectors.service';
import { DataSourceDrafts, UpdateDraft } from './data-source-drafts';
import { DataSourceEntity } from './data-source.entity';
import { DataSourceException } from './data-source.exception';
import { tagsOf } from './data-source.mapper';
import {
  ExportDocumentDto,
  ExportRequestDto,
  ImportedItemDto,
  ImportItemErrorDto,
  ImportQueryDto,
  ImportRequestDto,
  ImportResultDto,
  ImportWarningDto,
  TransferItemDto,
} from './dto/import-export.dto';
import { isUniqueViolation } from './store-errors';

type Planned =
  | { index: number; name: string; action: 'created'; row: DataSourceEntity; warnings: string[] }
  | { index: number; name: string; action: 'updated'; existing: DataSourceEntity; draft: UpdateDraft };

/** Thrown inside the all-or-nothing transaction to roll it back, naming the item that failed. */
class ItemFailed extends Error {
  constructor(readonly error: ImportItemErrorDto) {
    super(error.message);
  }
}

function describeValidation(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => `${path}: ${m.replace(/^property \S+ should not exist$/, 'is not a known field')}`);
    return [...own, ...describeValidation(e.children ?? [], path)];
  });
}

async function check<T extends object>(cls: new () => T, plain: unknown): Promise<{ value: T; problems: string[] }> {
  const value = plainToInstance(cls, plain);
  const problems = describeValidation(await validate(value, { whitelist: true, forbidNonWhitelisted: true }));
  return { value, problems };
}

function errorOf(index: number, name: string | null, err: unknown): ImportItemErrorDto {
  if (err instanceof DomainException) return { index, name, code: err.code, message: err.details ? `${err.message} (${err.details})` : err.message };
  throw err;
}

/** Import and export of data-source definitions as JSON or YAML; secrets never leave in clear. */
@Injectable()
export class DataSourcesTransferService {
  constructor(
    @InjectRepository(DataSourceEntity) private readonly repo: Repository<DataSourceEntity>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly drafts: DataSourceDrafts,
    private readonly connectors: ConnectorsService,
  ) {}

  async export(dto: ExportRequestDto): Promise<{ format: 'json' | 'yaml'; document: ExportDocumentDto; text?: string }> {
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
    const format = dto.format ?? 'json';
    return format === 'yaml' ? { format, document, text: toYaml(document) } : { format, document };
  }

  /**
   * Imports a list. By default all or nothing: every item is checked first and one bad item
   * imports none; with `continue_on_error` the good ones are imported and the bad ones reported.
   */
  async import(body: unknown, query: ImportQueryDto, actor?: Principal): Promise<ImportResultDto> {
    const request = await this.readRequest(body, query);
    const items = request.data_sources;
    this.refuseEmbeddedPasswords(items);
    const continueOnError = request.continue_on_error ?? false;
    const errors: ImportItemErrorDto[] = [];
    const planned = await this.plan(items, request.update_existing ?? false, actor, errors);

    if (errors.length > 0 && !continueOnError) {
      return this.result(items.length, [], errors, [], `Nothing imported: ${errors.length} of ${items.length} items are invalid; fix them or pass continue_on_error`);
    }
    const done: ImportedItemDto[] = [];
    const warnings: ImportWarningDto[] = [];
    if (continueOnError) {
      for (const item of planned) {
        try {
          await this.write(this.db.manager, item);
          this.collect(item, done, warnings);
        } catch (err) {
          errors.push(this.writeError(item, err));
        }
      }
    } else {
      try {
        await this.db.transaction(async (manager) => {
          for (const item of planned) {
            try {
              await this.write(manager, item);
            } catch (err) {
              throw new ItemFailed(this.writeError(item, err));
            }
          }
        });
        for (const item of planned) this.collect(item, done, warnings);
      } catch (err) {
        if (!(err instanceof ItemFailed)) throw err;
        return this.result(items.length, [], [err.error], [], `Nothing imported: item ${err.error.index} could not be stored`);
      }
    }
    for (const item of planned) if (item.action === 'updated' && item.draft.configChanged) await this.connectors.release(item.existing.id);
    errors.sort((a, b) => a.index - b.index);
    return this.result(items.length, done, errors, warnings, `Imported ${done.length} of ${items.length} data sources`);
  }

  private async readRequest(body: unknown, query: ImportQueryDto): Promise<ImportRequestDto> {
    let plain: unknown = body;
    if (typeof body === 'string') {
      try {
        plain = parseYaml(body) as unknown;
      } catch (err) {
        throw DomainException.invalid('The import document is not valid YAML or JSON', err instanceof Error ? err.message : undefined);
      }
      if (Array.isArray(plain)) plain = { data_sources: plain };
      if (plain !== null && typeof plain === 'object' && !Array.isArray(plain)) {
        const record = plain as Record<string, unknown>;
        if (query.continue_on_error) record.continue_on_error = query.continue_on_error === 'true';
        if (query.update_existing) record.update_existing = query.update_existing === 'true';
      }
    } else if (plain !== null && typeof plain === 'object' && !Array.isArray(plain)) {
      const record = { ...(plain as Record<string, unknown>) };
      if (query.continue_on_error && record.continue_on_error === undefined) record.continue_on_error = query.continue_on_error === 'true';
      if (query.update_existing && record.update_existing === undefined) record.update_existing = query.update_existing === 'true';
      plain = record;
    }
    if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
      throw DomainException.invalid('The import document must be an object with a data_sources list', 'Send {"data_sources": [...]} as JSON, or the same document as YAML with Content-Type: application/yaml.');
    }
    const { value, problems } = await check(ImportRequestDto, plain);
    if (problems.length > 0) throw DomainException.invalid('Validation failed', problems.join('; '));
    return value;
  }

  /**
   * A password inside a URI of a non-secret field fails the whole request (not just the item): the
   * request body is audited by field name and would keep it in clear.
   */
  private refuseEmbeddedPasswords(items: unknown[]): void {
    for (const [index, raw] of items.entries()) {
      if (raw === null || typeof raw !== 'object') continue;
      const { type, config } = raw as { type?: unknown; config?: unknown };
      if (typeof type !== 'string' || !this.connectors.registry.has(type) || config === null || typeof config !== 'object' || Array.isArray(config)) continue;
      const fields = this.connectors.secretsOf(type).embeddedPasswords(config as Record<string, unknown>);
      if (fields.length > 0) {
        throw DomainException.invalid(
          `data_sources[${index}].config.${fields[0]} embeds a password in a URI`,
          "Nothing was imported. Move the password into the type's secret field, which is encrypted and masked.",
        );
      }
    }
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
      const { value: item, problems } = await check(TransferItemDto, raw);
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
        errors.push(errorOf(index, item.name, err));
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
    if (isUniqueViolation(err)) return errorOf(item.index, item.name, DataSourceException.nameTaken(item.name));
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
