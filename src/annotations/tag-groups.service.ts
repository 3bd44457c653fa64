import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { pageOf, pageRequest } from '../common/http/pagination';
import { newId } from '../common/ids';
import { iso } from '../common/timestamps';
import { isUniqueViolation } from '../database/store-errors';
import { likeContains } from '../database/like';
import { AnnotationException } from './annotation.exception';
import {
  CreateTagGroupDto,
  ListTagGroupsQueryDto,
  TagGroupDto,
  TagGroupListDto,
  TagInputDto,
  UpdateTagGroupDto,
} from './dto/tag-group.dto';
import { AnnotationLabelEntity } from './entities/annotation-label.entity';
import { TagEntity, TagGroupEntity } from './entities/tag.entities';

/** Tag groups and their tags: the only tags people may put on targets. */
@Injectable()
export class TagGroupsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(TagGroupEntity) private readonly groups: Repository<TagGroupEntity>,
    @InjectRepository(TagEntity) private readonly tags: Repository<TagEntity>,
  ) {}

  async list(q: ListTagGroupsQueryDto): Promise<TagGroupListDto> {
    const p = pageRequest(q);
    const qb = this.groups.createQueryBuilder('g');
    if (q.q) qb.where(`lower(g.name) LIKE :p ESCAPE '!'`, { p: likeContains(q.q) });
    const [rows, total] = await qb.orderBy('g.name', 'ASC').offset(p.skip).limit(p.pageSize).getManyAndCount();
    const tags = rows.length
      ? await this.tags.find({ where: { groupId: In(rows.map((g) => g.id)) }, order: { name: 'ASC' } })
      : [];
    return pageOf(
      'tag_groups',
      rows.map((g) =>
        toDto(
          g,
          tags.filter((t) => t.groupId === g.id),
        ),
      ),
      total,
      p,
    );
  }

  async get(idOrName: string): Promise<TagGroupDto> {
    const g = await this.require(idOrName);
    return toDto(g, await this.tags.find({ where: { groupId: g.id }, order: { name: 'ASC' } }));
  }

  async create(dto: CreateTagGroupDto): Promise<TagGroupDto> {
    const now = new Date();
    const group: TagGroupEntity = {
      id: newId('tgg'),
      name: dto.name,
      description: dto.description ?? null,
      mutuallyExclusive: dto.mutually_exclusive ?? false,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.db.transaction(async (em) => {
        await em.insert(TagGroupEntity, group);
        await this.insertTags(em, group, dedupe(dto.tags ?? []), now);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw AnnotationException.duplicate('Tag group', dto.name);
      throw err;
    }
    return this.get(group.id);
  }

  async update(idOrName: string, dto: UpdateTagGroupDto): Promise<TagGroupDto> {
    const g = await this.require(idOrName);
    await this.db.transaction(async (em) => {
      const changes: Partial<TagGroupEntity> = { updatedAt: new Date() };
      if (dto.description !== undefined) changes.description = dto.description;
      if (dto.mutually_exclusive !== undefined) changes.mutuallyExclusive = dto.mutually_exclusive;
      await em.update(TagGroupEntity, { id: g.id }, changes);
      if (dto.tags) {
        const wanted = dedupe(dto.tags);
        const existing = await em.find(TagEntity, { where: { groupId: g.id } });
        const dropped = existing.filter((t) => !wanted.some((w) => w.name === t.name));
        await this.refuseInUse(
          em,
          dropped.map((t) => t.fqn),
        );
        if (dropped.length) await em.delete(TagEntity, { id: In(dropped.map((t) => t.id)) });
        for (const w of wanted) {
          const have = existing.find((t) => t.name === w.name);
          if (have && w.description !== undefined)
            await em.update(TagEntity, { id: have.id }, { description: w.description });
        }
        await this.insertTags(
          em,
          g,
          wanted.filter((w) => !existing.some((t) => t.name === w.name)),
          new Date(),
        );
      }
    });
    return this.get(g.id);
  }

  async remove(idOrName: string): Promise<void> {
    const g = await this.require(idOrName);
    await this.db.transaction(async (em) => {
      await this.refuseInUse(
        em,
        (await em.find(TagEntity, { where: { groupId: g.id } })).map((t) => t.fqn),
      );
      await em.delete(TagGroupEntity, { id: g.id });
    });
  }

  /** Dropping a tag people use would change their annotations without a version: remove it from them first. */
  private async refuseInUse(em: EntityManager, fqns: string[]): Promise<void> {
    if (fqns.length === 0) return;
    const used = await em.find(AnnotationLabelEntity, { where: { labelKind: 'tag', value: In(fqns) }, take: 50 });
    if (used.length)
      throw AnnotationException.inUse(
        'Tag',
        [...new Set(used.map((u) => u.value))].join(', '),
        'Remove it from the annotations first (POST /api/v1/annotations/bulk with "remove").',
      );
  }

  private async insertTags(em: EntityManager, g: TagGroupEntity, tags: TagInputDto[], now: Date): Promise<void> {
    if (tags.length)
      await em.insert(
        TagEntity,
        tags.map((t) => ({
          id: newId('tag'),
          groupId: g.id,
          name: t.name,
          fqn: `${g.name}.${t.name}`,
          description: t.description ?? null,
          createdAt: now,
        })),
      );
  }

  private async require(idOrName: string): Promise<TagGroupEntity> {
    const g = await this.groups.findOne({ where: [{ id: idOrName }, { name: idOrName }] });
    if (!g) throw AnnotationException.notFound('Tag group', idOrName);
    return g;
  }
}

function dedupe(tags: TagInputDto[]): TagInputDto[] {
  return [...new Map(tags.map((t) => [t.name, t])).values()];
}

function toDto(g: TagGroupEntity, tags: TagEntity[]): TagGroupDto {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    mutually_exclusive: g.mutuallyExclusive,
    tags: tags.map((t) => ({ id: t.id, name: t.name, fqn: t.fqn, description: t.description })),
    created_at: iso(g.createdAt)!,
    updated_at: iso(g.updatedAt)!,
  };
}
