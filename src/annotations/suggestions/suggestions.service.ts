import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere, Repository } from 'typeorm';
import { AssetProfile } from '@app/connectors';
import { Principal } from '../../auth/role';
import { AssetKey } from '../../catalog/catalog-annotations.port';
import { CatalogQueryService } from '../../catalog/catalog-query.service';
import { ProfileObserver } from '../../catalog/profile-observer.port';
import { pageOf, pageRequest } from '../../common/http/pagination';
import { newId } from '../../common/ids';
import { iso } from '../../common/timestamps';
import { isUniqueViolation } from '../../database/store-errors';
import { AnnotationException } from '../annotation.exception';
import { AnnotationsService } from '../annotations.service';
import { AnnotationSuggestionEntity } from '../entities/annotation-suggestion.entity';
import { TagEntity, TagGroupEntity } from '../entities/tag.entities';
import { QualifiedName, targetKey } from '../qualified-name';
import { TagGroupsService } from '../tag-groups.service';
import { PII_GROUP, suggestPii } from './pii-classifier';
import { ListSuggestionsQueryDto, SuggestionDto, SuggestionListDto } from './suggestion.dto';

/**
 * PII tags suggested by data profiles. A profile proposes; a person decides: accepting adds the tag
 * to the field's annotations (a version like any edit), rejecting keeps the field from being
 * proposed that tag again.
 */
@Injectable()
export class SuggestionsService implements ProfileObserver {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(AnnotationSuggestionEntity) private readonly suggestions: Repository<AnnotationSuggestionEntity>,
    @InjectRepository(TagGroupEntity) private readonly groups: Repository<TagGroupEntity>,
    @InjectRepository(TagEntity) private readonly tags: Repository<TagEntity>,
    private readonly annotations: AnnotationsService,
    private readonly tagGroups: TagGroupsService,
    private readonly catalog: CatalogQueryService,
  ) {}

  /** Records what a profile suggests; a field already carrying the tag, or that refused it, is left alone. */
  async profiled(asset: AssetKey, profile: AssetProfile, executionId: string): Promise<void> {
    const now = new Date();
    for (const column of profile.columns) {
      const found = suggestPii(column);
      if (found.length === 0) continue;
      const name: QualifiedName = { ...asset, asset: asset.name, field: column.name };
      const key = targetKey(name);
      const carried = new Set((await this.annotations.documentByName(name)).tags ?? []);
      for (const s of found) {
        if (carried.has(s.tag)) continue;
        const existing = await this.suggestions.findOne({ where: { targetKey: key, tag: s.tag } });
        if (existing) {
          if (existing.status === 'pending')
            await this.suggestions.update(
              { id: existing.id },
              { confidence: s.confidence, evidence: s.evidence, executionId, updatedAt: now },
            );
          continue;
        }
        try {
          await this.suggestions.insert({
            id: newId('sug'),
            targetKey: key,
            dataSourceId: asset.dataSourceId,
            namespace: asset.namespace,
            assetName: asset.name,
            fieldPath: column.name,
            tag: s.tag,
            confidence: s.confidence,
            evidence: s.evidence,
            status: 'pending',
            executionId,
            createdAt: now,
            updatedAt: now,
            decidedBy: null,
            decidedAt: null,
          });
        } catch (err) {
          // Two profiles of the same table at once: the other one recorded it.
          if (!isUniqueViolation(err)) throw err;
        }
      }
    }
  }

  async list(q: ListSuggestionsQueryDto): Promise<SuggestionListDto> {
    const p = pageRequest(q);
    const where: FindOptionsWhere<AnnotationSuggestionEntity> = { status: q.status ?? 'pending' };
    if (q.asset_id) {
      const a = await this.catalog.assetIdentity(q.asset_id);
      Object.assign(where, { dataSourceId: a.dataSourceId, namespace: a.namespace, assetName: a.name });
    }
    if (q.datasource_id) where.dataSourceId = q.datasource_id;
    const [rows, total] = await this.suggestions.findAndCount({
      where,
      order: { confidence: 'DESC', id: 'ASC' },
      skip: p.skip,
      take: p.pageSize,
    });
    return pageOf('suggestions', rows.map(toDto), total, p);
  }

  /** Adds the tag to the field (defining it in the PII group first when nobody has), then marks the suggestion accepted. */
  async accept(id: string, actor: Principal): Promise<SuggestionDto> {
    const s = await this.requirePending(id);
    await this.defineTag(s.tag);
    const name: QualifiedName = {
      dataSourceId: s.dataSourceId,
      namespace: s.namespace,
      asset: s.assetName,
      field: s.fieldPath,
    };
    const [asset] = await this.catalog.assetsByKeys([
      { dataSourceId: s.dataSourceId, namespace: s.namespace, name: s.assetName },
    ]);
    await this.db.transaction(async (em) => {
      const doc = await this.annotations.documentByName(name);
      await this.annotations.replaceDocument(
        em,
        {
          name,
          kind: 'field',
          assetId: asset?.id ?? null,
          removed: !asset || asset.removedAt !== null,
          propertyKind: 'field',
        },
        { ...doc, tags: [...(doc.tags ?? []), s.tag] },
        actor,
      );
      await this.decide(em.getRepository(AnnotationSuggestionEntity), s, 'accepted', actor);
    });
    return toDto((await this.suggestions.findOneByOrFail({ id }))!);
  }

  async reject(id: string, actor: Principal): Promise<SuggestionDto> {
    const s = await this.requirePending(id);
    await this.decide(this.suggestions, s, 'rejected', actor);
    return toDto(await this.suggestions.findOneByOrFail({ id }));
  }

  private async decide(
    repo: Repository<AnnotationSuggestionEntity>,
    s: AnnotationSuggestionEntity,
    status: 'accepted' | 'rejected',
    actor: Principal,
  ): Promise<void> {
    const now = new Date();
    const res = await repo.update(
      { id: s.id, status: 'pending' },
      { status, decidedBy: actor.username, decidedAt: now, updatedAt: now },
    );
    if (res.affected === 0) throw AnnotationException.suggestionDecided(s.id, 'decided');
  }

  private async requirePending(id: string): Promise<AnnotationSuggestionEntity> {
    const s = await this.suggestions.findOne({ where: { id } });
    if (!s) throw AnnotationException.notFound('Suggestion', id);
    if (s.status !== 'pending') throw AnnotationException.suggestionDecided(id, s.status);
    return s;
  }

  /** Suggested tags live in the PII group; an accepted one that no one defined yet is defined then. */
  private async defineTag(fqn: string): Promise<void> {
    if (await this.tags.exist({ where: { fqn } })) return;
    const tag = fqn.slice(PII_GROUP.length + 1);
    const group = await this.groups.findOne({ where: { name: PII_GROUP } });
    if (!group) {
      await this.tagGroups.create({ name: PII_GROUP, description: 'Personal data', tags: [{ name: tag }] });
      return;
    }
    const current = await this.tags.find({ where: { groupId: group.id } });
    await this.tagGroups.update(group.id, {
      tags: [...current.map((t) => ({ name: t.name })), { name: tag }],
    });
  }
}

function toDto(s: AnnotationSuggestionEntity): SuggestionDto {
  return {
    id: s.id,
    datasource_id: s.dataSourceId,
    namespace: s.namespace,
    asset: s.assetName,
    field: s.fieldPath,
    tag: s.tag,
    confidence: s.confidence,
    evidence: s.evidence,
    status: s.status,
    execution_id: s.executionId,
    created_at: iso(s.createdAt)!,
    updated_at: iso(s.updatedAt)!,
    decided_by: s.decidedBy,
    decided_at: iso(s.decidedAt),
  };
}
