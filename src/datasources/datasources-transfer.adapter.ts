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
import { DataSourceDrafts, UpdateDraft } from './data-source-drafts';
import { DataSourceEntity } from './data-source.entity';
import { DataSourceException } from './data-source.exception';
import { tagsOf } from './data-source.mapper';
import { ExportRequestDto, ImportRequestDto, TransferItemDto } from './dto/import-export.dto';

export interface DataSourceTransfer {
  listKey: 'data_sources';
  row: DataSourceEntity;
  item: TransferItemDto;
  changes: UpdateDraft;
  exported: TransferItemDto;
  exportRequest: ExportRequestDto;
}

/** The data-source import/export: the shared service bound to the adapter below. */
export type DataSourcesTransfer = TransferService<DataSourceTransfer>;
export const DATA_SOURCES_TRANSFER = Symbol('DataSourcesTransfer');

/** Data sources in import/export documents: unique by name, written through DataSourceDrafts. */
@Injectable()
export class DataSourcesTransferAdapter implements TransferAdapter<DataSourceTransfer> {
  readonly listKey = 'data_sources';
  readonly configKey = 'config';
  readonly plural = 'data sources';
  readonly requestClass = ImportRequestDto;
  readonly itemClass = TransferItemDto;

  constructor(
    @InjectRepository(DataSourceEntity) private readonly repo: Repository<DataSourceEntity>,
    private readonly drafts: DataSourceDrafts,
    private readonly connectors: ConnectorsService,
  ) {}

  secretFieldsOf(type: string): string[] | undefined {
    return this.connectors.registry.has(type) ? this.connectors.secretsOf(type).secretFields() : undefined;
  }

  findForExport(request: ExportRequestDto): Promise<DataSourceEntity[]> {
    return this.repo.find({ where: exportWhere<DataSourceEntity>(request), order: { name: 'ASC' } });
  }

  notFound(ids: string): DomainException {
    return DataSourceException.notFound(ids);
  }

  toExported(r: DataSourceEntity): TransferItemDto {
    return {
      name: r.name,
      type: r.type,
      ...(r.description !== null ? { description: r.description } : {}),
      status: r.status,
      config: this.drafts.maskedConfig(r),
      tags: tagsOf(r),
    };
  }

  keyOf(item: TransferItemDto): string {
    return item.name;
  }

  repeated(item: TransferItemDto): string {
    return `"${item.name}" appears more than once in the document`;
  }

  findExisting(item: TransferItemDto): Promise<DataSourceEntity | null> {
    return this.repo.findOneBy({ name: item.name });
  }

  nameTaken(item: TransferItemDto): DomainException {
    return DataSourceException.nameTaken(item.name);
  }

  draftNew(item: TransferItemDto, actor: Principal | undefined): { row: DataSourceEntity; warnings: string[] } {
    return this.drafts.draftNew(item, actor, { dropMaskedSecrets: true });
  }

  /** An import updates a source only in place: its type is what its config, tasks and catalog were made for. */
  draftUpdate(existing: DataSourceEntity, item: TransferItemDto): UpdateDraft {
    if (existing.type !== item.type)
      throw new DomainException(
        ErrorReason.DataSourceTypeMismatch,
        `"${item.name}" exists with type ${existing.type}, not ${item.type}`,
      );
    return this.drafts.draftUpdate(existing, { description: item.description, config: item.config, tags: item.tags });
  }

  async insert(manager: EntityManager, row: DataSourceEntity): Promise<void> {
    await manager.insert(DataSourceEntity, row);
  }

  async update(manager: EntityManager, existing: DataSourceEntity, draft: UpdateDraft): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(DataSourceEntity)
      .set({ ...draft.changes, ...(draft.configChanged ? { configVersion: () => 'config_version + 1' } : {}) })
      .where('id = :id', { id: existing.id })
      .execute();
  }

  /** A pool opened on the old config must not serve the new one. */
  async afterUpdates(updated: { existing: DataSourceEntity; changes: UpdateDraft }[]): Promise<void> {
    for (const { existing, changes } of updated) if (changes.configChanged) await this.connectors.release(existing.id);
  }
}
