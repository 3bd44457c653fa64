import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Principal } from '../auth/role';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';
import { exportWhere } from '../common/transfer/export-document';
import { TransferAdapter } from '../common/transfer/transfer-adapter';
import { TransferService } from '../common/transfer/transfer.service';
import { ConnectorsService } from '../connectors/connectors.service';
import { TemplateDrafts } from './template-drafts';
import { TemplateEntity } from './template.entity';
import { TemplateException } from './template.exception';
import {
  TemplateExportRequestDto,
  TemplateImportRequestDto,
  TemplateTransferItemDto,
} from './dto/template-transfer.dto';

export interface TemplateTransfer {
  listKey: 'templates';
  row: TemplateEntity;
  item: TemplateTransferItemDto;
  changes: Partial<TemplateEntity>;
  exported: TemplateTransferItemDto;
  exportRequest: TemplateExportRequestDto;
}

/** The template import/export: the shared service bound to the adapter below. */
export type TemplatesTransfer = TransferService<TemplateTransfer>;
export const TEMPLATES_TRANSFER = Symbol('TemplatesTransfer');

/** User templates in import/export documents: unique by type and name; built-ins are exported on request and never written. */
@Injectable()
export class TemplatesTransferAdapter implements TransferAdapter<TemplateTransfer> {
  readonly listKey = 'templates';
  readonly configKey = 'config_template';
  readonly plural = 'templates';
  readonly requestClass = TemplateImportRequestDto;
  readonly itemClass = TemplateTransferItemDto;

  constructor(
    @InjectRepository(TemplateEntity) private readonly repo: Repository<TemplateEntity>,
    private readonly drafts: TemplateDrafts,
    private readonly connectors: ConnectorsService,
  ) {}

  secretFieldsOf(type: string): string[] | undefined {
    return this.connectors.registry.has(type) ? this.connectors.secretsOf(type).secretFields() : undefined;
  }

  findForExport(request: TemplateExportRequestDto): Promise<TemplateEntity[]> {
    return this.repo.find({
      where: exportWhere<TemplateEntity>(request),
      order: { type: 'ASC', isSystem: 'DESC', name: 'ASC' },
    });
  }

  notFound(ids: string): DomainException {
    return TemplateException.notFound(ids);
  }

  /** Built-ins only with include_system; naming one by id without it is a mistake worth a 400, not a silent gap. */
  selectExported(rows: TemplateEntity[], request: TemplateExportRequestDto): TemplateEntity[] {
    if (request.include_system) return rows;
    const builtIn = rows.filter((r) => r.isSystem);
    if (request.ids && builtIn.length > 0) {
      throw new DomainException(
        ErrorReason.BuiltInTemplateExport,
        `${builtIn.map((r) => r.id).join(', ')} ${builtIn.length === 1 ? 'is a built-in template' : 'are built-in templates'}`,
        'Pass include_system: true to export built-in templates.',
      );
    }
    return rows.filter((r) => !r.isSystem);
  }

  toExported(r: TemplateEntity): TemplateTransferItemDto {
    return {
      name: r.name,
      type: r.type,
      ...(r.description !== null ? { description: r.description } : {}),
      config_template: this.drafts.maskedConfig(r),
      is_system: r.isSystem,
    };
  }

  // Names are unique per type, so type and name together identify a template across installations.
  keyOf(item: TemplateTransferItemDto): string {
    return JSON.stringify([item.type, item.name]);
  }

  repeated(item: TemplateTransferItemDto): string {
    return `The ${item.type} template "${item.name}" appears more than once in the document`;
  }

  findExisting(item: TemplateTransferItemDto): Promise<TemplateEntity | null> {
    return this.repo.findOneBy({ type: item.type, name: item.name });
  }

  refuse(item: TemplateTransferItemDto, existing: TemplateEntity | null): void {
    if (item.is_system) throw TemplateException.builtInImported(item.name);
    if (existing?.isSystem) throw TemplateException.readOnly(existing.name);
  }

  nameTaken(item: TemplateTransferItemDto): DomainException {
    return TemplateException.nameTaken(item.type, item.name);
  }

  draftNew(item: TemplateTransferItemDto, actor: Principal | undefined): { row: TemplateEntity; warnings: string[] } {
    return this.drafts.draftNew(item, actor, { dropMaskedSecrets: true });
  }

  draftUpdate(existing: TemplateEntity, item: TemplateTransferItemDto): Partial<TemplateEntity> {
    return this.drafts.draftUpdate(existing, { description: item.description, config_template: item.config_template });
  }

  async insert(manager: EntityManager, row: TemplateEntity): Promise<void> {
    await manager.insert(TemplateEntity, row);
  }

  async update(manager: EntityManager, existing: TemplateEntity, changes: Partial<TemplateEntity>): Promise<void> {
    await manager.update(TemplateEntity, { id: existing.id }, changes);
  }
}
