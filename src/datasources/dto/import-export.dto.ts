import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  ExportIds,
  ExportOptionsDto,
  ImportedItemDto,
  ImportList,
  ImportOptionsDto,
  ImportSummaryDto,
} from '../../common/transfer/transfer.dto';
import { DATA_SOURCE_STATUSES, DataSourceStatus } from '../data-source.entity';
import { CreateDataSourceDto } from './create-data-source.dto';

/** One data source in an import or export document (no id: ids belong to one installation). */
export class TransferItemDto extends CreateDataSourceDto {
  @ApiPropertyOptional({
    enum: DATA_SOURCE_STATUSES,
    description: 'inactive stays inactive; anything else imports as active',
  })
  @IsOptional()
  @IsIn(DATA_SOURCE_STATUSES)
  status?: DataSourceStatus;
}

/**
 * The import request as JSON. The same document (an export, for instance) may instead be sent as
 * YAML text with `Content-Type: application/yaml`, options then in the query string.
 */
export class ImportRequestDto extends ImportOptionsDto {
  @ImportList(TransferItemDto)
  data_sources: unknown[];
}

export class ImportResultDto extends ImportSummaryDto {
  @ApiProperty({ type: [ImportedItemDto] }) data_sources: ImportedItemDto[];
}

export class ExportRequestDto extends ExportOptionsDto {
  @ExportIds('Only these data sources (default: all)', 40)
  ids?: string[];
}

export class ExportDocumentDto {
  @ApiProperty({ example: '2024-01-01T00:00:00Z' }) exported_at: string;
  @ApiProperty() count: number;
  @ApiProperty({ type: [TransferItemDto], description: 'Secrets appear as "******"' }) data_sources: TransferItemDto[];
}
