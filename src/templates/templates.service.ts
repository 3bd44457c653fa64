import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, Repository } from 'typeorm';
import { ConnectorConfig, validateConfig } from '@app/connectors';
import { Principal } from '../auth/role';
import { pageOf, pageRequest } from '../common/http/pagination';
import { newId } from '../common/ids';
import { iso } from '../common/timestamps';
import { ConfigSecrets } from '../connectors/config-secrets';
import { ConnectorsService } from '../connectors/connectors.service';
import { DataSourcesService } from '../datasources/datasources.service';
import { DataSourceDto } from '../datasources/dto/data-source.dto';
import { isUniqueViolation } from '../datasources/store-errors';
import { systemTemplateOf } from './system-templates';
import { TemplateEntity } from './template.entity';
import { TemplateException } from './template.exception';
import { ApplyTemplateDto, CreateTemplateDto, ListTemplatesQueryDto, TemplateDto, TemplateListDto, UpdateTemplateDto } from './dto/template.dto';

/** Config templates: user templates plus read-only built-ins for every type; applying one creates a data source. */
@Injectable()
export class TemplatesService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Templates');

  constructor(
    @InjectRepository(TemplateEntity) private readonly repo: Repository<TemplateEntity>,
    private readonly connectors: ConnectorsService,
    private readonly dataSources: DataSourcesService,
  ) {}

  /** Seeds or refreshes the built-in templates; idempotent, and safe when replicas start together. */
  async onApplicationBootstrap(): Promise<void> {
    for (const def of this.connectors.registry.list()) {
      const tpl = systemTemplateOf(def);
      const now = new Date();
      const fields = { name: tpl.name, type: def.type, description: tpl.description, configTemplate: JSON.stringify(tpl.config), isSystem: true };
      const existing = await this.repo.findOneBy({ id: tpl.id });
      try {
        if (!existing) await this.repo.insert({ id: tpl.id, ...fields, createdBy: null, createdAt: now, updatedAt: now });
        else if (existing.name !== fields.name || existing.description !== fields.description || existing.configTemplate !== fields.configTemplate || !existing.isSystem) {
          await this.repo.update({ id: tpl.id }, { ...fields, updatedAt: now });
        }
      } catch (err) {
        // Another instance seeded it first, or a user template already holds the name.
        if (!isUniqueViolation(err)) throw err;
        if (!(await this.repo.existsBy({ id: tpl.id }))) this.logger.warn({ type: def.type, name: tpl.name }, 'A user template holds the name of a built-in template; the built-in one is not seeded');
      }
    }
  }

  async list(q: ListTemplatesQueryDto): Promise<TemplateListDto> {
    const p = pageRequest(q);
    const where: FindOptionsWhere<TemplateEntity> = {};
    if (q.type) where.type = q.type;
    if (q.is_system) where.isSystem = q.is_system === 'true';
    const [rows, total] = await this.repo.findAndCount({ where, order: { type: 'ASC', isSystem: 'DESC', name: 'ASC' }, skip: p.skip, take: p.pageSize });
    return pageOf('templates', rows.map((r) => this.toDto(r)), total, p);
  }

  async get(id: string): Promise<TemplateDto> {
    return this.toDto(await this.find(id));
  }

  async create(dto: CreateTemplateDto, actor?: Principal): Promise<TemplateDto> {
    const secrets = this.secretsOf(dto.type);
    this.refuseEmbeddedPasswords(secrets, dto.config_template);
    const clear = withoutNulls(dto.config_template);
    this.checkPartial(dto.type, secrets, clear);
    await this.assertNameFree(dto.type, dto.name);
    const now = new Date();
    const row = this.repo.create({
      id: newId('tpl'),
      name: dto.name,
      type: dto.type,
      description: dto.description ?? null,
      configTemplate: JSON.stringify(secrets.seal(clear)),
      isSystem: false,
      createdBy: actor?.id ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await this.insert(row);
    return this.toDto(row);
  }

  async update(id: string, dto: UpdateTemplateDto): Promise<TemplateDto> {
    const row = await this.find(id);
    if (row.isSystem) throw TemplateException.readOnly(row.name);
    const changes: Partial<TemplateEntity> = { updatedAt: new Date() };
    if (dto.name !== undefined && dto.name !== row.name) {
      await this.assertNameFree(row.type, dto.name, id);
      changes.name = dto.name;
    }
    if (dto.description !== undefined) changes.description = dto.description;
    if (dto.config_template !== undefined) {
      const secrets = this.secretsOf(row.type);
      this.refuseEmbeddedPasswords(secrets, dto.config_template);
      const merged = secrets.merge(stored(row), dto.config_template);
      this.checkPartial(row.type, secrets, merged);
      changes.configTemplate = JSON.stringify(secrets.seal(merged));
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

  /** config_template merged with config_overrides ("******" keeps the template's secret), validated, created as a data source. */
  async apply(id: string, dto: ApplyTemplateDto, actor?: Principal): Promise<DataSourceDto> {
    const row = await this.find(id);
    const secrets = this.secretsOf(row.type);
    this.refuseEmbeddedPasswords(secrets, dto.config_overrides ?? {});
    const config = secrets.merge(stored(row), dto.config_overrides ?? {});
    return this.dataSources.create({ name: dto.name, type: row.type, description: dto.description ?? row.description ?? undefined, config, tags: dto.tags }, actor);
  }

  private secretsOf(type: string): ConfigSecrets {
    if (!this.connectors.registry.has(type)) throw TemplateException.unsupportedType(type, this.connectors.registry.list().map((d) => d.type));
    return this.connectors.secretsOf(type);
  }

  private refuseEmbeddedPasswords(secrets: ConfigSecrets, incoming: ConnectorConfig): void {
    const fields = secrets.embeddedPasswords(incoming);
    if (fields.length > 0) throw TemplateException.embeddedPassword(fields);
  }

  /** A template may leave out required fields (filled when applied), but what it holds must fit the type. */
  private checkPartial(type: string, secrets: ConfigSecrets, clear: ConnectorConfig): void {
    const masked = secrets.unresolvedMasks(clear);
    if (masked.length > 0) throw TemplateException.maskedSecret(masked);
    const problems = validateConfig(this.connectors.registry.get(type).configSpec, clear).filter((p) => Object.prototype.hasOwnProperty.call(clear, p.field));
    if (problems.length > 0) throw TemplateException.invalidConfig(type, problems);
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
    const other = await this.repo.findOne({ where: { type, name } as FindOptionsWhere<TemplateEntity>, select: { id: true } });
    if (other && other.id !== exceptId) throw TemplateException.nameTaken(type, name);
  }

  private toDto(row: TemplateEntity): TemplateDto {
    const config = this.connectors.registry.has(row.type) ? this.connectors.secretsOf(row.type).mask(stored(row)) : {};
    return {
      id: row.id,
      name: row.name,
      type: row.type,
      description: row.description,
      config_template: config,
      is_system: row.isSystem,
      created_by: row.createdBy,
      created_at: iso(row.createdAt)!,
      updated_at: iso(row.updatedAt)!,
    };
  }
}

function stored(row: TemplateEntity): ConnectorConfig {
  return JSON.parse(row.configTemplate) as ConnectorConfig;
}

function withoutNulls(config: ConnectorConfig): ConnectorConfig {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null && v !== undefined));
}
