import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { CatalogQueryService } from '../catalog/catalog-query.service';
import { newId } from '../common/ids';
import { isUniqueViolation } from '../database/store-errors';
import { AnnotationReferencesService } from './annotation-references.service';
import { AnnotationException } from './annotation.exception';
import { targetDto } from './written-view';
import {
  CreateGlossaryDto,
  CreateTermDto,
  GlossaryDto,
  GlossaryListDto,
  TermAssetListDto,
  TermDto,
  UpdateTermDto,
} from './dto/glossary.dto';
import { AnnotationLabelEntity } from './entities/annotation-label.entity';
import { AnnotationTargetEntity } from './entities/annotation-target.entity';
import { GlossaryEntity, GlossaryTermEntity } from './entities/glossary.entities';
import { fromParts } from './qualified-name';
import { OwnerRef } from './annotation-document';

/** Glossaries of hierarchical terms (synonyms, related terms, owners, status), and what is linked to a term. */
@Injectable()
export class GlossariesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(GlossaryEntity) private readonly glossaries: Repository<GlossaryEntity>,
    @InjectRepository(GlossaryTermEntity) private readonly terms: Repository<GlossaryTermEntity>,
    @InjectRepository(AnnotationLabelEntity) private readonly labels: Repository<AnnotationLabelEntity>,
    @InjectRepository(AnnotationTargetEntity) private readonly targets: Repository<AnnotationTargetEntity>,
    private readonly refs: AnnotationReferencesService,
    private readonly catalog: CatalogQueryService,
  ) {}

  async list(): Promise<GlossaryListDto> {
    const [all, terms] = await Promise.all([
      this.glossaries.find({ order: { name: 'ASC' } }),
      this.terms.find({ order: { fqn: 'ASC' } }),
    ]);
    return { glossaries: await Promise.all(all.map((g) => this.toDto(g, terms))) };
  }

  async get(idOrName: string): Promise<GlossaryDto> {
    const g = await this.require(idOrName);
    return this.toDto(g, await this.terms.find({ where: { glossaryId: g.id }, order: { fqn: 'ASC' } }));
  }

  async create(dto: CreateGlossaryDto): Promise<GlossaryDto> {
    const now = new Date();
    const g: GlossaryEntity = {
      id: newId('gls'),
      name: dto.name,
      description: dto.description ?? null,
      owners: await this.refs.storedOwners(owners(dto.owners)),
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.glossaries.insert(g);
    } catch (err) {
      if (isUniqueViolation(err)) throw AnnotationException.duplicate('Glossary', dto.name);
      throw err;
    }
    return this.get(g.id);
  }

  /** Changes what it names of a glossary: its description, its owners (the whole new list). */
  async update(idOrName: string, dto: Pick<CreateGlossaryDto, 'description' | 'owners'>): Promise<GlossaryDto> {
    const g = await this.require(idOrName);
    const changes: Partial<GlossaryEntity> = { updatedAt: new Date() };
    if (dto.description !== undefined) changes.description = dto.description;
    if (dto.owners) changes.owners = await this.refs.storedOwners(owners(dto.owners));
    await this.glossaries.update({ id: g.id }, changes);
    return this.get(g.id);
  }

  async remove(idOrName: string): Promise<void> {
    const g = await this.require(idOrName);
    const ids = (await this.terms.find({ where: { glossaryId: g.id } })).map((t) => t.id);
    await this.refuseLinked(ids);
    await this.glossaries.delete({ id: g.id });
  }

  async createTerm(glossary: string, dto: CreateTermDto): Promise<TermDto> {
    const g = await this.require(glossary);
    const parent = dto.parent ? await this.refs.termByRef(dto.parent) : null;
    if (dto.parent && (!parent || parent.glossaryId !== g.id))
      throw AnnotationException.notFound('Parent term', dto.parent);
    const now = new Date();
    const t: GlossaryTermEntity = {
      id: newId('trm'),
      glossaryId: g.id,
      parentId: parent?.id ?? null,
      name: dto.name,
      fqn: `${parent ? parent.fqn : g.name}.${dto.name}`,
      description: dto.description ?? null,
      synonyms: dto.synonyms ?? [],
      related: (await this.refs.termIds(dto.related ?? [])).map((r) => r.id),
      owners: await this.refs.storedOwners(owners(dto.owners)),
      status: dto.status ?? 'draft',
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.terms.insert(t);
    } catch (err) {
      if (isUniqueViolation(err)) throw AnnotationException.duplicate('Term', t.fqn);
      throw err;
    }
    return this.term(t.id);
  }

  async term(ref: string): Promise<TermDto> {
    const t = await this.requireTerm(ref);
    const all = await this.terms.find({ where: { glossaryId: t.glossaryId } });
    return this.termDto(t, all);
  }

  async updateTerm(ref: string, dto: UpdateTermDto): Promise<TermDto> {
    const t = await this.requireTerm(ref);
    const changes: Partial<GlossaryTermEntity> = { updatedAt: new Date() };
    if (dto.description !== undefined) changes.description = dto.description;
    if (dto.synonyms) changes.synonyms = dto.synonyms;
    if (dto.related) changes.related = (await this.refs.termIds(dto.related)).map((r) => r.id);
    if (dto.owners) changes.owners = await this.refs.storedOwners(owners(dto.owners));
    if (dto.status) changes.status = dto.status;
    await this.terms.update({ id: t.id }, changes);
    return this.term(t.id);
  }

  async removeTerm(ref: string): Promise<void> {
    const t = await this.requireTerm(ref);
    const subtree = (await this.terms.find({ where: { glossaryId: t.glossaryId } })).filter(
      (x) => x.fqn === t.fqn || x.fqn.startsWith(`${t.fqn}.`),
    );
    await this.refuseLinked(subtree.map((x) => x.id));
    await this.terms.delete({ id: In(subtree.map((x) => x.id)) });
  }

  /** The assets and fields linked to a term (removed ones too, flagged). */
  async assetsOf(ref: string): Promise<TermAssetListDto> {
    const t = await this.requireTerm(ref);
    const links = await this.labels.find({ where: { labelKind: 'term', value: t.id } });
    const rows = links.length ? await this.targets.find({ where: { id: In(links.map((l) => l.targetId)) } }) : [];
    const assets = await this.catalog.assetsByKeys(
      rows.map((r) => ({ dataSourceId: r.dataSourceId, namespace: r.namespace, name: r.assetName })),
    );
    return {
      assets: rows
        .filter((r) => r.targetKind === 'asset' || r.targetKind === 'field')
        .map((r) => {
          const a = assets.find(
            (x) => x.dataSourceId === r.dataSourceId && x.namespace === r.namespace && x.name === r.assetName,
          );
          const d = targetDto(fromParts(r.targetKind, r), a?.id ?? null, !a || a.removedAt !== null);
          return {
            kind: d.kind,
            data_source_id: d.data_source_id,
            namespace: r.namespace,
            asset: r.assetName,
            field: d.field,
            asset_id: d.asset_id,
            removed: d.removed,
          };
        }),
    };
  }

  private async refuseLinked(termIds: string[]): Promise<void> {
    if (termIds.length === 0) return;
    if (await this.labels.exist({ where: { labelKind: 'term', value: In(termIds) } }))
      throw AnnotationException.inUse('Term', termIds.join(', '), 'Unlink it from assets and fields first.');
  }

  private async toDto(g: GlossaryEntity, all: GlossaryTermEntity[]): Promise<GlossaryDto> {
    const own = all.filter((t) => t.glossaryId === g.id);
    return {
      id: g.id,
      name: g.name,
      description: g.description,
      owners: await this.refs.ownerRefs(g.owners),
      terms: await Promise.all(own.map((t) => this.termDto(t, own))),
    };
  }

  private async termDto(t: GlossaryTermEntity, all: GlossaryTermEntity[]): Promise<TermDto> {
    return {
      id: t.id,
      glossary_id: t.glossaryId,
      parent_id: t.parentId,
      name: t.name,
      fqn: t.fqn,
      description: t.description,
      synonyms: t.synonyms,
      related: (t.related.length ? await this.terms.find({ where: { id: In(t.related) } }) : []).map((r) => r.fqn),
      owners: await this.refs.ownerRefs(t.owners),
      status: t.status,
      children: all.filter((c) => c.parentId === t.id).map((c) => c.fqn),
    };
  }

  private async require(idOrName: string): Promise<GlossaryEntity> {
    const g = await this.glossaries.findOne({ where: [{ id: idOrName }, { name: idOrName }] });
    if (!g) throw AnnotationException.notFound('Glossary', idOrName);
    return g;
  }

  private async requireTerm(ref: string): Promise<GlossaryTermEntity> {
    const t = await this.refs.termByRef(ref);
    if (!t) throw AnnotationException.notFound('Term', ref);
    return t;
  }
}

function owners(list: Array<{ user?: string; team?: string; type?: string }> = []): OwnerRef[] {
  return list.map((o) => ({
    ...(o.user ? { user: o.user } : { team: o.team }),
    type: (o.type ?? 'business') as OwnerRef['type'],
  }));
}
