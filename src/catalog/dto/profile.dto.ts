import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class TopValueDto {
  @ApiProperty({ nullable: true, type: String }) value: string | null;
  @ApiProperty() count: number;
}

export class ColumnProfileDto {
  @ApiProperty() name: string;
  @ApiProperty() null_count: number;
  @ApiProperty() null_ratio: number;
  @ApiProperty() distinct_count: number;
  @ApiProperty() distinct_ratio: number;
  @ApiPropertyOptional({ nullable: true, oneOf: [{ type: 'string' }, { type: 'number' }] }) min?:
    string | number | null;
  @ApiPropertyOptional({ nullable: true, oneOf: [{ type: 'string' }, { type: 'number' }] }) max?:
    string | number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Numeric columns' }) mean?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Numeric columns' }) stddev?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Text columns' }) min_length?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Text columns' }) max_length?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Text columns' }) avg_length?: number | null;
  @ApiPropertyOptional({
    type: [TopValueDto],
    description: 'Only when the task asks for top values, never for columns whose names look secret',
  })
  top_values?: TopValueDto[];
}

export class ProfileDto {
  @ApiProperty({ example: 'prf-01j9zk7m3f5r8w2x4y6z0a1b2c' }) id: string;
  @ApiProperty() asset_id: string;
  @ApiProperty({ nullable: true, type: String }) execution_id: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Rows in the table (not only in the sample)' }) row_count:
    number | null;
  @ApiProperty({ description: 'True when the column metrics were computed on a sample of the table' }) sampled: boolean;
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      "Rows the column metrics were computed on. Tables larger than the task's `sample_rows` (default 10000) are profiled on a bounded sample of that many rows (`sampled` true); smaller tables are read whole. Null when the source did not report it.",
  })
  sample_rows: number | null;
  @ApiProperty({ type: [ColumnProfileDto] }) columns: ColumnProfileDto[];
}

export class ProfileListDto {
  @ApiProperty({ type: [ProfileDto] }) profiles: ProfileDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() page_size: number;
}
