import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { TRANSFER_FORMATS, TransferFormat } from '../../common/transfer/transfer.dto';
import { CreateGlossaryDto, CreateTermDto } from '../dto/glossary.dto';
import { CreateTagGroupDto } from '../dto/tag-group.dto';

export const MAX_CODE_ENTRIES = 10_000;

/** A glossary as code: the glossary and its terms (a child names its parent's qualified name). */
export class GlossaryCodeDto extends CreateGlossaryDto {
  @ApiPropertyOptional({ type: [CreateTermDto], description: 'Parents before or after children: order is free' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CODE_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => CreateTermDto)
  terms?: CreateTermDto[];
}

/**
 * The catalog-as-code document. Annotation entries are plain objects checked one by one (their
 * keys are the annotation document's plus the qualified name: source, namespace, asset, field).
 */
export class CatalogCodeDocumentDto {
  @ApiPropertyOptional({ type: [CreateTagGroupDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CODE_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => CreateTagGroupDto)
  tag_groups?: CreateTagGroupDto[];

  @ApiPropertyOptional({ type: [GlossaryCodeDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CODE_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => GlossaryCodeDto)
  glossaries?: GlossaryCodeDto[];

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    description:
      'One entry per annotated target: `source` (data source name), optional `namespace`, `asset`, `field`, ' +
      'and the whole annotation document (description, tags, owners, terms, certification, properties)',
    example: [{ source: 'orders-db', namespace: 'public', asset: 'orders', field: 'email', tags: ['PII.Email'] }],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CODE_ENTRIES)
  @IsObject({ each: true })
  annotations?: Record<string, unknown>[];

  // Read-only parts of an export a client may send back unchanged.
  @IsOptional() exported_at?: unknown;
}

export class CatalogCodeExportQueryDto {
  @ApiPropertyOptional({ enum: TRANSFER_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(TRANSFER_FORMATS)
  format?: TransferFormat;
}

export class CatalogCodeImportQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Show what would change and write nothing' })
  @IsOptional()
  @IsIn(['true', 'false'])
  dry_run?: 'true' | 'false';
}

export const CODE_ACTIONS = ['create', 'update', 'unchanged'] as const;
export type CodeAction = (typeof CODE_ACTIONS)[number];

export class CatalogCodeChangeDto {
  @ApiProperty({ enum: ['tag_group', 'glossary', 'term', 'annotation'] }) kind: string;
  @ApiProperty({ description: 'Qualified name: `PII`, `Finance.Revenue`, `orders-db/public/orders#email`' })
  name: string;
  @ApiProperty({ enum: CODE_ACTIONS }) action: CodeAction;
  @ApiPropertyOptional({ description: 'Annotations: each changed key, old → new' })
  changes?: Record<string, { old: unknown; new: unknown }>;
}

export class CatalogCodeImportResultDto {
  @ApiProperty() dry_run: boolean;
  @ApiProperty({ description: 'Entries that would be (dry run) or were created or updated' }) changed: number;
  @ApiProperty() unchanged: number;
  @ApiProperty({ type: [CatalogCodeChangeDto] }) changes: CatalogCodeChangeDto[];
}
