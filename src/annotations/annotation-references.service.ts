import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { newId } from '../common/ids';
import { UsersService } from '../users/users.service';
import { AnnotationDocument, normalizeDocument, OwnerRef, OwnershipType } from './annotation-document';
import { AnnotationTargetEntity } from './entities/annotation-target.entity';
import { AnnotationException } from './annotation.exception';
import { AnnotationLabelEntity } from './entities/annotation-label.entity';
import { CustomPropertyDefEntity } from './entities/custom-property-def.entity';
import { GlossaryTermEntity, StoredOwner } from './entities/glossary.entities';
import { TagEntity, TagGroupEntity } from './entities/tag.entities';
import { TeamEntity } from './entities/team.entity';

/**
 * Turns a document's names (tags, terms, users, teams, properties) into stored references and
 * back, refusing anything undefined: what people write may only use what admins and stewards defined.
 */
@Injectable()
export class AnnotationReferencesService {
  constructor(
    private readonly users: UsersService,
    @InjectRepository(TagEntity) private readonly tags: Repository<TagEntity>,
    @InjectRepository(TagGroupEntity) private readonly groups: Repository<TagGroupEntity>,
    @InjectRepository(GlossaryTermEntity) private readonly terms: Repository<GlossaryTermEntity>,
    @InjectRepository(TeamEntity) private readonly teams: Repository<TeamEntity>,
    @InjectRepository(CustomPropertyDefEntity) private readonly propertyDefs: Repository<CustomPropertyDefEntity>,
  ) {}

  /** Term ids for term names or ids, in order; unknown ones refused. */
  async termIds(refs: string[]): Promise<GlossaryTermEntity[]> {
    if (refs.length === 0) return [];
    const found = await this.terms.find({ where: [{ fqn: In(refs) }, { id: In(refs) }] });
    const out = refs.map((r) => found.find((t) => t.fqn === r || t.id === r));
    const missing = refs.filter((_, i) => !out[i]);
    if (missing.length) throw AnnotationException.unknownReferences('terms', missing);
    return out as GlossaryTermEntity[];
  }

  /** Checks tags exist and that no mutually exclusive group is used twice. */
  async checkTags(fqns: string[]): Promise<void> {
    if (fqns.length === 0) return;
    const found = await this.tags.find({ where: { fqn: In(fqns) } });
    const missing = fqns.filter((f) => !found.some((t) => t.fqn === f));
    if (missing.length) throw AnnotationException.unknownReferences('tags', missing);
    const groups = await this.groups.find({
      where: { id: In([...new Set(found.map((t) => t.groupId))]), mutuallyExclusive: true },
    });
    for (const g of groups) {
      const inGroup = found.filter((t) => t.groupId === g.id).map((t) => t.fqn);
      if (inGroup.length > 1) throw AnnotationException.exclusiveGroup(g.name, inGroup);
    }
  }

  /** `user:<id>` / `team:<id>` for owners named by username or team name. */
  async storedOwners(owners: OwnerRef[]): Promise<StoredOwner[]> {
    const out: StoredOwner[] = [];
    for (const o of owners) {
      if (o.user) {
        const u = await this.users.findByUsername(o.user);
        if (!u) throw AnnotationException.unknownReferences('users', [o.user]);
        out.push({ kind: 'user', id: u.id, type: o.type });
      } else {
        const t = await this.teams.findOne({ where: { name: o.team } });
        if (!t) throw AnnotationException.unknownReferences('teams', [o.team ?? '']);
        out.push({ kind: 'team', id: t.id, type: o.type });
      }
    }
    return out;
  }

  /** Owners back as names (a removed user or team shows by id). */
  async ownerRefs(stored: StoredOwner[]): Promise<OwnerRef[]> {
    const out: OwnerRef[] = [];
    for (const s of stored) {
      const type = s.type as OwnershipType;
      if (s.kind === 'user') out.push({ user: (await this.users.findById(s.id))?.username ?? s.id, type });
      else out.push({ team: (await this.teams.findOne({ where: { id: s.id } }))?.name ?? s.id, type });
    }
    return out;
  }

  /** Custom properties must be defined for the target's kind (or for every kind, `*`), with values of their type. */
  async checkProperties(kind: string, properties: Record<string, unknown>): Promise<void> {
    const names = Object.keys(properties);
    if (names.length === 0) return;
    const defs = await this.propertyDefs.find({ where: { name: In(names), appliesTo: In([kind, '*']) } });
    for (const name of names) {
      const def = defs.find((d) => d.name === name && d.appliesTo === kind) ?? defs.find((d) => d.name === name);
      if (!def)
        throw AnnotationException.invalid(
          `Custom property ${name} is not defined for ${kind}`,
          'Define it under /api/v1/custom-properties.',
        );
      const v = properties[name];
      const ok =
        def.valueType === 'number'
          ? typeof v === 'number'
          : def.valueType === 'boolean'
            ? typeof v === 'boolean'
            : def.valueType === 'enum'
              ? typeof v === 'string' && (def.enumValues ?? []).includes(v)
              : typeof v === 'string';
      if (!ok)
        throw AnnotationException.invalid(
          `Custom property ${name} takes a ${def.valueType}${def.valueType === 'enum' ? ` (${(def.enumValues ?? []).join(', ')})` : ''}`,
        );
    }
  }

  /** The label rows of a document (checked first). */
  async labelsOf(targetId: string, doc: AnnotationDocument): Promise<AnnotationLabelEntity[]> {
    await this.checkTags(doc.tags ?? []);
    const terms = await this.termIds(doc.terms ?? []);
    const owners = await this.storedOwners(doc.owners ?? []);
    const rows: Array<Omit<AnnotationLabelEntity, 'id' | 'targetId'>> = [
      ...(doc.tags ?? []).map((value, position) => ({ labelKind: 'tag' as const, value, detail: null, position })),
      ...terms.map((t, position) => ({ labelKind: 'term' as const, value: t.id, detail: null, position })),
      ...owners.map((o, position) => ({
        labelKind: 'owner' as const,
        value: `${o.kind}:${o.id}`,
        detail: o.type,
        position,
      })),
    ];
    return rows.map((r) => ({ ...r, id: newId('lbl'), targetId }));
  }

  /** The tags, terms (by qualified name) and owners a target's labels say. */
  async fromLabels(
    labels: AnnotationLabelEntity[],
    em?: EntityManager,
  ): Promise<{ tags: string[]; terms: GlossaryTermEntity[]; owners: OwnerRef[] }> {
    const sorted = [...labels].sort((a, b) => a.position - b.position);
    const termIds = sorted.filter((l) => l.labelKind === 'term').map((l) => l.value);
    const repo = em ? em.getRepository(GlossaryTermEntity) : this.terms;
    const found = termIds.length ? await repo.find({ where: { id: In(termIds) } }) : [];
    const stored = sorted
      .filter((l) => l.labelKind === 'owner')
      .map((l) => {
        const [kind, ...id] = l.value.split(':');
        return { kind: kind as 'user' | 'team', id: id.join(':'), type: l.detail ?? 'technical' };
      });
    return {
      tags: sorted.filter((l) => l.labelKind === 'tag').map((l) => l.value),
      terms: termIds.map((id) => found.find((t) => t.id === id)).filter((t): t is GlossaryTermEntity => Boolean(t)),
      owners: await this.ownerRefs(stored),
    };
  }

  /** The document a stored target and its labels say. */
  async documentOf(
    row: AnnotationTargetEntity,
    labels: AnnotationLabelEntity[],
    em?: EntityManager,
  ): Promise<AnnotationDocument> {
    const { tags, terms, owners } = await this.fromLabels(labels, em);
    return normalizeDocument({
      description: row.description ?? undefined,
      tags,
      owners,
      terms: terms.map((t) => t.fqn),
      certification: row.certification
        ? { status: row.certification, ...(row.certificationNote ? { note: row.certificationNote } : {}) }
        : undefined,
      properties: row.properties ?? undefined,
    });
  }

  /** Label values an owner name stands for: the user, or the team. */
  async ownerValues(name: string): Promise<string[]> {
    const out: string[] = [];
    const u = await this.users.findByUsername(name);
    if (u) out.push(`user:${u.id}`);
    const t = await this.teams.findOne({ where: { name } });
    if (t) out.push(`team:${t.id}`);
    return out;
  }

  /** Label values meaning "owned by this user": the user and every team they are in. */
  async ownedByValues(userId: string): Promise<string[]> {
    const teams = await this.teams.find();
    return [`user:${userId}`, ...teams.filter((t) => t.members.includes(userId)).map((t) => `team:${t.id}`)];
  }

  async termByRef(ref: string): Promise<GlossaryTermEntity | null> {
    return this.terms.findOne({ where: [{ fqn: ref }, { id: ref }] });
  }

  allTerms(): Promise<GlossaryTermEntity[]> {
    return this.terms.find();
  }
}
