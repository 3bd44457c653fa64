import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { WrittenAnnotationsDto } from '../../catalog/dto/asset.dto';
import { TARGET_KINDS } from '../qualified-name';
import { CertificationDto, OwnerDto, TAG_FQN } from './annotation-document.dto';

export class AnnotationTargetDto {
  @ApiProperty({ enum: TARGET_KINDS }) kind: string;
  @ApiProperty() data_source_id: string;
  @ApiPropertyOptional({ nullable: true, type: String }) namespace: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) asset: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Field path or column name' }) field: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The catalog asset with this name (none when it never existed)',
  })
  asset_id: string | null;
  @ApiProperty({
    description: 'True when the asset or field is gone from the source; the annotations wait for it to come back',
  })
  removed: boolean;
}

export class TermRefDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'Finance.Revenue' }) fqn: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['draft', 'approved', 'deprecated'] }) status: string;
}

/** A target's annotations: the editable document plus version, who and when, and the target itself. */
export class AnnotationsDto extends WrittenAnnotationsDto {
  @ApiProperty({ type: AnnotationTargetDto }) target: AnnotationTargetDto;
  @ApiProperty({ type: [TermRefDto] }) term_details: TermRefDto[];
}

export class AnnotationVersionDto {
  @ApiProperty() id: string;
  @ApiProperty({ type: AnnotationTargetDto }) target: AnnotationTargetDto;
  @ApiProperty() version: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Each changed key: {old, new}',
    example: { tags: { old: null, new: ['PII.Email'] } },
  })
  changes: Record<string, { old: unknown; new: unknown }>;
  @ApiProperty({ nullable: true, type: String }) actor_id: string | null;
  @ApiProperty({ nullable: true, type: String }) actor: string | null;
  @ApiProperty() created_at: string;
}

export class AnnotationVersionListDto {
  @ApiProperty({ type: [AnnotationVersionDto] }) versions: AnnotationVersionDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() page_size: number;
}

export class AnnotationVersionsQueryDto extends PageQueryDto {}

export class BulkLabelsDto {
  @ApiPropertyOptional({ type: [String], example: ['PII.Email'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(TAG_FQN, { each: true, message: 'each tag is Group.Tag' })
  tags?: string[];

  @ApiPropertyOptional({ type: [OwnerDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OwnerDto)
  owners?: OwnerDto[];

  @ApiPropertyOptional({ type: [String], example: ['Finance.Revenue'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 512, { each: true })
  terms?: string[];
}

/** Which assets a bulk change applies to, as GET /metadata/assets filters them. */
export class BulkQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of the asset name' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 40) datasource_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 255) namespace?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 32) type?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 129) tag?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 64) owner?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 512) term?: string;
  @ApiPropertyOptional({ enum: ['certified', 'deprecated'] })
  @IsOptional()
  @IsIn(['certified', 'deprecated'])
  certification?: 'certified' | 'deprecated';
}

export class BulkAnnotateDto {
  @ApiPropertyOptional({ type: [String], description: 'The assets, by id (or give `query`)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  asset_ids?: string[];

  @ApiPropertyOptional({ type: BulkQueryDto, description: 'The assets a list query matches (at most 1000)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BulkQueryDto)
  query?: BulkQueryDto;

  @ApiPropertyOptional({ type: BulkLabelsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => BulkLabelsDto)
  add?: BulkLabelsDto;
  @ApiPropertyOptional({ type: BulkLabelsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => BulkLabelsDto)
  remove?: BulkLabelsDto;
  @ApiPropertyOptional({ type: CertificationDto, description: 'Certify or deprecate every asset' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CertificationDto)
  certification?: CertificationDto;
  @ApiPropertyOptional({ description: 'Remove the certification of every asset' })
  @IsOptional()
  @IsBoolean()
  clear_certification?: boolean;
}

export class BulkAssetDto {
  @ApiProperty() asset_id: string;
  @ApiProperty() version: number;
  @ApiProperty() changed: boolean;
}

export class BulkAnnotateResultDto {
  @ApiProperty() matched: number;
  @ApiProperty() changed: number;
  @ApiProperty({ type: [BulkAssetDto] }) assets: BulkAssetDto[];
}
