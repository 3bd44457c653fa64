import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import {
  ExportIds,
  ExportOptionsDto,
  ImportedItemDto,
  ImportList,
  ImportOptionsDto,
  ImportSummaryDto,
} from '../../common/transfer/transfer.dto';
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
  @ImportList(TemplateTransferItemDto)
  templates: unknown[];
}

export class TemplateImportResultDto extends ImportSummaryDto {
  @ApiProperty({ type: [ImportedItemDto] }) templates: ImportedItemDto[];
}

export class TemplateExportRequestDto extends ExportOptionsDto {
  @ExportIds('Only these templates (default: all user templates)', 64)
  ids?: string[];

  @ApiPropertyOptional({ default: false, description: 'Also export the built-in templates (is_system: true)' })
  @IsOptional()
  @IsBoolean()
  include_system?: boolean;
}

export class TemplateExportDocumentDto {
  @ApiProperty({ example: '2024-01-01T00:00:00Z' }) exported_at: string;
  @ApiProperty() count: number;
  @ApiProperty({ type: [TemplateTransferItemDto], description: 'Secrets appear as "******"' })
  templates: TemplateTransferItemDto[];
}
