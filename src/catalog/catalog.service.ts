import { AssetProfile, assetInScope, CollectScope, ProfileTarget } from '@app/connectors';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import { newId } from '../common/ids';
import { CatalogException } from './catalog.exception';
import { toVersionDto } from './catalog.mapper';
import { ExecutionChangesDto } from './dto/version.dto';
import { CatalogAssetEntity } from './entities/catalog-asset.entity';
import { CatalogProfileEntity } from './entities/catalog-profile.entity';
import { PROFILE_OBSERVER, ProfileObserver } from './profile-observer.port';
import { CatalogVersionEntity } from './entities/catalog-version.entity';
import { CatalogRunWriter, OpenRunParams, RunAnnouncer } from './run/catalog-run-writer';
import { WebhookOutboxService } from '../webhooks/webhook-outbox.service';
import { loadRunState } from './run/run-state';
import { RUN_LINEAGE, RunLineagePort } from './run/run-lineage';
import { selectByIds } from './store/bulk-sql';
import { byCodePoint, dialectOf } from './store/sql-dialect';

export type { ChangeSummary } from './run/change-summary';
export type { CatalogRunWriter } from './run/catalog-run-writer';

/** Kinds that hold no records of their own, so there is nothing to profile. */
// Kinds that hold no rows to profile.
const NOT_PROFILED = new Set(['exchange', 'database', 'sequence', 'function', 'procedure', 'trigger', 'user_type']);

/**
 * The catalog as collection runs and profiling use it: open a run and write batches into it,
 * list what to profile, store profiles, and tell what an execution changed.
 */
@Injectable()
export class CatalogService {
  private readonly logger = new Logger('Catalog');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(CatalogAssetEntity) private readonly assets: Repository<CatalogAssetEntity>,
    @InjectRepository(CatalogProfileEntity) private readonly profiles: Repository<CatalogProfileEntity>,
    @InjectRepository(CatalogVersionEntity) private readonly versions: Repository<CatalogVersionEntity>,
    private readonly outbox: WebhookOutboxService,
    @Optional() @Inject(RUN_LINEAGE) private readonly lineage?: RunLineagePort,
    @Optional() @Inject(PROFILE_OBSERVER) private readonly profileObserver?: ProfileObserver,
  ) {}

  /** `metadata.changed`: the run's change summary, with links to the changed assets' versions. */
  private announcer(p: OpenRunParams): RunAnnouncer {
    return async (em, summary, changed) => {
      await this.outbox.enqueue(em, {
        type: 'metadata.changed',
        dataSourceId: p.dataSourceId,
        data: {
          datasource_id: p.dataSourceId,
          execution_id: p.executionId,
          mode: p.mode,
          changes: summary,
          assets: changed.assets.map((a) => ({
            asset_id: a.assetId,
            namespace: a.namespace,
            name: a.name,
            kind: a.kind,
            change: a.change,
            versions_url: `/api/v1/metadata/assets/${a.assetId}/versions`,
          })),
          assets_total: changed.total,
        },
      });
    };
  }

  /** Loads what the catalog holds about the source once, so writing never looks assets up one by one. */
  async openRun(p: OpenRunParams): Promise<CatalogRunWriter> {
    const dialect = dialectOf(this.db);
    const openedAt = Date.now();
    const known = await loadRunState(this.db.manager, dialect, p.dataSourceId);
    // Anything written from now on carries a later last_seen_at than every sighting before the run.
    await new Promise((resolve) => setTimeout(resolve, 2));
    return new CatalogRunWriter(this.db, dialect, p, known, openedAt, this.announcer(p), this.lineage);
  }

  /** The current assets of a source within a scope, with their fields, for a data_profile run. */
  async profileTargets(dataSourceId: string, scope: CollectScope): Promise<ProfileTarget[]> {
    const dialect = dialectOf(this.db);
    const rows = (await this.db.query(
      `SELECT id, namespace, name, kind FROM catalog_assets WHERE data_source_id = ${dialect.param(1)} AND removed_at IS NULL`,
      [dataSourceId],
    )) as Array<{ id: string; namespace: string; name: string; kind: string }>;
    const chosen = rows
      .filter((r) => !NOT_PROFILED.has(r.kind) && assetInScope(scope, r.namespace, r.name))
      .sort((a, b) => byCodePoint(a.namespace, b.namespace) || byCodePoint(a.name, b.name));
    const fields = await selectByIds<{
      asset_id: string;
      name: string;
      path: string | null;
      data_type: string;
      ordinal: unknown;
    }>(
      this.db.manager,
      dialect,
      'SELECT asset_id, name, path, data_type, ordinal FROM catalog_fields WHERE',
      'asset_id',
      chosen.map((r) => r.id),
    );
    const byAsset = new Map<string, Array<{ name: string; dataType: string; ordinal: number }>>();
    for (const f of fields) {
      const list = byAsset.get(f.asset_id) ?? [];
      list.push({ name: f.path ?? f.name, dataType: f.data_type, ordinal: Number(f.ordinal) });
      byAsset.set(f.asset_id, list);
    }
    return chosen.map((r) => ({
      namespace: r.namespace,
      name: r.name,
      fields: (byAsset.get(r.id) ?? [])
        .sort((a, b) => a.ordinal - b.ordinal)
        .map(({ name, dataType }) => ({ name, dataType })),
    }));
  }

  /** Keeps one profile per asset and run, so trends can be read from the history. */
  async saveProfile(p: {
    dataSourceId: string;
    executionId: string;
    namespace: string;
    name: string;
    profile: AssetProfile;
  }): Promise<void> {
    const asset = await this.assets.findOne({
      select: { id: true },
      where: { dataSourceId: p.dataSourceId, namespace: p.namespace, name: p.name, removedAt: IsNull() },
    });
    if (!asset) throw CatalogException.assetNotInCatalog(p.dataSourceId, p.namespace, p.name);
    await this.profiles.insert({
      id: newId('prf'),
      assetId: asset.id,
      dataSourceId: p.dataSourceId,
      executionId: p.executionId,
      rowCount: Number.isFinite(p.profile.row_count) ? Math.round(p.profile.row_count) : null,
      sampled: p.profile.sampled,
      profile: p.profile,
      createdAt: new Date(),
    });
    await this.profileObserver
      ?.profiled({ dataSourceId: p.dataSourceId, namespace: p.namespace, name: p.name }, p.profile, p.executionId)
      .catch((err: unknown) =>
        this.logger.warn(`Profile observer failed: ${err instanceof Error ? err.message : String(err)}`),
      );
  }

  /** What one execution changed: counts by change, and its first `limit` versions in order. */
  async changesOfExecution(executionId: string, limit = 100): Promise<ExecutionChangesDto> {
    const counts = (await this.versions
      .createQueryBuilder('v')
      .select('v.changeType', 'change')
      .addSelect('COUNT(*)', 'assets')
      .addSelect('SUM(v.fieldsAdded)', 'fields_added')
      .addSelect('SUM(v.fieldsRemoved)', 'fields_removed')
      .addSelect('SUM(v.fieldsAltered)', 'fields_altered')
      .where('v.executionId = :executionId', { executionId })
      .groupBy('v.changeType')
      .getRawMany()) as Array<{
      change: string;
      assets: unknown;
      fields_added: unknown;
      fields_removed: unknown;
      fields_altered: unknown;
    }>;
    const out: ExecutionChangesDto = {
      execution_id: executionId,
      assets_added: 0,
      assets_removed: 0,
      assets_altered: 0,
      fields_added: 0,
      fields_removed: 0,
      fields_altered: 0,
      versions_total: 0,
      versions: [],
    };
    for (const c of counts) {
      const n = Number(c.assets);
      if (c.change === 'added') out.assets_added = n;
      else if (c.change === 'removed') out.assets_removed = n;
      else if (c.change === 'altered') out.assets_altered = n;
      out.versions_total += n;
      out.fields_added += Number(c.fields_added ?? 0);
      out.fields_removed += Number(c.fields_removed ?? 0);
      out.fields_altered += Number(c.fields_altered ?? 0);
    }
    if (out.versions_total > 0 && limit > 0) {
      const d = dialectOf(this.db);
      const rows = await this.versions
        .createQueryBuilder('v')
        .where('v.executionId = :executionId', { executionId })
        .orderBy(d.bytewise('v.namespace'), 'ASC')
        .addOrderBy(d.bytewise('v.asset_name'), 'ASC')
        .addOrderBy('v.id', 'ASC')
        .limit(limit)
        .getMany();
      out.versions = rows.map(toVersionDto);
    }
    return out;
  }
}
