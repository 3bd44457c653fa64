import { applyDecorators, Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length } from 'class-validator';
import { DATA_SOURCE_TYPES, DataSourceType } from '@app/connectors';

/** The parts of an import/export API that do not depend on what is transferred (data sources, templates). */
export const TRANSFER_FORMATS = ['json', 'yaml'] as const;
export type TransferFormat = (typeof TRANSFER_FORMATS)[number];
export const MAX_IMPORT_ITEMS = 1000;

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
  @ApiProperty({ description: '0-based position in the imported list' }) index: number;
  @ApiPropertyOptional({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ example: 'INVALID_REQUEST' }) code: string;
  @ApiProperty() message: string;
}

/** Something an imported item lost on the way in, e.g. a secret that came masked. */
export class ImportWarningDto {
  @ApiProperty() index: number;
  @ApiProperty() name: string;
  @ApiProperty() message: string;
}

export class ImportedItemDto {
  @ApiProperty() index: number;
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['created', 'updated'] }) action: 'created' | 'updated';
}

/** The options of a JSON import request; each kind adds its list (data_sources, templates). */
export class ImportOptionsDto {
  @ApiPropertyOptional({
    default: false,
    description: 'Import the good items even when some are bad (default: all or nothing)',
  })
  @IsOptional()
  @IsBoolean()
  continue_on_error?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      'Update the item already stored under the same name (templates: type and name) instead of reporting a conflict',
  })
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

/** What an import reports; each kind adds its list of imported items. */
export class ImportSummaryDto {
  @ApiProperty() total: number;
  @ApiProperty() success: number;
  @ApiProperty() failed: number;
  @ApiProperty({ type: [ImportItemErrorDto] }) errors: ImportItemErrorDto[];
  @ApiProperty({ type: [ImportWarningDto] }) warnings: ImportWarningDto[];
  @ApiProperty({ example: 'Imported 3 of 3' }) message: string;
}

/** An import document's list of items, documented as `item`; validated as a list only (each item is checked on its own). */
export const ImportList = (item: Type) =>
  applyDecorators(ApiProperty({ type: [item] }), IsArray(), ArrayMaxSize(MAX_IMPORT_ITEMS));

/** The ids an export request may name; id lengths differ per kind. */
export const ExportIds = (description: string, maxIdLength: number) =>
  applyDecorators(
    ApiPropertyOptional({ type: [String], description }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_IMPORT_ITEMS),
    IsString({ each: true }),
    Length(1, maxIdLength, { each: true }),
  );

/** The options of an export request; each kind adds its `ids` (and any option of its own). */
export class ExportOptionsDto {
  @ApiPropertyOptional({ enum: DATA_SOURCE_TYPES })
  @IsOptional()
  @IsIn(DATA_SOURCE_TYPES)
  type?: DataSourceType;

  @ApiPropertyOptional({ enum: TRANSFER_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(TRANSFER_FORMATS)
  format?: TransferFormat;
}
