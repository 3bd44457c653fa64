import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, In, Repository } from 'typeorm';
import {
  AnnotationFilter,
  AssetKey,
  CatalogAnnotations,
  FieldKey,
  WrittenAnnotations,
  WrittenMatch,
} from '../catalog/catalog-annotations.port';
import { likeContains } from '../database/like';
import { AnnotationReferencesService } from './annotation-references.service';
import { writtenOf } from './written-view';
import { AnnotationLabelEntity, LabelKind } from './entities/annotation-label.entity';
import { AnnotationTargetEntity } from './entities/annotation-target.entity';

/** Written matches per search; more than this many are not worth ranking after names. */
const TEXT_MATCH_LIMIT = 500;

const assetKeyOf = (t: AnnotationTargetEntity): AssetKey => ({
  dataSourceId: t.dataSourceId,
  namespace: t.namespace,
  name: t.assetName,
});
const keyString = (k: AssetKey) => JSON.stringify([k.dataSourceId, k.namespace, k.name]);

/** The catalog's window on written metadata: what asset reads show, what filters keep, what search finds. */
@Injectable()
export class CatalogAnnotationsProvider implements CatalogAnnotations {
  constructor(
    @InjectRepository(AnnotationTargetEntity) private readonly targets: Repository<AnnotationTargetEntity>,
    @InjectRepository(AnnotationLabelEntity) private readonly labels: Repository<AnnotationLabelEntity>,
    private readonly refs: AnnotationReferencesService,
  ) {}

  async ofAsset(asset: AssetKey): Promise<{ asset: WrittenAnnotations; fields: Map<string, WrittenAnnotations> }> {
    const rows = await this.targets.find({
      where: {
        dataSourceId: asset.dataSourceId,
        namespace: asset.namespace,
        assetName: asset.name,
        targetKind: In(['asset', 'field']),
      },
    });
    const labels = rows.length ? await this.labels.find({ where: { targetId: In(rows.map((r) => r.id)) } }) : [];
    const fields = new Map<string, WrittenAnnotations>();
    let own: WrittenAnnotations | null = null;
    for (const row of rows) {
      const written = writtenOf(
        row,
        await this.refs.documentOf(
          row,
          labels.filter((l) => l.targetId === row.id),
        ),
      );
      if (row.targetKind === 'asset') own = written;
      else fields.set(row.fieldPath, written);
    }
    return { asset: own ?? writtenOf(null, {}), fields };
  }

  async assetsMatching(f: AnnotationFilter): Promise<AssetKey[] | null> {
    const sets: Array<Promise<AnnotationTargetEntity[]>> = [];
    if (f.tag) sets.push(this.labelled('tag', [f.tag]));
    if (f.owner) sets.push(this.refs.ownerValues(f.owner).then((v) => this.labelled('owner', v)));
    if (f.term) sets.push(this.refs.termByRef(f.term).then((t) => this.labelled('term', t ? [t.id] : [])));
    if (f.ownedByUserId !== undefined)
      sets.push(this.refs.ownedByValues(f.ownedByUserId).then((v) => this.labelled('owner', v)));
    if (f.certification)
      sets.push(this.targets.find({ where: { certification: f.certification, targetKind: In(['asset', 'field']) } }));
    if (sets.length === 0) return null;
    // Each condition may be met by the asset or by one of its fields; all conditions must hold.
    const perCondition = (await Promise.all(sets)).map(
      (rows) => new Map(rows.map((r) => [keyString(assetKeyOf(r)), assetKeyOf(r)])),
    );
    const [first, ...rest] = perCondition;
    return [...first.entries()].filter(([k]) => rest.every((m) => m.has(k))).map(([, v]) => v);
  }

  async textMatches(q: string, dataSourceId?: string): Promise<{ assets: WrittenMatch[]; fields: WrittenMatch[] }> {
    const out: WrittenMatch[] = [];
    const described = this.targets
      .createQueryBuilder('t')
      .where(`lower(t.description) LIKE :p ESCAPE '!'`, { p: likeContains(q) })
      .andWhere('t.targetKind IN (:...kinds)', { kinds: ['asset', 'field'] });
    if (dataSourceId) described.andWhere('t.dataSourceId = :ds', { ds: dataSourceId });
    for (const t of await described.limit(TEXT_MATCH_LIMIT).getMany())
      out.push({ key: keyOf(t), match: 'description', text: t.description ?? '' });

    const needle = q.toLowerCase();
    const terms = (await this.refs.allTerms())
      .map((t) => ({
        t,
        hit: t.name.toLowerCase().includes(needle) ? t.fqn : t.synonyms.find((s) => s.toLowerCase().includes(needle)),
      }))
      .filter((x): x is { t: (typeof x)['t']; hit: string } => x.hit !== undefined);
    if (terms.length) {
      const text = new Map(terms.map(({ t, hit }) => [t.id, hit === t.fqn ? t.fqn : `${t.fqn} (${hit})`]));
      const links = await this.labels.find({
        where: { labelKind: 'term', value: In([...text.keys()]) },
        take: TEXT_MATCH_LIMIT,
      });
      const rows = links.length
        ? await this.targets.find({
            where: { id: In([...new Set(links.map((l) => l.targetId))]), targetKind: In(['asset', 'field']) },
          })
        : [];
      for (const r of rows) {
        if (dataSourceId && r.dataSourceId !== dataSourceId) continue;
        const link = links.find((l) => l.targetId === r.id)!;
        out.push({ key: keyOf(r), match: 'term', text: text.get(link.value) ?? '' });
      }
    }
    return { assets: out.filter((m) => !('fieldPath' in m.key)), fields: out.filter((m) => 'fieldPath' in m.key) };
  }

  private async labelled(kind: LabelKind, values: string[]): Promise<AnnotationTargetEntity[]> {
    if (values.length === 0) return [];
    return this.targets
      .createQueryBuilder('t')
      .where('t.targetKind IN (:...kinds)', { kinds: ['asset', 'field'] })
      .andWhere(
        new Brackets((w) =>
          w.where(
            't.id IN (SELECT l.target_id FROM annotation_labels l WHERE l.label_kind = :kind AND l.value IN (:...values))',
            {
              kind,
              values,
            },
          ),
        ),
      )
      .getMany();
  }
}

function keyOf(t: AnnotationTargetEntity): AssetKey | FieldKey {
  const asset = assetKeyOf(t);
  return t.targetKind === 'field' ? { ...asset, fieldPath: t.fieldPath } : asset;
}
