import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
} from 'class-validator';
import { DATA_SOURCE_TYPES, DataSourceType } from '@app/connectors';
import { PageQueryDto } from '../../common/http/pagination';
import { NAME_MESSAGE, NAME_PATTERN } from '../../datasources/dto/create-data-source.dto';

export class CreateTemplateDto {
  @ApiProperty({ example: 'mysql-standard', maxLength: 128 })
  @IsString()
  @Length(1, 128)
  @Matches(NAME_PATTERN, { message: NAME_MESSAGE })
  name: string;

  @ApiProperty({ enum: DATA_SOURCE_TYPES, example: 'mysql' })
  @IsIn(DATA_SOURCE_TYPES)
  type: DataSourceType;

  @ApiPropertyOptional({ example: 'Standard MySQL configuration', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Part of a config of the type: known fields only; required fields may be left to apply time.',
    example: { port: 3306, timeout: 30, max_conns: 10, max_idle_conns: 5, charset: 'utf8mb4' },
  })
  @IsObject()
  config_template: Record<string, unknown>;
}

/** Partial: absent fields stay; config_template merged key by key (`null` removes a key). */
export class UpdateTemplateDto {
  @ApiPropertyOptional({ maxLength: 128 })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  @Matches(NAME_PATTERN, { message: NAME_MESSAGE })
  name?: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  config_template?: Record<string, unknown>;
}

export class ListTemplatesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DATA_SOURCE_TYPES })
  @IsOptional()
  @IsIn(DATA_SOURCE_TYPES)
  type?: DataSourceType;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only built-in (true) or only user (false) templates' })
  @IsOptional()
  @IsIn(['true', 'false'])
  is_system?: 'true' | 'false';
}

export class ApplyTemplateDto {
  @ApiProperty({ example: 'new-datasource', maxLength: 128 })
  @IsString()
  @Length(1, 128)
  @Matches(NAME_PATTERN, { message: NAME_MESSAGE })
  name: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { host: 'production-host', database: 'production_db' },
  })
  @IsOptional()
  @IsObject()
  config_overrides?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tags?: string[];
}

export class TemplateDto {
  @ApiProperty({ example: 'tpl-01j9zk7m3f5r8w2x4y6z0a1b2c' }) id: string;
  @ApiProperty({ example: 'mysql-standard' }) name: string;
  @ApiProperty({ enum: DATA_SOURCE_TYPES }) type: DataSourceType;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Secrets shown as "******"' })
  config_template: Record<string, unknown>;
  @ApiProperty({ description: 'Built in and read-only' }) is_system: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) created_by: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class TemplateListDto {
  @ApiProperty({ type: [TemplateDto] }) templates: TemplateDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() page_size: number;
}
