import { AssetLineageCountsDto } from '../catalog-lineage.port';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProfileDto } from './profile.dto';

export class StatisticsDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Rows, documents, messages or keys, as the source estimates them',
  })
  rows: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Size on the source in bytes' })
  bytes: number | null;

  @ApiProperty({ nullable: true, type: String, description: 'When the statistics were read' })
  as_of: string | null;
}

export class AssetSummaryDto {
  @ApiProperty({ example: 'ast-01j9zk7m3f5r8w2x4y6z0a1b2c' }) id: string;
  @ApiProperty() data_source_id: string;
  @ApiProperty({ example: 'public' }) namespace: string;
  @ApiProperty({ example: 'orders' }) name: string;
  @ApiProperty({
    example: 'table',
    description:
      'The asset kind: table, view, materialized_view, collection, topic, queue, exchange, bucket, index, key_pattern, …',
  })
  type: string;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ nullable: true, type: String }) owner: string | null;
  @ApiProperty() field_count: number;
  @ApiProperty({ type: StatisticsDto }) statistics: StatisticsDto;
  @ApiProperty({ description: 'SHA-256 of the shape (fields, keys, indexes, kind, comment, shape properties)' })
  fingerprint: string;
  @ApiProperty() first_seen_at: string;
  @ApiProperty() last_seen_at: string;
  @ApiProperty({ description: 'When the shape last changed' }) changed_at: string;
  @ApiProperty({ nullable: true, type: String, description: 'Set when the asset disappeared from the source' })
  removed_at: string | null;
}

export class AssetListDto {
  @ApiProperty({ type: [AssetSummaryDto] }) assets: AssetSummaryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() page_size: number;
}

/** A description and where it came from: the source's comment, or what people wrote. */
export class DescriptionDto {
  @ApiProperty({ enum: ['source', 'annotation'] }) origin: 'source' | 'annotation';
  @ApiProperty({ description: 'Plain text from the source; Markdown when written' }) text: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Who wrote it (annotations only)' }) updated_by?:
    string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) updated_at?: string | null;
}

/** What people wrote about an asset or field (see /metadata/assets/{id}/annotations); never changed by a collection. */
export class WrittenAnnotationsDto {
  @ApiProperty({ description: 'Annotation version, for If-Match; 0 when nothing was written' }) version: number;
  @ApiProperty({ nullable: true, type: String, description: 'Markdown' }) description: string | null;
  @ApiProperty({ type: [String], example: ['PII.Email'] }) tags: string[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, example: [{ user: 'alice', type: 'technical' }] })
  owners: Array<{
    user?: string;
    team?: string;
    type: string;
  }>;
  @ApiProperty({ type: [String], example: ['Finance.Revenue'] }) terms: string[];
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    example: { status: 'certified', note: 'Checked', by: 'alice', at: '2025-01-01T00:00:00Z' },
  })
  certification: { status: string; note: string | null; by: string | null; at: string | null } | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) properties: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) updated_by: string | null;
  @ApiProperty({ nullable: true, type: String }) updated_at: string | null;
}

export class FieldDto {
  @ApiProperty({ example: 'fld-01j9zk7m3f5r8w2x4y6z0a1b2c' }) id: string;
  @ApiProperty({ example: 'customer_id' }) name: string;
  @ApiProperty({ nullable: true, type: String, description: 'Dotted path of a nested document field' }) path:
    string | null;
  @ApiProperty({ description: '1-based position' }) ordinal: number;
  @ApiProperty({ example: 'character varying(64)', description: 'The type as the source writes it' }) data_type: string;
  @ApiProperty({
    example: 'string',
    description:
      'integer, decimal, float, string, boolean, date, time, timestamp, interval, binary, json, array, object, uuid, geometry or other',
  })
  type_family: string;
  @ApiProperty() nullable: boolean;
  @ApiProperty({ nullable: true, type: String }) default: string | null;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty() primary_key: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) properties: Record<
    string,
    unknown
  > | null;
  @ApiPropertyOptional({
    type: [DescriptionDto],
    description: "The source's comment and the written description, each with its origin (asset reads only)",
  })
  descriptions?: DescriptionDto[];
  @ApiPropertyOptional({ type: WrittenAnnotationsDto, description: 'Asset reads only' })
  annotations?: WrittenAnnotationsDto;
}

export class KeyReferenceDto {
  @ApiPropertyOptional() namespace?: string;
  @ApiProperty() table: string;
  @ApiProperty({ type: [String] }) columns: string[];
}

export class KeyDto {
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['primary', 'unique', 'foreign', 'check'] }) type: string;
  @ApiProperty({ type: [String] }) columns: string[];
  @ApiPropertyOptional({ type: KeyReferenceDto }) references?: KeyReferenceDto;
  @ApiPropertyOptional() definition?: string;
}

export class IndexDto {
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) columns: string[];
  @ApiProperty() unique: boolean;
  @ApiPropertyOptional() method?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) predicate?: string | null;
}

export class AssetDetailDto extends AssetSummaryDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Typed properties per kind: engine, partitions, replication, retention, view definition, …',
  })
  properties: Record<string, unknown>;
  @ApiProperty({ type: [FieldDto] }) fields: FieldDto[];
  @ApiProperty({ type: [KeyDto] }) keys: KeyDto[];
  @ApiProperty({ type: [IndexDto] }) indexes: IndexDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The source's change token from the last run that read the asset",
  })
  change_signal: string | null;
  @ApiProperty({ nullable: true, type: ProfileDto }) latest_profile: ProfileDto | null;
  @ApiProperty({
    type: [DescriptionDto],
    description: "The source's comment and the written description, each with its origin",
  })
  descriptions: DescriptionDto[];
  @ApiProperty({ type: WrittenAnnotationsDto }) annotations: WrittenAnnotationsDto;
  @ApiProperty({ nullable: true, type: AssetLineageCountsDto, description: 'Direct lineage edges of the asset' })
  lineage?: AssetLineageCountsDto | null;
}
