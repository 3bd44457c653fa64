import { iso } from '../common/timestamps';
import { AssetDetailDto, AssetSummaryDto, FieldDto, IndexDto, KeyDto } from './dto/asset.dto';
import { ProfileDto } from './dto/profile.dto';
import { VersionDto } from './dto/version.dto';
import { CatalogAssetEntity } from './entities/catalog-asset.entity';
import { CatalogFieldEntity } from './entities/catalog-field.entity';
import { CatalogProfileEntity } from './entities/catalog-profile.entity';
import { CatalogVersionEntity } from './entities/catalog-version.entity';

export function toAssetSummaryDto(a: CatalogAssetEntity): AssetSummaryDto {
  return {
    id: a.id,
    data_source_id: a.dataSourceId,
    namespace: a.namespace,
    name: a.name,
    type: a.kind,
    comment: a.comment,
    owner: a.owner,
    field_count: a.fieldCount,
    statistics: { rows: a.rowCount, bytes: a.sizeBytes, as_of: iso(a.statsAt) },
    fingerprint: a.fingerprint,
    first_seen_at: iso(a.firstSeenAt)!,
    last_seen_at: iso(a.lastSeenAt)!,
    changed_at: iso(a.changedAt)!,
    removed_at: iso(a.removedAt),
  };
}

export function toFieldDto(f: CatalogFieldEntity): FieldDto {
  return {
    id: f.id,
    name: f.name,
    path: f.path,
    ordinal: f.ordinal,
    data_type: f.dataType,
    type_family: f.typeFamily,
    nullable: f.nullable,
    default: f.defaultValue,
    comment: f.comment,
    primary_key: f.primaryKey,
    properties: f.properties,
  };
}

export function toProfileDto(p: CatalogProfileEntity): ProfileDto {
  return {
    id: p.id,
    asset_id: p.assetId,
    execution_id: p.executionId,
    created_at: iso(p.createdAt)!,
    row_count: p.rowCount,
    sampled: p.sampled,
    sample_rows: p.profile.sample_rows ?? null,
    columns: p.profile.columns,
  };
}

/** The collected part of an asset read; written annotations are merged in by written-annotations.ts. */
export function toAssetDetailDto(
  a: CatalogAssetEntity,
  fields: CatalogFieldEntity[],
  latest: CatalogProfileEntity | null,
): Omit<AssetDetailDto, 'descriptions' | 'annotations'> {
  return {
    ...toAssetSummaryDto(a),
    properties: a.properties ?? {},
    fields: fields.map(toFieldDto),
    keys: (a.keys ?? []) as KeyDto[],
    indexes: (a.indexes ?? []) as IndexDto[],
    change_signal: a.changeSignal,
    latest_profile: latest ? toProfileDto(latest) : null,
  };
}

export function toVersionDto(v: CatalogVersionEntity): VersionDto {
  return {
    id: v.id,
    asset_id: v.assetId,
    data_source_id: v.dataSourceId,
    execution_id: v.executionId,
    change: v.changeType,
    namespace: v.namespace,
    asset_name: v.assetName,
    asset_type: v.assetKind,
    fields_added: v.fieldsAdded,
    fields_removed: v.fieldsRemoved,
    fields_altered: v.fieldsAltered,
    diff: v.diff as unknown as Record<string, unknown>,
    created_at: iso(v.createdAt)!,
  };
}
