import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { SUGGESTION_STATUSES, SuggestionStatus } from '../entities/annotation-suggestion.entity';

export class ListSuggestionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only suggestions for this asset' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  asset_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  datasource_id?: string;

  @ApiPropertyOptional({ enum: SUGGESTION_STATUSES, default: 'pending' })
  @IsOptional()
  @IsIn(SUGGESTION_STATUSES)
  status?: SuggestionStatus;
}

export class SuggestionEvidenceDto {
  @ApiProperty({ description: "The column's name reads like the tag" }) name_match: boolean;
  @ApiProperty({ description: 'Profiled values looked at (never shown)' }) values_checked: number;
  @ApiProperty({ description: 'Of those, values the validator accepted' }) values_matched: number;
}

export class SuggestionDto {
  @ApiProperty() id: string;
  @ApiProperty() datasource_id: string;
  @ApiProperty() namespace: string;
  @ApiProperty() asset: string;
  @ApiProperty() field: string;
  @ApiProperty({ example: 'PII.Email' }) tag: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) confidence: number;
  @ApiProperty({ type: SuggestionEvidenceDto }) evidence: SuggestionEvidenceDto;
  @ApiProperty({ enum: SUGGESTION_STATUSES }) status: SuggestionStatus;
  @ApiProperty({ nullable: true, type: String, description: 'The data_profile run that last made it' })
  execution_id: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
  @ApiProperty({ nullable: true, type: String }) decided_by: string | null;
  @ApiProperty({ nullable: true, type: String }) decided_at: string | null;
}

export class SuggestionListDto {
  @ApiProperty({ type: [SuggestionDto] }) suggestions: SuggestionDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() page_size: number;
}
