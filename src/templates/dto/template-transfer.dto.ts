import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { DATA_SOURCE_TYPES, DataSourceType } from '@app/connectors';
import { ImportedItemDto, ImportList, ImportOptionsDto, ImportSummaryDto, MAX_IMPORT_ITEMS, TRANSFER_FORMATS, TransferFormat } from '../../common/transfer/transfer.dto';
import { CreateTemplateDto } from './template.dto';

/** One template in an import or export document (no id: ids belong to one installation; type and name identify it). */
export class TemplateTransferItemDto extends CreateTemplateDto {
  @ApiPropertyOptional({ description: 'true marks a built-in template: exported for reference, refused on import' })
  @IsOptional()
  @IsBoolean()
  is_system?: boolean;
}

/**
 * The import request as JSON. The same document (an export, for instance) may instead be sent as
 * YAML text with `Content-Type: application/yaml`, options then in the query string.
 */
export class TemplateImportRequestDto extends ImportOptionsDto {
  @ApiProperty({ type: [TemplateTransferItemDto] })
  @ImportList()
  templates: unknown[];
}

export class TemplateImportResultDto extends ImportSummaryDto {
  @ApiProperty({ type: [ImportedItemDto] }) templates: ImportedItemDto[];
}

export class TemplateExportRequestDto {
  @ApiPropertyOptional({ type: [String], description: 'Only these templates (default: all user templates)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_IMPORT_ITEMS)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  ids?: string[];

  @ApiPropertyOptional({ enum: DATA_SOURCE_TYPES })
  @IsOptional()
  @IsIn(DATA_SOURCE_TYPES)
  type?: DataSourceType;

  @ApiPropertyOptional({ enum: TRANSFER_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(TRANSFER_FORMATS)
  format?: TransferFormat;

  @ApiPropertyOptional({ default: false, description: 'Also export the built-in templates (is_system: true)' })
  @IsOptional()
  @IsBoolean()
  include_system?: boolean;
}

export class TemplateExportDocumentDto {
  @ApiProperty({ example: '2024-01-01T00:00:00Z' }) exported_at: string;
  @ApiProperty() count: number;
  @ApiProperty({ type: [TemplateTransferItemDto], description: 'Secrets appear as "******"' }) templates: TemplateTransferItemDto[];
}
