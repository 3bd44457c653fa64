import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
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
    const nodes: NamespaceNodeDto[] = namespaces.sort((a, b) => byCodePoint(a.name, b.name)).map((ns) => {
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

  async listAssets(q: ListAssetsQueryDto): Promise<AssetListDto> {
    const p = pageRequest(q);
    const qb = this.assets.createQueryBuilder('a');
    if (!q.include_removed) qb.andWhere('a.removedAt IS NULL');
    if (q.datasource_id) qb.andWhere('a.dataSourceId = :ds', { ds: q.datasource_id });
    if (q.namespace) qb.andWhere('a.namespace = :ns', { ns: q.namespace });
    if (q.type) qb.andWhere('a.kind = :kind', { kind: q.type });
    if (q.q) qb.andWhere(`a.nameLower LIKE :pattern ESCAPE '!'`, { pattern: likeContains(q.q) });
    const d = dialectOf(this.assets.manager.connection);
    const [rows, total] = await qb.orderBy(d.bytewise('a.namespace'), 'ASC').addOrderBy(d.bytewise('a.name'), 'ASC').addOrderBy('a.id', 'ASC').offset(p.skip).limit(p.pageSize).getManyAndCount();
    return pageOf('assets', rows.map(toAssetSummaryDto), total, p);
  }

  async asset(id: string): Promise<AssetDetailDto> {
    const asset = await this.requireAsset(id);
    const [fields, latest] = await Promise.all([
      this.fields.find({ where: { assetId: id }, order: { ordinal: 'ASC', name: 'ASC' } }),
      this.profiles.findOne({ where: { assetId: id }, order: { createdAt: 'DESC', id: 'DESC' } }),
    ]);
    return toAssetDetailDto(asset, fields, latest);
  }

  /** What changed, run by run, newest first. */
  async versionsOf(id: string, q: HistoryQueryDto): Promise<VersionListDto> {
    await this.requireAsset(id);
    const p = pageRequest(q);
    const [rows, total] = await this.versions.findAndCount({ where: { assetId: id }, order: { createdAt: 'DESC', id: 'DESC' }, skip: p.skip, take: p.pageSize });
    return pageOf('versions', rows.map(toVersionDto), total, p);
  }

  /** Profiles of every data_profile run, newest first, for trends. */
  async profilesOf(id: string, q: HistoryQueryDto): Promise<ProfileListDto> {
    await this.requireAsset(id);
    const p = pageRequest(q);
    const [rows, total] = await this.profiles.findAndCount({ where: { assetId: id }, order: { createdAt: 'DESC', id: 'DESC' }, skip: p.skip, take: p.pageSize });
    return pageOf('profiles', rows.map(toProfileDto), total, p);
  }

  private async requireAsset(id: string): Promise<CatalogAssetEntity> {
    const asset = await this.assets.findOne({ where: { id } });
    if (!asset) throw CatalogException.assetNotFound(id);
    return asset;
  }
}
