import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, IsNull, Repository, SelectQueryBuilder } from 'typeorm';
import { pageOf, pageRequest } from '../common/http/pagination';
import { iso } from '../common/timestamps';
import { DataSourcesService } from '../datasources/datasources.service';
import { CatalogException } from './catalog.exception';
import { toAssetDetailDto, toAssetSummaryDto, toProfileDto, toVersionDto } from './catalog.mapper';
import { AssetDetailDto, AssetListDto } from './dto/asset.dto';
import { HistoryQueryDto, ListAssetsQueryDto } from './dto/catalog-query.dto';
import { ProfileListDto } from './dto/profile.dto';
import { MetadataTreeDto, NamespaceNodeDto } from './dto/tree.dto';
import { VersionListDto } from './dto/version.dto';
import { CatalogAssetEntity } from './entities/catalog-asset.entity';
import { CatalogFieldEntity } from './entities/catalog-field.entity';
import { CatalogNamespaceEntity } from './entities/catalog-namespace.entity';
import { CatalogProfileEntity } from './entities/catalog-profile.entity';
import { CatalogVersionEntity } from './entities/catalog-version.entity';
import { likeContains } from '../database/like';
import { byCodePoint, dialectOf } from './store/sql-dialect';
import { AnnotationFilter, AssetKey, CATALOG_ANNOTATIONS, CatalogAnnotations } from './catalog-annotations.port';
import { withWrittenAnnotations } from './written-annotations';
import { CATALOG_LINEAGE, CatalogLineage } from './catalog-lineage.port';

/** An asset as annotations address it: by qualified name, with its current fields. */
export interface AssetIdentity extends AssetKey {
  id: string;
  kind: string;
  removed: boolean;
  /** Path (or name) of each current field. */
  fields: string[];
}

/** The annotation filters of a list or search query, with "owned by me" resolved to the caller. */
export function annotationFilterOf(
  q: {
    tag?: string;
    owner?: string;
    term?: string;
    certification?: AnnotationFilter['certification'];
    owned_by_me?: boolean;
  },
  callerId?: string,
): AnnotationFilter {
  return {
    tag: q.tag,
    owner: q.owner,
    term: q.term,
    certification: q.certification,
    ownedByUserId: q.owned_by_me ? (callerId ?? '') : undefined,
  };
}

/** Reading the catalog: the tree of a source, asset lists and details, versions and profiles. */
@Injectable()
export class CatalogQueryService {
  constructor(
    private readonly dataSources: DataSourcesService,
    @InjectRepository(CatalogNamespaceEntity) private readonly namespaces: Repository<CatalogNamespaceEntity>,
    @InjectRepository(CatalogAssetEntity) private readonly assets: Repository<CatalogAssetEntity>,
    @InjectRepository(CatalogFieldEntity) private readonly fields: Repository<CatalogFieldEntity>,
    @InjectRepository(CatalogVersionEntity) private readonly versions: Repository<CatalogVersionEntity>,
    @InjectRepository(CatalogProfileEntity) private readonly profiles: Repository<CatalogProfileEntity>,
    @Optional() @Inject(CATALOG_ANNOTATIONS) private readonly written?: CatalogAnnotations,
    @Optional() @Inject(CATALOG_LINEAGE) private readonly lineage?: CatalogLineage,
  ) {}

  /** Namespaces of a source with their asset counts per kind. NOT_FOUND for an unknown source. */
  async tree(dataSourceId: string): Promise<MetadataTreeDto> {
    const source = await this.dataSources.get(dataSourceId);
    const [namespaces, counts, lastSeen] = await Promise.all([
      this.namespaces.find({ where: { dataSourceId, removedAt: IsNull() } }),
      this.assets
        .createQueryBuilder('a')
        .select('a.namespace', 'namespace')
        .addSelect('a.kind', 'kind')
        .addSelect('COUNT(*)', 'n')
        .where('a.dataSourceId = :dataSourceId AND a.removedAt IS NULL', { dataSourceId })
        .groupBy('a.namespace')
        .addGroupBy('a.kind')
        .getRawMany<{ namespace: string; kind: string; n: unknown }>(),
      this.namespaces
        .createQueryBuilder('n')
        .select('MAX(n.lastSeenAt)', 'last')
        .where('n.dataSourceId = :dataSourceId', { dataSourceId })
        .getRawOne<{ last: unknown }>(),
    ]);
    const perNamespace = new Map<string, Record<string, number>>();
    const total: Record<string, number> = {};
    for (const c of counts) {
      const n = Number(c.n);
      const entry = perNamespace.get(c.namespace) ?? {};
      entry[c.kind] = n;
      perNamespace.set(c.namespace, entry);
      total[c.kind] = (total[c.kind] ?? 0) + n;
    }
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    const nodes: NamespaceNodeDto[] = namespaces
      .sort((a, b) => byCodePoint(a.name, b.name))
      .map((ns) => {
        const kinds = perNamespace.get(ns.name) ?? {};
        return {
          name: ns.name,
          kind: ns.kind,
          properties: ns.properties,
          asset_count: sum(kinds),
          counts: kinds,
          first_seen_at: iso(ns.firstSeenAt)!,
          last_seen_at: iso(ns.lastSeenAt)!,
        };
      });
    const last = lastSeen?.last;
    return {
      data_source_id: source.id,
      data_source_name: source.name,
      data_source_type: source.type,
      asset_count: sum(total),
      counts: total,
      last_collected_at: last === null || last === undefined ? null : iso(new Date(Number(last))),
      namespaces: nodes,
    };
  }

  async listAssets(q: ListAssetsQueryDto, callerId?: string): Promise<AssetListDto> {
    const p = pageRequest(q);
    const qb = await this.filtered(q, callerId);
    const d = dialectOf(this.assets.manager.connection);
    const [rows, total] = await qb
      .orderBy(d.bytewise('a.namespace'), 'ASC')
      .addOrderBy(d.bytewise('a.name'), 'ASC')
      .addOrderBy('a.id', 'ASC')
      .offset(p.skip)
      .limit(p.pageSize)
      .getManyAndCount();
    return pageOf('assets', rows.map(toAssetSummaryDto), total, p);
  }

  /** The list filters as a query; annotation filters become a set of qualified names from src/annotations. */
  private async filtered(q: ListAssetsQueryDto, callerId?: string): Promise<SelectQueryBuilder<CatalogAssetEntity>> {
    const qb = this.assets.createQueryBuilder('a');
    if (!q.include_removed) qb.andWhere('a.removedAt IS NULL');
    if (q.datasource_id) qb.andWhere('a.dataSourceId = :ds', { ds: q.datasource_id });
    if (q.namespace) qb.andWhere('a.namespace = :ns', { ns: q.namespace });
    if (q.type) qb.andWhere('a.kind = :kind', { kind: q.type });
    if (q.q) qb.andWhere(`a.nameLower LIKE :pattern ESCAPE '!'`, { pattern: likeContains(q.q) });
    const keys = this.written ? await this.written.assetsMatching(annotationFilterOf(q, callerId)) : null;
    if (keys) qb.andWhere(assetKeysWhere(keys));
    return qb;
  }

  async asset(id: string): Promise<AssetDetailDto> {
    const asset = await this.requireAsset(id);
    const [fields, latest] = await Promise.all([
      this.fields.find({ where: { assetId: id }, order: { ordinal: 'ASC', name: 'ASC' } }),
      this.profiles.findOne({ where: { assetId: id }, order: { createdAt: 'DESC', id: 'DESC' } }),
    ]);
    const detail = toAssetDetailDto(asset, fields, latest);
    const written = this.written
      ? await this.written.ofAsset(
          asset,
          fields.map((f) => f.path ?? f.name),
        )
      : null;
    const lineage = this.lineage ? await this.lineage.countsOf(asset) : null;
    return { ...withWrittenAnnotations(detail, written), lineage };
  }

  /** An asset (removed ones too) by id, as annotations address it. NOT_FOUND when unknown. */
  async assetIdentity(id: string): Promise<AssetIdentity> {
    const a = await this.requireAsset(id);
    const fields = await this.fields.find({ select: { name: true, path: true }, where: { assetId: id } });
    return {
      id: a.id,
      dataSourceId: a.dataSourceId,
      namespace: a.namespace,
      name: a.name,
      kind: a.kind,
      removed: a.removedAt !== null,
      fields: fields.map((f) => f.path ?? f.name),
    };
  }

  /** The assets a list query matches (current ones), at most `limit`, for bulk changes. */
  async matchingAssets(q: ListAssetsQueryDto, limit: number): Promise<AssetIdentity[]> {
    const rows = await (
      await this.filtered({ ...q, include_removed: false })
    )
      .orderBy('a.id', 'ASC')
      .limit(limit)
      .getMany();
    return rows.map((a) => ({
      id: a.id,
      dataSourceId: a.dataSourceId,
      namespace: a.namespace,
      name: a.name,
      kind: a.kind,
      removed: false,
      fields: [],
    }));
  }

  /** The catalog's current assets with these qualified names, removed ones included. */
  async assetsByKeys(keys: AssetKey[]): Promise<CatalogAssetEntity[]> {
    if (keys.length === 0) return [];
    return this.assets.createQueryBuilder('a').where(assetKeysWhere(keys)).getMany();
  }

  async namespaceExists(dataSourceId: string, name: string): Promise<boolean> {
    return (await this.namespaces.count({ where: { dataSourceId, name } })) > 0;
  }

  /** What changed, run by run, newest first. */
  async versionsOf(id: string, q: HistoryQueryDto): Promise<VersionListDto> {
    await this.requireAsset(id);
    const p = pageRequest(q);
    const [rows, total] = await this.versions.findAndCount({
      where: { assetId: id },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: p.skip,
      take: p.pageSize,
    });
    return pageOf('versions', rows.map(toVersionDto), total, p);
  }

  /** Profiles of every data_profile run, newest first, for trends. */
  async profilesOf(id: string, q: HistoryQueryDto): Promise<ProfileListDto> {
    await this.requireAsset(id);
    const p = pageRequest(q);
    const [rows, total] = await this.profiles.findAndCount({
      where: { assetId: id },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: p.skip,
      take: p.pageSize,
    });
    return pageOf('profiles', rows.map(toProfileDto), total, p);
  }

  private async requireAsset(id: string): Promise<CatalogAssetEntity> {
    if (!id) throw CatalogException.assetNotFound(id);
    const asset = await this.assets.findOne({ where: { id } });
    if (!asset) throw CatalogException.assetNotFound(id);
    return asset;
  }
}

/** `(source, namespace, name IN …) OR …`, grouped by source and namespace; never true for no keys. */
function assetKeysWhere(keys: AssetKey[]): Brackets {
  const groups = new Map<string, AssetKey[]>();
  for (const k of keys) {
    const g = `${k.dataSourceId}\u0000${k.namespace}`;
    groups.set(g, [...(groups.get(g) ?? []), k]);
  }
  return new Brackets((w) => {
    if (groups.size === 0) w.where('1 = 0');
    let i = 0;
    for (const list of groups.values()) {
      const n = i++;
      w.orWhere(`(a.dataSourceId = :kd${n} AND a.namespace = :kn${n} AND a.name IN (:...ka${n}))`, {
        [`kd${n}`]: list[0].dataSourceId,
        [`kn${n}`]: list[0].namespace,
        [`ka${n}`]: list.map((k) => k.name),
      });
    }
  });
}
