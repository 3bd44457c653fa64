import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length } from 'class-validator';
import { DATA_SOURCE_TYPES, DataSourceType } from '@app/connectors';
import { DATA_SOURCE_STATUSES, DataSourceStatus } from '../data-source.entity';
import { CreateDataSourceDto } from './create-data-source.dto';

export const TRANSFER_FORMATS = ['json', 'yaml'] as const;
export type TransferFormat = (typeof TRANSFER_FORMATS)[number];
export const MAX_IMPORT_ITEMS = 1000;

/** One data source in an import or export document (no id: ids belong to one installation). */
export class TransferItemDto extends CreateDataSourceDto {
  @ApiPropertyOptional({ enum: DATA_SOURCE_STATUSES, description: 'inactive stays inactive; anything else imports as active' })
  @IsOptional()
  @IsIn(DATA_SOURCE_STATUSES)
  status?: DataSourceStatus;
}

/**
 * The import request as JSON. The same document (an export, for instance) may instead be sent as
 * YAML text with `Content-Type: application/yaml`, options then in the query string.
 */
export class ImportRequestDto {
  @ApiProperty({ type: [TransferItemDto] })
  @IsArray()
  @ArrayMaxSize(MAX_IMPORT_ITEMS)
  data_sources: unknown[];

  @ApiPropertyOptional({ default: false, description: 'Import the good items even when some are bad (default: all or nothing)' })
  @IsOptional()
  @IsBoolean()
  continue_on_error?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Update a data source of the same name instead of reporting a conflict' })
  @IsOptional()
  @IsBoolean()
  update_existing?: boolean;

  @ApiPropertyOptional({ description: 'Accepted (and ignored) so an export can be imported as it is' })
  @IsOptional()
  @IsString()
  exported_at?: string;

  @ApiPropertyOptional({ description: 'Accepted (and ignored) so an export can be imported as it is' })
  @IsOptional()
  @IsInt()
  count?: number;
}

/** Options for a YAML body, where they cannot travel inside the JSON. */
export class ImportQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  continue_on_error?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  update_existing?: 'true' | 'false';
}

export class ImportItemErrorDto {
  @ApiProperty({ description: '0-based position in data_sources' }) index: number;
  @ApiPropertyOptional({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ example: 'INVALID_REQUEST' }) code: string;
  @ApiProperty() message: string;
}

export class ImportedItemDto {
  @ApiProperty() index: number;
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['created', 'updated'] }) action: 'created' | 'updated';
}

export class ImportWarningDto {
  @ApiProperty() index: number;
  @ApiProperty() name: string;
  @ApiProperty() message: string;
}

export class ImportResultDto {
  @ApiProperty() total: number;
  @ApiProperty() success: number;
  @ApiProperty() failed: number;
  @ApiProperty({ type: [ImportItemErrorDto] }) errors: ImportItemErrorDto[];
  @ApiProperty({ type: [ImportedItemDto] }) data_sources: ImportedItemDto[];
  @ApiProperty({ type: [ImportWarningDto] }) warnings: ImportWarningDto[];
  @ApiProperty({ example: 'Imported 3 of 3 data sources' }) message: string;
}

export class ExportRequestDto {
  @ApiPropertyOptional({ type: [String], description: 'Only these data sources (default: all)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_IMPORT_ITEMS)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  ids?: string[];

  @ApiPropertyOptional({ enum: DATA_SOURCE_TYPES })
  @IsOptional()
  @IsIn(DATA_SOURCE_TYPES)
  type?: DataSourceType;

  @ApiPropertyOptional({ enum: TRANSFER_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(TRANSFER_FORMATS)
  format?: TransferFormat;
}

export class ExportDocumentDto {
  @ApiProperty({ example: '2024-01-01T00:00:00Z' }) exported_at: string;
  @ApiProperty() count: number;
  @ApiProperty({ type: [TransferItemDto], description: 'Secrets appear as "******"' }) data_sources: TransferItemDto[];
}
