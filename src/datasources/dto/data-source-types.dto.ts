import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DATA_SOURCE_TYPES, DataSourceType, TASK_TYPES } from '@app/connectors';

export class ConfigFieldDto {
  @ApiProperty({ example: 'host' }) name: string;
  @ApiProperty({ enum: ['string', 'integer', 'number', 'boolean', 'string[]', 'object'] }) type: string;
  @ApiProperty() required: boolean;
  @ApiPropertyOptional({ description: 'Used when the field is absent' }) default?: unknown;
  @ApiProperty({ description: 'Encrypted at rest and shown as "******"' }) secret: boolean;
  @ApiProperty() description: string;
  @ApiPropertyOptional({ type: [String] }) enum?: readonly string[];
  @ApiPropertyOptional() min?: number;
  @ApiPropertyOptional() max?: number;
  @ApiPropertyOptional({ type: [String], description: 'At least one of these fields must be set' })
  one_of?: readonly string[];
}

export class CapabilitiesDto {
  @ApiProperty({ enum: TASK_TYPES, isArray: true }) task_types: readonly string[];
  @ApiProperty({ enum: ['native', 'fingerprint'] }) incremental: string;
  @ApiPropertyOptional() change_signal?: string;
  @ApiProperty({ type: [String], description: 'What profiling computes (empty: unsupported)' })
  profile: readonly string[];
}

export class DataSourceTypeDto {
  @ApiProperty({ enum: DATA_SOURCE_TYPES }) type: DataSourceType;
  @ApiProperty({ example: 'MySQL' }) display_name: string;
  @ApiProperty({ type: [ConfigFieldDto] }) config_fields: ConfigFieldDto[];
  @ApiProperty({ type: CapabilitiesDto }) capabilities: CapabilitiesDto;
}

export class DataSourceTypesDto {
  @ApiProperty({ type: [DataSourceTypeDto] }) types: DataSourceTypeDto[];
}
