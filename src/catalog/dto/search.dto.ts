import { ApiProperty } from '@nestjs/swagger';

export class SearchResultDto {
  @ApiProperty({ enum: ['asset', 'field'] }) type: 'asset' | 'field';
  @ApiProperty({ description: 'The asset id, or the field id for fields' }) id: string;
  @ApiProperty() asset_id: string;
  @ApiProperty({ nullable: true, type: String }) field_id: string | null;
  @ApiProperty() data_source_id: string;
  @ApiProperty() namespace: string;
  @ApiProperty() asset_name: string;
  @ApiProperty({ example: 'table' }) asset_type: string;
  @ApiProperty({ nullable: true, type: String }) field_name: string | null;
  @ApiProperty({ nullable: true, type: String }) field_path: string | null;
  @ApiProperty({ nullable: true, type: String }) data_type: string | null;
  @ApiProperty({ description: 'Name of the asset or field found' }) name: string;
  @ApiProperty({
    enum: ['exact', 'prefix', 'substring', 'comment', 'description', 'term'],
    description:
      "How it matched, best first: the name equals q, starts with q, contains q; the source's comment contains q; the written description contains q; a linked glossary term's name or synonym contains q",
  })
  match: 'exact' | 'prefix' | 'substring' | 'comment' | 'description' | 'term';
  @ApiProperty({ enum: ['name', 'comment', 'description', 'term'] }) matched_in:
    'name' | 'comment' | 'description' | 'term';
  @ApiProperty({ description: 'The name, comment, written description or term that matched' }) matched_text: string;
}

export class SearchResultListDto {
  @ApiProperty({
    type: [SearchResultDto],
    description:
      'Ordered by match (exact, prefix, substring, comment, description, term), then name, assets before fields',
  })
  results: SearchResultDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() page_size: number;
}
