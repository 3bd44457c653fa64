import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DATA_SOURCE_TYPES, DataSourceType } from '@app/connectors';
import { DATA_SOURCE_STATUSES, DataSourceStatus } from '../data-source.entity';

/** A data source as every response shows it: secrets masked as "******". */
export class DataSourceDto {
  @ApiProperty({ example: 'ds-01j9zk7m3f5r8w2x4y6z0a1b2c' }) id: string;
  @ApiProperty({ example: 'production-mysql' }) name: string;
  @ApiProperty({ enum: DATA_SOURCE_TYPES }) type: DataSourceType;
  @ApiProperty({ nullable: true, type: String, example: 'Production MySQL database' }) description: string | null;
  @ApiProperty({ enum: DATA_SOURCE_STATUSES }) status: DataSourceStatus;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { host: 'localhost', port: 3306, database: 'production', password: '******' },
  })
  config: Record<string, unknown>;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'When the connection was last tested' })
  last_test_at: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Latency of the last test in ms' })
  last_latency_ms: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why the last test failed' }) last_error:
    string | null;
  @ApiProperty({ description: 'When the status last changed' }) status_changed_at: string;
  @ApiPropertyOptional({ nullable: true, type: String }) created_by: string | null;
  @ApiProperty({ example: '2024-01-01T00:00:00Z' }) created_at: string;
  @ApiProperty({ example: '2024-01-01T00:00:00Z' }) updated_at: string;
}

export class DataSourceListDto {
  @ApiProperty({ type: [DataSourceDto] }) data_sources: DataSourceDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() page_size: number;
}

export class SuccessDto {
  @ApiProperty({ example: true }) success: boolean;
}
