import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { NAME_MESSAGE, NAME_PATTERN } from './create-data-source.dto';

/** A partial update: absent fields stay; `config` is merged key by key (`null` removes a key, `"******"` keeps a secret). */
export class UpdateDataSourceDto {
  @ApiPropertyOptional({ example: 'updated-mysql', maxLength: 128 })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  @Matches(NAME_PATTERN, { message: NAME_MESSAGE })
  name?: string;

  @ApiPropertyOptional({ example: 'Updated description', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { host: 'new-host', port: 3306 } })
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], example: ['updated'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tags?: string[];
}
