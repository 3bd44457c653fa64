import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const asBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

/** Filters on what people wrote (src/annotations): an asset matches through itself or one of its fields. */
export class AnnotationFilterQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Only assets carrying this tag (Group.Tag), on the asset or one of its fields',
    example: 'PII.Email',
  })
  @IsOptional()
  @IsString()
  @Length(1, 129)
  tag?: string;

  @ApiPropertyOptional({ description: 'Only assets owned by this user or team (by name)', example: 'alice' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  owner?: string;

  @ApiPropertyOptional({
    description: 'Only assets linked to this glossary term (qualified name or id)',
    example: 'Finance.Revenue',
  })
  @IsOptional()
  @IsString()
  @Length(1, 512)
  term?: string;

  @ApiPropertyOptional({ enum: ['certified', 'deprecated'], description: 'Only assets with this certification' })
  @IsOptional()
  @IsIn(['certified', 'deprecated'])
  certification?: 'certified' | 'deprecated';

  @ApiPropertyOptional({ description: 'Only assets the caller owns, directly or through a team', default: false })
  @IsOptional()
  @Transform(asBoolean)
  @IsBoolean()
  owned_by_me?: boolean;
}

export class ListAssetsQueryDto extends AnnotationFilterQueryDto {
  @ApiPropertyOptional({ description: 'Only assets of this data source', example: 'ds-01j9zk7m3f5r8w2x4y6z0a1b2c' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  datasource_id?: string;

  @ApiPropertyOptional({
    description: 'Only assets in this namespace (database, schema, vhost, …), exact name',
    example: 'public',
  })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  namespace?: string;

  @ApiPropertyOptional({
    description:
      'Only assets of this kind: table, view, materialized_view, collection, topic, queue, exchange, bucket, index, key_pattern, …',
    example: 'table',
  })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  type?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the asset name', example: 'order' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({
    description: 'Also list assets removed from the source (kept with their history)',
    default: false,
  })
  @IsOptional()
  @Transform(asBoolean)
  @IsBoolean()
  include_removed?: boolean;
}

export class SearchQueryDto extends AnnotationFilterQueryDto {
  @ApiProperty({
    description:
      'Text to find in asset and field names and comments, written descriptions, glossary terms and synonyms (case-insensitive)',
    example: 'customer',
  })
  @Transform(trimmed)
  @IsString()
  @Length(1, 200)
  q: string;

  @ApiPropertyOptional({ description: 'Only results of this data source' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  datasource_id?: string;

  @ApiPropertyOptional({ enum: ['asset', 'field'], description: 'Only assets or only fields' })
  @IsOptional()
  @IsIn(['asset', 'field'])
  type?: 'asset' | 'field';
}

export class HistoryQueryDto extends PageQueryDto {}
