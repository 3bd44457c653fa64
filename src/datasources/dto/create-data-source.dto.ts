import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { DATA_SOURCE_TYPES, DataSourceType } from '@app/connectors';

// Printable, without leading or trailing blanks.
export const NAME_PATTERN = /^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u;
export const NAME_MESSAGE = 'name must not start or end with blanks or hold control characters';

export class CreateDataSourceDto {
  @ApiProperty({ example: 'production-mysql', maxLength: 128 })
  @IsString()
  @Length(1, 128)
  @Matches(NAME_PATTERN, { message: NAME_MESSAGE })
  name: string;

  @ApiProperty({ enum: DATA_SOURCE_TYPES, example: 'mysql' })
  @IsIn(DATA_SOURCE_TYPES)
  type: DataSourceType;

  @ApiPropertyOptional({ example: 'Production MySQL database', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'Settings of the type (see GET /datasources/types); secret fields are encrypted at rest and shown as "******".',
    example: {
      host: 'localhost',
      port: 3306,
      database: 'production',
      username: 'admin',
      password: 'secret',
      timeout: 30,
      max_conns: 10,
      max_idle_conns: 5,
    },
  })
  @IsObject()
  config: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], example: ['production', 'mysql'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tags?: string[];
}
