import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { Principal } from '../auth/role';
import { CatalogQueryService } from '../catalog/catalog-query.service';
import { pageOf, pageRequest } from '../common/http/pagination';
import { newId } from '../common/ids';
import { iso } from '../common/timestamps';
import { isUniqueViolation } from '../database/store-errors';
import { DataSourcesService } from '../datasources/datasources.service';
import { WebhookOutboxService } from '../webhooks/webhook-outbox.service';
import {
  AnnotationDocument,
  diffDocuments,
  DocumentChanges,
  normalizeDocument,
  OwnerRef,
  validDocument,
} from './annotation-document';
import { AnnotationReferencesService } from './annotation-references.service';
import { AnnotationException } from './annotation.exception';
import {
  AnnotationsDto,
  AnnotationVersionDto,
  AnnotationVersionListDto,
  AnnotationVersionsQueryDto,
  BulkAnnotateDto,
  BulkAnnotateResultDto,
} from './dto/annotations.dto';
import { AnnotationLabelEntity } from './entities/annotation-label.entity';
import { AnnotationTargetEntity } from './entities/annotation-target.entity';
import { AnnotationVersionEntity } from './entities/annotation-version.entity';
import { applyMergePatch, Json } from './merge-patch';
import { targetDto, writtenOf } from './written-view';
import { fromParts, partsOf, QualifiedName, TargetKind, targetKey } from './qualified-name';

/** An asset (and optionally one of its fields) by catalog id, or a data source (and optionally a namespace). */
export type TargetRef = { assetId: string; field?: string } | { dataSourceId: string; namespace?: string };

/** A target by qualified name, with what the catalog says of it now. */
export interface Resolved {
  name: QualifiedName;
  kind: TargetKind;
  assetId: string | null;
  removed: boolean;
  /** What custom property definitions apply to: the asset kind, or field/namespace/datasource. */
  propertyKind: string;
}

interface Stored {
  row: AnnotationTargetEntity | null;
  doc: AnnotationDocument;
}

const BULK_LIMIT = 1000;

/** Reads and writes what people know about targets; every change is a version, an event and (via the interceptor) an audit entry. */
@Injectable()
export class AnnotationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(AnnotationTargetEntity) private readonly targets: Repository<AnnotationTargetEntity>,
    @InjectRepository(AnnotationVersionEntity) private readonly versions: Repository<AnnotationVersionEntity>,
    private readonly catalog: CatalogQueryService,
    private readonly dataSources: DataSourcesService,
    private readonly refs: AnnotationReferencesService,
    private readonly outbox: WebhookOutboxService,
  ) {}

  async get(ref: TargetRef): Promise<AnnotationsDto> {
    const target = await this.resolve(ref);
    const stored = await this.load(this.db.manager, target.name);
    return this.view(target, stored);
  }

  /** Applies a JSON merge patch; `ifMatch` (the version read) must still be current. */
  async patch(ref: TargetRef, patch: unknown, ifMatch: string | undefined, actor: Principal): Promise<AnnotationsDto> {
    const target = await this.resolve(ref);
    const expected = parseIfMatch(ifMatch);
    const stored = await this.db.transaction(async (em) => {
      const current = await this.load(em, target.name);
      const version = current.row?.version ?? 0;
      if (expected !== undefined && expected !== version)
        throw AnnotationException.versionMismatch(ifMatch ?? '', version);
      const next = validDocument(applyMergePatch(current.doc as Json, patch as Json));
      return this.write(em, target, current, next, actor);
    });
    return this.view(target, stored);
  }

  /** Adds or removes labels and certification on many assets; each changed asset gets its own version. */
  async bulk(dto: BulkAnnotateDto, actor: Principal): Promise<BulkAnnotateResultDto> {
    if (!dto.asset_ids?.length && !dto.query) throw AnnotationException.invalid('Give asset_ids or query');
    const assets = dto.asset_ids?.length
      ? await Promise.all([...new Set(dto.asset_ids)].map((id) => this.catalog.assetIdentity(id)))
      : await this.catalog.matchingAssets(dto.query ?? {}, BULK_LIMIT);
    const addTerms = await this.termNames(dto.add?.terms ?? []);
    const removeTerms = await this.termNames(dto.remove?.terms ?? []);
    // One transaction: a refused change (an exclusive tag group, an unknown owner) leaves every asset as it was.
    return this.db.transaction(async (em) => {
      const result: BulkAnnotateResultDto = { matched: assets.length, changed: 0, assets: [] };
      for (const a of assets) {
        const target: Resolved = {
          name: { dataSourceId: a.dataSourceId, namespace: a.namespace, asset: a.name },
          kind: 'asset',
          assetId: a.id,
          removed: a.removed,
          propertyKind: a.kind,
        };
        const current = await this.load(em, target.name);
        const doc: AnnotationDocument = { ...current.doc };
        doc.tags = edit(doc.tags, dto.add?.tags, dto.remove?.tags);
        doc.terms = edit(doc.terms, addTerms, removeTerms);
        doc.owners = editOwners(doc.owners, dto.add?.owners, dto.remove?.owners);
        if (dto.clear_certification) delete doc.certification;
        else if (dto.certification)
          doc.certification = {
            status: dto.certification.status,
            ...(dto.certification.note ? { note: dto.certification.note } : {}),
          };
        const written = await this.write(em, target, current, normalizeDocument(doc), actor);
        const changed = written.row?.version !== current.row?.version;
        if (changed) result.changed++;
        result.assets.push({ asset_id: a.id, version: written.row?.version ?? 0, changed });
      }
      return result;
    });
  }

  /** The stored document of a target by qualified name; empty when it was never annotated. */
  async documentByName(name: QualifiedName): Promise<AnnotationDocument> {
    return (await this.load(this.db.manager, name)).doc;
  }

  /**
   * Replaces a target's whole document, addressed by qualified name (catalog as code), in the
   * caller's transaction; a version, an event and an audit entry as for a patch. Returns what changed.
   */
  async replaceDocument(
    em: EntityManager,
    target: Resolved,
    next: AnnotationDocument,
    actor: Principal,
  ): Promise<DocumentChanges> {
    const current = await this.load(em, target.name);
    await this.write(em, target, current, normalizeDocument(next), actor);
    return diffDocuments(current.doc, normalizeDocument(next));
  }

  /** Every annotation change of the asset and its fields, newest first. */
  async versionsOf(assetId: string, q: AnnotationVersionsQueryDto): Promise<AnnotationVersionListDto> {
    const a = await this.catalog.assetIdentity(assetId);
    const p = pageRequest(q);
    const [rows, total] = await this.versions.findAndCount({
      where: {
        dataSourceId: a.dataSourceId,
        namespace: a.namespace,
        assetName: a.name,
        targetKind: In(['asset', 'field']),
      },
      order: { createdAt: 'DESC', version: 'DESC', id: 'DESC' },
      skip: p.skip,
      take: p.pageSize,
    });
    const fields = new Set(a.fields);
    return pageOf(
      'versions',
      rows.map((v): AnnotationVersionDto => {
        const name = fromParts(v.targetKind, v);
        return {
          id: v.id,
          target: targetDto(name, a.id, a.removed || (name.field !== undefined && !fields.has(name.field))),
          version: v.version,
          changes: v.changes as Record<string, { old: unknown; new: unknown }>,
          actor_id: v.actorId,
          actor: v.actorName,
          created_at: iso(v.createdAt)!,
        };
      }),
      total,
      p,
    );
  }

  // ---- internals ----------------------------------------------------------------------------

  private async resolve(ref: TargetRef): Promise<Resolved> {
    if ('assetId' in ref) {
      const a = await this.catalog.assetIdentity(ref.assetId);
      if (ref.field === undefined)
        return {
          name: { dataSourceId: a.dataSourceId, namespace: a.namespace, asset: a.name },
          kind: 'asset',
          assetId: a.id,
          removed: a.removed,
          propertyKind: a.kind,
        };
      const name = { dataSourceId: a.dataSourceId, namespace: a.namespace, asset: a.name, field: ref.field };
      const present = a.fields.includes(ref.field);
      // A field gone from the source is still addressable while its annotations wait for it.
      if (!present && !(await this.targets.exist({ where: { targetKey: targetKey(name) } })))
        throw AnnotationException.notFound('Field', `${a.name}.${ref.field}`);
      return { name, kind: 'field', assetId: a.id, removed: a.removed || !present, propertyKind: 'field' };
    }
    await this.dataSources.get(ref.dataSourceId);
    if (ref.namespace === undefined)
      return {
        name: { dataSourceId: ref.dataSourceId },
        kind: 'datasource',
        assetId: null,
        removed: false,
        propertyKind: 'datasource',
      };
    const name = { dataSourceId: ref.dataSourceId, namespace: ref.namespace };
    const present = await this.catalog.namespaceExists(ref.dataSourceId, ref.namespace);
    if (!present && !(await this.targets.exist({ where: { targetKey: targetKey(name) } })))
      throw AnnotationException.notFound('Namespace', ref.namespace);
    return { name, kind: 'namespace', assetId: null, removed: !present, propertyKind: 'namespace' };
  }

  private async load(em: EntityManager, name: QualifiedName): Promise<Stored> {
    const row = await em.findOne(AnnotationTargetEntity, { where: { targetKey: targetKey(name) } });
    if (!row) return { row: null, doc: {} };
    const labels = await em.find(AnnotationLabelEntity, { where: { targetId: row.id } });
    return { row, doc: await this.refs.documentOf(row, labels, em) };
  }

  /** Stores a new document when it differs: row, labels, a version and an `annotations.changed` event, in the caller's transaction. */
  private async write(
    em: EntityManager,
    target: Resolved,
    current: Stored,
    next: AnnotationDocument,
    actor: Principal,
  ): Promise<Stored> {
    const changes = diffDocuments(current.doc, next);
    if (Object.keys(changes).length === 0) return current;
    await this.refs.checkProperties(target.propertyKind, next.properties ?? {});
    const now = new Date();
    const version = (current.row?.version ?? 0) + 1;
    const parts = partsOf(target.name);
    const certChanged = changes.certification !== undefined;
    const fields: Partial<AnnotationTargetEntity> = {
      description: next.description ?? null,
      certification: next.certification?.status ?? null,
      certificationNote: next.certification?.note ?? null,
      certifiedBy: next.certification
        ? certChanged
          ? actor.username
          : (current.row?.certifiedBy ?? actor.username)
        : null,
      certifiedAt: next.certification ? (certChanged ? now : (current.row?.certifiedAt ?? now)) : null,
      properties: next.properties ?? null,
      version,
      updatedAt: now,
      updatedBy: actor.username,
    };
    let row: AnnotationTargetEntity;
    if (!current.row) {
      row = em.create(AnnotationTargetEntity, {
        id: newId('ann'),
        targetKey: targetKey(target.name),
        targetKind: target.kind,
        ...parts,
        createdAt: now,
        ...fields,
      });
      try {
        await em.insert(AnnotationTargetEntity, row);
      } catch (err) {
        // Someone annotated the same target first: their version is newer than the one this change read.
        if (isUniqueViolation(err)) throw AnnotationException.versionMismatch('0', 1);
        throw err;
      }
    } else {
      const res = await em.update(AnnotationTargetEntity, { id: current.row.id, version: current.row.version }, fields);
      if (res.affected === 0)
        throw AnnotationException.versionMismatch(String(current.row.version), current.row.version + 1);
      row = { ...current.row, ...fields } as AnnotationTargetEntity;
    }
    const labels = await this.refs.labelsOf(row.id, next);
    await em.delete(AnnotationLabelEntity, { targetId: row.id });
    if (labels.length) await em.insert(AnnotationLabelEntity, labels);
    // save(): insert() cannot type the JSON `changes` column.
    await em.save(AnnotationVersionEntity, {
      id: newId('anv'),
      targetId: row.id,
      targetKind: target.kind,
      ...parts,
      version,
      changes,
      actorId: actor.service ? null : actor.id,
      actorName: actor.username,
      createdAt: now,
    });
    await this.announce(em, target, version, changes, actor);
    return { row, doc: next };
  }

  private async announce(
    em: EntityManager,
    target: Resolved,
    version: number,
    changes: DocumentChanges,
    actor: Principal,
  ): Promise<void> {
    await this.outbox.enqueue(em, {
      type: 'annotations.changed',
      dataSourceId: target.name.dataSourceId,
      data: {
        target: targetDto(target.name, target.assetId, target.removed),
        version,
        changes,
        actor: actor.username,
        ...(target.assetId ? { annotations_url: `/api/v1/metadata/assets/${target.assetId}/annotations` } : {}),
      },
    });
  }

  private async view(target: Resolved, stored: Stored): Promise<AnnotationsDto> {
    const row = stored.row;
    const terms = await this.refs.termIds(stored.doc.terms ?? []).catch(() => []);
    return {
      target: targetDto(target.name, target.assetId, target.removed),
      ...writtenOf(row, stored.doc),
      term_details: terms.map((t) => ({ id: t.id, fqn: t.fqn, name: t.name, status: t.status })),
    };
  }

  private async termNames(refs: string[]): Promise<string[]> {
    return (await this.refs.termIds(refs)).map((t) => t.fqn);
  }
}

/** `3`, `"3"` or `W/"3"` → 3; absent → no check; anything else is a 400. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '' || value.trim() === '*') return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value.trim());
  if (!m) throw AnnotationException.invalid('If-Match must be the annotation version, e.g. "3"');
  return Number(m[1]);
}

function edit(list: string[] | undefined, add: string[] = [], remove: string[] = []): string[] {
  return [...(list ?? []).filter((x) => !remove.includes(x)), ...add.filter((x) => !(list ?? []).includes(x))];
}

function ownerKey(o: OwnerRef | { user?: string; team?: string; type?: string }): string {
  return `${o.user ? `u:${o.user}` : `t:${o.team}`}`;
}

function editOwners(
  list: OwnerRef[] | undefined,
  add: Array<{ user?: string; team?: string; type?: string }> = [],
  remove: Array<{ user?: string; team?: string; type?: string }> = [],
): OwnerRef[] {
  for (const o of [...add, ...remove])
    if (Boolean(o.user) === Boolean(o.team))
      throw AnnotationException.invalid('Each owner names either a user or a team');
  const removed = new Set(remove.map(ownerKey));
  const kept = (list ?? []).filter((o) => !removed.has(ownerKey(o)));
  const have = new Set(kept.map(ownerKey));
  return [
    ...kept,
    ...add
      .filter((o) => !have.has(ownerKey(o)))
      .map((o) => ({
        ...(o.user ? { user: o.user } : { team: o.team }),
        type: (o.type ?? 'technical') as OwnerRef['type'],
      })),
  ];
}
