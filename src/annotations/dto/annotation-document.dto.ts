import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export const OWNERSHIP_TYPES = ['technical', 'business', 'steward'] as const;
export const TAG_FQN = /^[A-Za-z0-9_-][\w -]{0,63}\.[A-Za-z0-9_-][\w -]{0,63}$/;

export class OwnerDto {
  @ApiPropertyOptional({ description: 'A username (or give `team`)', example: 'alice' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  user?: string;

  @ApiPropertyOptional({ description: 'A team name (or give `user`)', example: 'data-platform' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  team?: string;

  @ApiPropertyOptional({ enum: OWNERSHIP_TYPES, default: 'technical' })
  @IsOptional()
  @IsIn(OWNERSHIP_TYPES)
  type?: (typeof OWNERSHIP_TYPES)[number];
}

export class CertificationDto {
  @ApiProperty({ enum: ['certified', 'deprecated'] })
  @IsIn(['certified', 'deprecated'])
  status: 'certified' | 'deprecated';

  @ApiPropertyOptional({ description: 'Why; Markdown' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  note?: string;
}

/** The editable annotations of a target, as a merge patch leaves them. */
export class AnnotationDocumentDto {
  @ApiPropertyOptional({ description: 'Markdown', example: 'One row per **order**; refunds live in `refunds`.' })
  @IsOptional()
  @IsString()
  @MaxLength(65535)
  description?: string;

  @ApiPropertyOptional({ type: [String], description: 'Tags as Group.Tag', example: ['PII.Email'] })
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

  @ApiPropertyOptional({
    type: [String],
    description: 'Glossary terms by qualified name (Glossary.Term) or id',
    example: ['Finance.Revenue'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 512, { each: true })
  terms?: string[];

  @ApiPropertyOptional({ type: CertificationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CertificationDto)
  certification?: CertificationDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Custom properties defined under /custom-properties',
  })
  @IsOptional()
  @IsObject()
  properties?: Record<string, string | number | boolean>;
}
