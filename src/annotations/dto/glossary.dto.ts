import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { TERM_STATUSES } from '../entities/glossary.entities';
import { PROPERTY_TYPES } from '../entities/custom-property-def.entity';
import { OwnerDto } from './annotation-document.dto';

const NAME = /^[A-Za-z0-9_-][\w -]{0,127}$/;

export class CreateGlossaryDto {
  @ApiProperty({ example: 'Finance' })
  @IsString()
  @Matches(NAME, { message: 'a name is letters, digits, _, - or spaces (no dots)' })
  @Length(1, 64)
  name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(65535) description?: string;
  @ApiPropertyOptional({ type: [OwnerDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OwnerDto)
  owners?: OwnerDto[];
}

export class CreateTermDto {
  @ApiProperty({ example: 'Revenue' })
  @IsString()
  @Matches(NAME, { message: 'a name is letters, digits, _, - or spaces (no dots)' })
  name: string;
  @ApiPropertyOptional({ description: 'Parent term (id or qualified name) in the same glossary' })
  @IsOptional()
  @IsString()
  @Length(1, 512)
  parent?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(65535) description?: string;
  @ApiPropertyOptional({ type: [String], example: ['turnover', 'sales'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  synonyms?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Related terms (ids or qualified names)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  related?: string[];
  @ApiPropertyOptional({ type: [OwnerDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OwnerDto)
  owners?: OwnerDto[];
  @ApiPropertyOptional({ enum: TERM_STATUSES, default: 'draft' })
  @IsOptional()
  @IsIn(TERM_STATUSES)
  status?: (typeof TERM_STATUSES)[number];
}

export class UpdateTermDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(65535) description?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  synonyms?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  related?: string[];
  @ApiPropertyOptional({ type: [OwnerDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OwnerDto)
  owners?: OwnerDto[];
  @ApiPropertyOptional({ enum: TERM_STATUSES })
  @IsOptional()
  @IsIn(TERM_STATUSES)
  status?: (typeof TERM_STATUSES)[number];
}

export class TermDto {
  @ApiProperty() id: string;
  @ApiProperty() glossary_id: string;
  @ApiProperty({ nullable: true, type: String }) parent_id: string | null;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'Finance.Revenue' }) fqn: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ type: [String] }) synonyms: string[];
  @ApiProperty({ type: [String], description: 'Qualified names of related terms' }) related: string[];
  @ApiProperty({ type: [OwnerDto] }) owners: OwnerDto[];
  @ApiProperty({ enum: TERM_STATUSES }) status: string;
  @ApiProperty({ type: [String], description: 'Qualified names of child terms' }) children: string[];
}

export class GlossaryDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ type: [OwnerDto] }) owners: OwnerDto[];
  @ApiProperty({ type: [TermDto] }) terms: TermDto[];
}

export class GlossaryListDto {
  @ApiProperty({ type: [GlossaryDto] }) glossaries: GlossaryDto[];
}

export class TermAssetDto {
  @ApiProperty({ enum: ['asset', 'field'] }) kind: string;
  @ApiProperty() data_source_id: string;
  @ApiProperty() namespace: string;
  @ApiProperty() asset: string;
  @ApiProperty({ nullable: true, type: String }) field: string | null;
  @ApiProperty({ nullable: true, type: String }) asset_id: string | null;
  @ApiProperty() removed: boolean;
}

export class TermAssetListDto {
  @ApiProperty({ type: [TermAssetDto] }) assets: TermAssetDto[];
}

export class CreateTeamDto {
  @ApiProperty({ example: 'data-platform' }) @IsString() @Matches(/^[\w.-][\w. -]{0,63}$/) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) description?: string;
  @ApiProperty({ type: [String], description: 'Usernames' })
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  members: string[];
}

export class TeamDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ type: [String] }) members: string[];
}

export class TeamListDto {
  @ApiProperty({ type: [TeamDto] }) teams: TeamDto[];
}

export class CreateCustomPropertyDto {
  @ApiProperty({ example: 'retention_days' }) @IsString() @Matches(/^[a-z][a-z0-9_]{0,63}$/) name: string;
  @ApiProperty({
    description: "An asset kind (table, topic, …), or field, namespace, datasource, or '*' for all",
    example: 'table',
  })
  @IsString()
  @Length(1, 32)
  applies_to: string;
  @ApiProperty({ enum: PROPERTY_TYPES }) @IsIn(PROPERTY_TYPES) value_type: (typeof PROPERTY_TYPES)[number];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  enum_values?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) description?: string;
}

export class CustomPropertyDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() applies_to: string;
  @ApiProperty({ enum: PROPERTY_TYPES }) value_type: string;
  @ApiProperty({ type: [String], nullable: true }) enum_values: string[] | null;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
}

export class CustomPropertyListDto {
  @ApiProperty({ type: [CustomPropertyDto] }) custom_properties: CustomPropertyDto[];
}
