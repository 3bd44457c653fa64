import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, Length } from 'class-validator';
import { DATA_SOURCE_TYPES, DataSourceType } from '@app/connectors';

/** A config to test before it is saved; with `datasource_id`, it is merged over that source's stored config. */
export class TestConfigDto {
  @ApiProperty({ enum: DATA_SOURCE_TYPES })
  @IsIn(DATA_SOURCE_TYPES)
  type: DataSourceType;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { host: '127.0.0.1', port: 5432, username: 'postgres', database: 'test' },
  })
  @IsObject()
  config: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Merge over this saved source, so "******" stands for its stored secrets' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  datasource_id?: string;
}

export class TestStepDto {
  @ApiProperty({ enum: ['resolve', 'tcp', 'tls', 'authenticate', 'catalog'] }) name: string;
  @ApiProperty() ok: boolean;
  @ApiProperty() duration_ms: number;
  @ApiPropertyOptional() message?: string;
}

export class TestResultDto {
  @ApiProperty() success: boolean;
  @ApiProperty({ example: 'Connection successful' }) message: string;
  @ApiProperty({ description: 'Milliseconds the test took', example: 50 }) latency: number;
  @ApiPropertyOptional({ example: 'MySQL 8.0.32' }) server_info?: string;
  @ApiPropertyOptional({ example: '8.0.32' }) version?: string;
  @ApiPropertyOptional({ description: 'On failure: what to try' }) details?: string;
  @ApiPropertyOptional({
    example: 'ADDRESS_REFUSED',
    description: 'On failure: AUTH_FAILED, UNREACHABLE, TIMEOUT, PERMISSION_DENIED, TLS, PROTOCOL, ADDRESS_REFUSED, …',
  })
  error_code?: string;
  @ApiProperty({
    type: [TestStepDto],
    description: 'resolve → tcp → tls → authenticate → catalog, up to the first failure',
  })
  steps: TestStepDto[];
}
