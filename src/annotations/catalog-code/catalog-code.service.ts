import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { parse as parseYaml } from 'yaml';
import { Principal } from '../../auth/role';
import { CatalogQueryService } from '../../catalog/catalog-query.service';
import { DomainException } from '../../common/errors/domain.exception';
import { iso } from '../../common/timestamps';
import { isRecord, validatePlain } from '../../common/transfer/import-document';
import { DataSourceEntity } from '../../datasources/data-source.entity';
import { AnnotationDocument, diffDocuments, normalizeDocument, validDocument } from '../annotation-document';
import { AnnotationReferencesService } from '../annotation-references.service';
import { AnnotationException } from '../annotation.exception';
import { AnnotationsService, Resolved } from '../annotations.service';
import { CreateTermDto } from '../dto/glossary.dto';
import { CreateTagGroupDto } from '../dto/tag-group.dto';
import { AnnotationLabelEntity } from '../entities/annotation-label.entity';
import { AnnotationTargetEntity } from '../entities/annotation-target.entity';
import { TagEntity, TagGroupEntity } from '../entities/tag.entities';
import { GlossariesService } from '../glossaries.service';
import { displayName, kindOf, QualifiedName } from '../qualified-name';
import { TagGroupsService } from '../tag-groups.service';
import {
  CatalogCodeChangeDto,
  CatalogCodeDocumentDto,
  CatalogCodeImportResultDto,
  GlossaryCodeDto,
} from './catalog-code.dto';
import { CodeEntry, codeEntryOf, sameJson, tagGroupDiffers, termDiffers } from './code-entries';

/** The export: what people wrote, keyed by names that mean the same on another installation. */
export interface CatalogCodeDocument {
  exported_at: string;
  tag_groups: CreateTagGroupDto[];
  glossaries: GlossaryCodeDto[];
  annotations: Record<string, unknown>[];
}

interface PlannedAnnotation {
  target: Resolved;
  doc: AnnotationDocument;
}

interface Plan {
  changes: CatalogCodeChangeDto[];
  tagGroups: { dto: CreateTagGroupDto; exists: boolean }[];
  glossaries: { dto: GlossaryCodeDto; exists: boolean }[];
  terms: { glossary: string; fqn: string; dto: CreateTermDto; exists: boolean }[];
  annotations: PlannedAnnotation[];
}

const MAX_REPORTED_PROBLEMS = 50;

/**
 * Catalog as code: tag groups, glossaries and annotations exported and imported as one JSON or YAML
 * document, so a team can keep them in git. Import is declarative and idempotent — each entry is the
 * whole wanted state of what it names, an entry equal to the store changes nothing — and refuses the
 * whole document when any entry is invalid. Nothing absent from the document is deleted.
 */
@Injectable()
export class CatalogCodeService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(AnnotationTargetEntity) private readonly targets: Repository<AnnotationTargetEntity>,
    @InjectRepository(AnnotationLabelEntity) private readonly labels: Repository<AnnotationLabelEntity>,
    @InjectRepository(TagGroupEntity) private readonly groups: Repository<TagGroupEntity>,
    @InjectRepository(TagEntity) private readonly tags: Repository<TagEntity>,
    @InjectRepository(DataSourceEntity) private readonly sources: Repository<DataSourceEntity>,
    private readonly annotations: AnnotationsService,
    private readonly refs: AnnotationReferencesService,
    private readonly tagGroups: TagGroupsService,
    private readonly glossaries: GlossariesService,
    private readonly catalog: CatalogQueryService,
  ) {}

  async export(): Promise<CatalogCodeDocument> {
    const [groups, tags, glossaries, sources] = await Promise.all([
      this.groups.find({ order: { name: 'ASC' } }),
      this.tags.find({ order: { name: 'ASC' } }),
      this.glossaries.list(),
      this.sources.find({ select: { id: true, name: true } }),
    ]);
    const sourceName = new Map(sources.map((s) => [s.id, s.name]));
    return {
      exported_at: iso(new Date())!,
      tag_groups: groups.map((g) => ({
        name: g.name,
        ...(g.description ? { description: g.description } : {}),
        mutually_exclusive: g.mutuallyExclusive,
        tags: tags
          .filter((t) => t.groupId === g.id)
          .map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}) })),
      })),
      glossaries: glossaries.glossaries.map((g) => {
        const fqnOf = new Map(g.terms.map((t) => [t.id, t.fqn]));
        return {
          name: g.name,
          ...(g.description ? { description: g.description } : {}),
          ...(g.owners.length ? { owners: g.owners } : {}),
          terms: g.terms.map((t) => ({
            name: t.name,
            ...(t.parent_id ? { parent: fqnOf.get(t.parent_id) } : {}),
            ...(t.description ? { description: t.description } : {}),
            ...(t.synonyms.length ? { synonyms: t.synonyms } : {}),
            ...(t.related.length ? { related: t.related } : {}),
            ...(t.owners.length ? { owners: t.owners } : {}),
            status: t.status as CreateTermDto['status'],
          })),
        };
      }),
      annotations: await this.exportedAnnotations(sourceName),
    };
  }

  async import(body: unknown, dryRun: boolean, actor: Principal): Promise<CatalogCodeImportResultDto> {
    const document = await this.read(body);
    const plan = await this.plan(document);
    if (!dryRun) await this.apply(plan, actor);
    const changed = plan.changes.filter((c) => c.action !== 'unchanged').length;
    return { dry_run: dryRun, changed, unchanged: plan.changes.length - changed, changes: plan.changes };
  }

  // ---- reading and planning -----------------------------------------------------------------

  private async read(body: unknown): Promise<CatalogCodeDocumentDto> {
    let plain = body;
    if (typeof body === 'string') {
      try {
        plain = parseYaml(body) as unknown;
      } catch (err) {
        throw AnnotationException.invalid(
          'The document is not valid YAML or JSON',
          err instanceof Error ? err.message : undefined,
        );
      }
    }
    if (!isRecord(plain))
      throw AnnotationException.invalid('The document must be an object with tag_groups, glossaries or annotations');
    const { value, problems } = await validatePlain(CatalogCodeDocumentDto, plain);
    if (problems.length) throw AnnotationException.invalid('Validation failed', problems.join('; '));
    return value;
  }

  /** Checks every entry against the store and the document itself; any problem refuses the whole document. */
  private async plan(doc: CatalogCodeDocumentDto): Promise<Plan> {
    const problems: string[] = [];
    const plan: Plan = { changes: [], tagGroups: [], glossaries: [], terms: [], annotations: [] };
    const tagNames = new Set((await this.tags.find()).map((t) => t.fqn));
    const exclusive = new Set((await this.groups.find({ where: { mutuallyExclusive: true } })).map((g) => g.name));
    const termNames = new Set((await this.refs.allTerms()).map((t) => t.fqn));

    const seenGroups = new Set<string>();
    for (const g of doc.tag_groups ?? []) {
      if (seenGroups.has(g.name)) problems.push(`tag_groups: ${g.name} appears twice`);
      seenGroups.add(g.name);
      const stored = await this.groups.findOne({ where: { name: g.name } });
      const storedTags = stored ? await this.tags.find({ where: { groupId: stored.id } }) : [];
      const action = !stored ? 'create' : tagGroupDiffers(stored, storedTags, g) ? 'update' : 'unchanged';
      plan.tagGroups.push({ dto: g, exists: Boolean(stored) });
      plan.changes.push({ kind: 'tag_group', name: g.name, action });
      for (const t of g.tags ?? []) tagNames.add(`${g.name}.${t.name}`);
      if (g.mutually_exclusive !== undefined) exclusive[g.mutually_exclusive ? 'add' : 'delete'](g.name);
    }

    for (const g of doc.glossaries ?? []) {
      const stored = await this.glossaries.get(g.name).catch(() => null);
      const differs =
        stored &&
        ((g.description !== undefined && g.description !== (stored.description ?? '')) ||
          (g.owners !== undefined && !sameJson(g.owners, stored.owners)));
      plan.glossaries.push({ dto: g, exists: Boolean(stored) });
      plan.changes.push({
        kind: 'glossary',
        name: g.name,
        action: !stored ? 'create' : differs ? 'update' : 'unchanged',
      });
      const storedTerms = new Map((stored?.terms ?? []).map((t) => [t.fqn, t]));
      const seenTerms = new Set<string>();
      for (const t of g.terms ?? []) {
        if (t.parent && !t.parent.startsWith(`${g.name}.`))
          problems.push(`glossaries.${g.name}: the parent of ${t.name} (${t.parent}) is not in this glossary`);
        const fqn = `${t.parent ?? g.name}.${t.name}`;
        if (seenTerms.has(fqn)) problems.push(`glossaries.${g.name}: term ${fqn} appears twice`);
        seenTerms.add(fqn);
        const existing = storedTerms.get(fqn);
        plan.terms.push({ glossary: g.name, fqn, dto: t, exists: Boolean(existing) });
        plan.changes.push({
          kind: 'term',
          name: fqn,
          action: !existing ? 'create' : termDiffers(existing, t) ? 'update' : 'unchanged',
        });
        termNames.add(fqn);
      }
      for (const t of g.terms ?? [])
        if (t.parent && !seenTerms.has(t.parent) && !storedTerms.has(t.parent))
          problems.push(`glossaries.${g.name}: parent term ${t.parent} is neither stored nor in the document`);
    }
    for (const t of plan.terms)
      for (const r of t.dto.related ?? [])
        if (!termNames.has(r)) problems.push(`term ${t.fqn}: related term ${r} is unknown`);

    await this.planAnnotations(doc.annotations ?? [], { tagNames, termNames, exclusive }, plan, problems);
    if (problems.length)
      throw AnnotationException.invalid(
        `The document has ${problems.length} problem(s); nothing was imported`,
        problems.slice(0, MAX_REPORTED_PROBLEMS).join('; '),
      );
    return plan;
  }

  private async planAnnotations(
    entries: Record<string, unknown>[],
    known: { tagNames: Set<string>; termNames: Set<string>; exclusive: Set<string> },
    plan: Plan,
    problems: string[],
  ): Promise<void> {
    const sources = await this.sources.find({ select: { id: true, name: true } });
    const idOf = new Map(sources.map((s) => [s.name, s.id]));
    const seen = new Set<string>();
    for (const [index, raw] of entries.entries()) {
      const at = `annotations[${index}]`;
      let entry: CodeEntry;
      try {
        entry = codeEntryOf(raw, idOf);
      } catch (err) {
        problems.push(`${at}: ${messageOf(err)}`);
        continue;
      }
      const label = displayName(entry.name).replace(entry.name.dataSourceId, String(raw.source));
      if (seen.has(label)) {
        problems.push(`${at}: ${label} appears twice`);
        continue;
      }
      seen.add(label);
      let doc: AnnotationDocument;
      try {
        doc = normalizeDocument(validDocument(entry.document));
        const unknownTags = (doc.tags ?? []).filter((t) => !known.tagNames.has(t));
        const unknownTerms = (doc.terms ?? []).filter((t) => !known.termNames.has(t));
        if (unknownTags.length) throw AnnotationException.unknownReferences('tags', unknownTags);
        if (unknownTerms.length) throw AnnotationException.unknownReferences('terms', unknownTerms);
        for (const group of known.exclusive) {
          const inGroup = (doc.tags ?? []).filter((tag) => tag.startsWith(`${group}.`));
          if (inGroup.length > 1) throw AnnotationException.exclusiveGroup(group, inGroup);
        }
        await this.refs.storedOwners(doc.owners ?? []);
        const target = await this.resolve(entry.name);
        await this.refs.checkProperties(target.propertyKind, doc.properties ?? {});
        const changes = diffDocuments(await this.annotations.documentByName(entry.name), doc);
        const changed = Object.keys(changes).length > 0;
        plan.annotations.push({ target, doc });
        plan.changes.push({
          kind: 'annotation',
          name: label,
          action: changed ? 'update' : 'unchanged',
          ...(changed ? { changes } : {}),
        });
      } catch (err) {
        problems.push(`${at} (${label}): ${messageOf(err)}`);
      }
    }
  }

  /** What the catalog knows of a target now; one it does not know keeps its annotations until it appears. */
  private async resolve(name: QualifiedName): Promise<Resolved> {
    const kind = kindOf(name);
    if (kind === 'datasource') return { name, kind, assetId: null, removed: false, propertyKind: 'datasource' };
    if (kind === 'namespace') {
      const present = await this.catalog.namespaceExists(name.dataSourceId, name.namespace!);
      return { name, kind, assetId: null, removed: !present, propertyKind: 'namespace' };
    }
    const [asset] = await this.catalog.assetsByKeys([
      { dataSourceId: name.dataSourceId, namespace: name.namespace!, name: name.asset! },
    ]);
    const removed = !asset || asset.removedAt !== null;
    if (kind === 'field') return { name, kind, assetId: asset?.id ?? null, removed, propertyKind: 'field' };
    // An asset the catalog never saw: only properties that apply to every kind can be checked.
    return { name, kind, assetId: asset?.id ?? null, removed, propertyKind: asset?.kind ?? '*' };
  }

  // ---- writing ------------------------------------------------------------------------------

  /** Tag groups and glossaries first (annotations name them), parents before children, then annotations in one transaction. */
  private async apply(plan: Plan, actor: Principal): Promise<void> {
    const action = (kind: string, name: string) =>
      plan.changes.find((c) => c.kind === kind && c.name === name)?.action ?? 'unchanged';
    for (const g of plan.tagGroups) {
      if (!g.exists) await this.tagGroups.create(g.dto);
      else if (action('tag_group', g.dto.name) === 'update') {
        const { name: _name, ...changes } = g.dto;
        await this.tagGroups.update(g.dto.name, changes);
      }
    }
    for (const g of plan.glossaries) {
      if (!g.exists)
        await this.glossaries.create({ name: g.dto.name, description: g.dto.description, owners: g.dto.owners });
      else if (action('glossary', g.dto.name) === 'update')
        await this.glossaries.update(g.dto.name, { description: g.dto.description, owners: g.dto.owners });
    }
    const depth = (fqn: string) => fqn.split('.').length;
    const terms = [...plan.terms].sort((a, b) => depth(a.fqn) - depth(b.fqn));
    // Related terms may name terms created later in the same document: link them in a second pass.
    for (const t of terms) if (!t.exists) await this.glossaries.createTerm(t.glossary, { ...t.dto, related: [] });
    for (const t of terms) {
      const needed = t.exists ? action('term', t.fqn) === 'update' : (t.dto.related ?? []).length > 0;
      if (!needed) continue;
      const { name: _n, parent: _p, ...changes } = t.dto;
      await this.glossaries.updateTerm(t.fqn, changes);
    }
    await this.db.transaction(async (em) => {
      for (const a of plan.annotations) await this.annotations.replaceDocument(em, a.target, a.doc, actor);
    });
  }

  private async exportedAnnotations(sourceName: Map<string, string>): Promise<Record<string, unknown>[]> {
    const rows = await this.targets.find({
      order: { dataSourceId: 'ASC', namespace: 'ASC', assetName: 'ASC', fieldPath: 'ASC' },
    });
    const labels = rows.length ? await this.labels.find({ where: { targetId: In(rows.map((r) => r.id)) } }) : [];
    const out: Record<string, unknown>[] = [];
    for (const row of rows) {
      const doc = await this.refs.documentOf(
        row,
        labels.filter((l) => l.targetId === row.id),
      );
      if (Object.keys(doc).length === 0) continue;
      out.push({
        source: sourceName.get(row.dataSourceId) ?? row.dataSourceId,
        ...(row.namespace || row.targetKind !== 'datasource' ? { namespace: row.namespace } : {}),
        ...(row.targetKind === 'asset' || row.targetKind === 'field' ? { asset: row.assetName } : {}),
        ...(row.targetKind === 'field' ? { field: row.fieldPath } : {}),
        ...doc,
      });
    }
    return out;
  }
}

function messageOf(err: unknown): string {
  if (err instanceof DomainException) {
    const details = err.details ? ` (${err.details})` : '';
    return `${err.message}${details}`;
  }
  return err instanceof Error ? err.message : String(err);
}
