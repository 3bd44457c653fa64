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
import { isUniqueViolation } from '../database/store-errors';
import { TemplateDrafts } from './template-drafts';
import { TemplateEntity } from './template.entity';
import { TemplateException } from './template.exception';
import { TemplateExportDocumentDto, TemplateExportRequestDto, TemplateImportRequestDto, TemplateImportResultDto, TemplateTransferItemDto } from './dto/template-transfer.dto';

type Planned =
  | { index: number; name: string; type: string; action: 'created'; row: TemplateEntity; warnings: string[] }
  | { index: number; name: string; type: string; action: 'updated'; existing: TemplateEntity; changes: Partial<TemplateEntity> };

/** Import and export of user templates as JSON or YAML; secrets never leave in clear, built-ins are never written. */
@Injectable()
export class TemplatesTransferService {
  constructor(
    @InjectRepository(TemplateEntity) private readonly repo: Repository<TemplateEntity>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly drafts: TemplateDrafts,
    private readonly connectors: ConnectorsService,
  ) {}

  async export(dto: TemplateExportRequestDto): Promise<RenderedExport<TemplateExportDocumentDto>> {
    const where: FindOptionsWhere<TemplateEntity> = {};
    if (dto.ids) where.id = In(dto.ids);
    if (dto.type) where.type = dto.type;
    const rows = await this.repo.find({ where, order: { type: 'ASC', isSystem: 'DESC', name: 'ASC' } });
    if (dto.ids) {
      const missing = dto.ids.filter((id) => !rows.some((r) => r.id === id));
      if (missing.length > 0) throw TemplateException.notFound(missing.join(', '));
      const builtIn = rows.filter((r) => r.isSystem);
      if (builtIn.length > 0 && !dto.include_system) {
        throw DomainException.invalid(`${builtIn.map((r) => r.id).join(', ')} ${builtIn.length === 1 ? 'is a built-in template' : 'are built-in templates'}`, 'Pass include_system: true to export built-in templates.');
      }
    }
    const exported = dto.include_system ? rows : rows.filter((r) => !r.isSystem);
    const document: TemplateExportDocumentDto = {
      exported_at: iso(new Date())!,
      count: exported.length,
      templates: exported.map((r) => ({
        name: r.name,
        type: r.type,
        ...(r.description !== null ? { description: r.description } : {}),
        config_template: this.drafts.maskedConfig(r),
        is_system: r.isSystem,
      })),
    };
    return renderExport(document, dto.format);
  }

  /**
   * Imports a list. By default all or nothing: every item is checked first and one bad item
   * imports none; with `continue_on_error` the good ones are imported and the bad ones reported.
   */
  async import(body: unknown, query: ImportQueryDto, actor?: Principal): Promise<TemplateImportResultDto> {
    const request = await readImportDocument(body, query, { listKey: 'templates', requestClass: TemplateImportRequestDto });
    const items = request.templates;
    refuseEmbeddedPasswords(items, { listKey: 'templates', configKey: 'config_template' }, (type) =>
      this.connectors.registry.has(type) ? this.connectors.secretsOf(type).secretFields() : undefined,
    );
    const continueOnError = request.continue_on_error ?? false;
    const errors: ImportItemErrorDto[] = [];
    const planned = await this.plan(items, request.update_existing ?? false, actor, errors);

    const outcome = await importChecked(this.db, items.length, planned, errors, continueOnError, (manager, item) => this.write(manager, item), (item, err) => this.writeError(item, err));
    if (outcome.nothingImported) return this.result(items.length, [], outcome.errors, [], outcome.nothingImported);
    const done: ImportedItemDto[] = outcome.written.map((item) => ({
      index: item.index,
      id: item.action === 'created' ? item.row.id : item.existing.id,
      name: item.name,
      action: item.action,
    }));
    const warnings: ImportWarningDto[] = outcome.written.flatMap((item) =>
      item.action === 'created' ? item.warnings.map((message) => ({ index: item.index, name: item.name, message })) : [],
    );
    return this.result(items.length, done, outcome.errors, warnings, `Imported ${done.length} of ${items.length} templates`);
  }

  private async plan(items: unknown[], updateExisting: boolean, actor: Principal | undefined, errors: ImportItemErrorDto[]): Promise<Planned[]> {
    const planned: Planned[] = [];
    const seen = new Set<string>();
    for (const [index, raw] of items.entries()) {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        errors.push({ index, name: null, code: ErrorCode.InvalidRequest, message: 'An item must be an object with name, type and config_template' });
        continue;
      }
      const rawName = typeof (raw as { name?: unknown }).name === 'string' ? (raw as { name: string }).name : null;
      const { value: item, problems } = await validatePlain(TemplateTransferItemDto, raw);
      if (problems.length > 0) {
        errors.push({ index, name: rawName, code: ErrorCode.InvalidRequest, message: `Validation failed: ${problems.join('; ')}` });
        continue;
      }
      // Names are unique per type, so type and name together identify a template across installations.
      const key = JSON.stringify([item.type, item.name]);
      if (seen.has(key)) {
        errors.push({ index, name: item.name, code: ErrorCode.Conflict, message: `The ${item.type} template "${item.name}" appears more than once in the document` });
        continue;
      }
      seen.add(key);
      try {
        if (item.is_system) throw TemplateException.builtInImported(item.name);
        const existing = await this.repo.findOneBy({ type: item.type, name: item.name });
        if (existing?.isSystem) throw TemplateException.readOnly(existing.name);
        if (existing && !updateExisting) throw TemplateException.nameTaken(item.type, item.name);
        if (existing) {
          const changes = this.drafts.draftUpdate(existing, { description: item.description, config_template: item.config_template });
          planned.push({ index, name: item.name, type: item.type, action: 'updated', existing, changes });
        } else {
          const { row, warnings } = this.drafts.draftNew(item, actor, { dropMaskedSecrets: true });
          planned.push({ index, name: item.name, type: item.type, action: 'created', row, warnings });
        }
      } catch (err) {
        errors.push(itemErrorOf(index, item.name, err));
      }
    }
    return planned;
  }

  private async write(manager: EntityManager, item: Planned): Promise<void> {
    if (item.action === 'created') await manager.insert(TemplateEntity, item.row);
    else await manager.update(TemplateEntity, { id: item.existing.id }, item.changes);
  }

  private writeError(item: Planned, err: unknown): ImportItemErrorDto {
    if (isUniqueViolation(err)) return itemErrorOf(item.index, item.name, TemplateException.nameTaken(item.type, item.name));
    throw err;
  }

  private result(total: number, done: ImportedItemDto[], errors: ImportItemErrorDto[], warnings: ImportWarningDto[], message: string): TemplateImportResultDto {
    return { total, success: done.length, failed: errors.length, errors, templates: done, warnings, message };
  }
}
