import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, Repository } from 'typeorm';
import { Principal } from '../auth/role';
import { pageOf, pageRequest } from '../common/http/pagination';
import { iso } from '../common/timestamps';
import { ConnectorsService } from '../connectors/connectors.service';
import { DataSourcesService } from '../datasources/datasources.service';
import { DataSourceDto } from '../datasources/dto/data-source.dto';
import { isUniqueViolation } from '../database/store-errors';
import { systemTemplateOf } from './system-templates';
import { storedConfigOf, TemplateDrafts } from './template-drafts';
import { TemplateEntity } from './template.entity';
import { TemplateException } from './template.exception';
import {
  ApplyTemplateDto,
  CreateTemplateDto,
  ListTemplatesQueryDto,
  TemplateDto,
  TemplateListDto,
  UpdateTemplateDto,
} from './dto/template.dto';

/** Config templates: user templates plus read-only built-ins for every type; applying one creates a data source. */
@Injectable()
export class TemplatesService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Templates');

  constructor(
    @InjectRepository(TemplateEntity) private readonly repo: Repository<TemplateEntity>,
    private readonly connectors: ConnectorsService,
    private readonly dataSources: DataSourcesService,
    private readonly drafts: TemplateDrafts,
  ) {}

  /** Seeds or refreshes the built-in templates; idempotent, and safe when replicas start together. */
  async onApplicationBootstrap(): Promise<void> {
    for (const def of this.connectors.registry.list()) {
      const tpl = systemTemplateOf(def);
      const now = new Date();
      const fields = {
        name: tpl.name,
        type: def.type,
        description: tpl.description,
        configTemplate: JSON.stringify(tpl.config),
        isSystem: true,
      };
      const existing = await this.repo.findOneBy({ id: tpl.id });
      try {
        if (!existing)
          await this.repo.insert({ id: tpl.id, ...fields, createdBy: null, createdAt: now, updatedAt: now });
        else if (
          existing.name !== fields.name ||
          existing.description !== fields.description ||
          existing.configTemplate !== fields.configTemplate ||
          !existing.isSystem
        ) {
          await this.repo.update({ id: tpl.id }, { ...fields, updatedAt: now });
        }
      } catch (err) {
        // Another instance seeded it first, or a user template already holds the name.
        if (!isUniqueViolation(err)) throw err;
        if (!(await this.repo.existsBy({ id: tpl.id })))
          this.logger.warn(
            { type: def.type, name: tpl.name },
            'A user template holds the name of a built-in template; the built-in one is not seeded',
          );
      }
    }
  }

  async list(q: ListTemplatesQueryDto): Promise<TemplateListDto> {
    const p = pageRequest(q);
    const where: FindOptionsWhere<TemplateEntity> = {};
    if (q.type) where.type = q.type;
    if (q.is_system) where.isSystem = q.is_system === 'true';
    const [rows, total] = await this.repo.findAndCount({
      where,
      order: { type: 'ASC', isSystem: 'DESC', name: 'ASC' },
      skip: p.skip,
      take: p.pageSize,
    });
    return pageOf(
      'templates',
      rows.map((r) => this.toDto(r)),
      total,
      p,
    );
  }

  async get(id: string): Promise<TemplateDto> {
    return this.toDto(await this.find(id));
  }

  async create(dto: CreateTemplateDto, actor?: Principal): Promise<TemplateDto> {
    const { row } = this.drafts.draftNew(dto, actor);
    await this.assertNameFree(dto.type, dto.name);
    await this.insert(row);
    return this.toDto(row);
  }

  async update(id: string, dto: UpdateTemplateDto): Promise<TemplateDto> {
    const row = await this.find(id);
    const changes = this.drafts.draftUpdate(row, dto);
    if (dto.name !== undefined && dto.name !== row.name) {
      await this.assertNameFree(row.type, dto.name, id);
      changes.name = dto.name;
    }
    try {
      await this.repo.update({ id }, changes);
    } catch (err) {
      if (isUniqueViolation(err)) throw TemplateException.nameTaken(row.type, changes.name ?? row.name);
      throw err;
    }
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    const row = await this.find(id);
    if (row.isSystem) throw TemplateException.readOnly(row.name);
    await this.repo.delete({ id });
  }

  /**
   * config_template merged with config_overrides ("******" keeps the template's secret while the
   * overrides leave the template's address alone), validated, created as a data source.
   */
  async apply(id: string, dto: ApplyTemplateDto, actor?: Principal): Promise<DataSourceDto> {
    const row = await this.find(id);
    const secrets = this.drafts.secretsOf(row.type);
    this.drafts.refuseEmbeddedPasswords(secrets, dto.config_overrides ?? {}, 'config_overrides');
    const config = secrets.merge(storedConfigOf(row), dto.config_overrides ?? {}, 'config_overrides');
    return this.dataSources.create(
      {
        name: dto.name,
        type: row.type,
        description: dto.description ?? row.description ?? undefined,
        config,
        tags: dto.tags,
      },
      actor,
    );
  }

  private async insert(row: TemplateEntity): Promise<void> {
    try {
      await this.repo.insert(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw TemplateException.nameTaken(row.type, row.name);
      throw err;
    }
  }

  private async find(id: string): Promise<TemplateEntity> {
    const row = await this.repo.findOneBy({ id });
    if (!row) throw TemplateException.notFound(id);
    return row;
  }

  private async assertNameFree(type: string, name: string, exceptId?: string): Promise<void> {
    const other = await this.repo.findOne({
      where: { type, name } as FindOptionsWhere<TemplateEntity>,
      select: { id: true },
    });
    if (other && other.id !== exceptId) throw TemplateException.nameTaken(type, name);
  }

  private toDto(row: TemplateEntity): TemplateDto {
    return {
      id: row.id,
      name: row.name,
      type: row.type,
      description: row.description,
      config_template: this.drafts.maskedConfig(row),
      is_system: row.isSystem,
      created_by: row.createdBy,
      created_at: iso(row.createdAt)!,
      updated_at: iso(row.updatedAt)!,
    };
  }
}
