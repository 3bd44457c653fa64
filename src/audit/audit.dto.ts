import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../common/http/pagination';

export class ListAuditLogsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Exact action, e.g. datasources.create' })
  @IsOptional()
  @IsString()
  @MaxLength(96)
  action?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  resource_type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  resource_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  actor_id?: string;

  @ApiPropertyOptional({ description: 'ISO 8601; entries at or after' })
  @IsOptional()
  @IsISO8601()
  start_time?: string;

  @ApiPropertyOptional({ description: 'ISO 8601; entries at or before' })
  @IsOptional()
  @IsISO8601()
  end_time?: string;
}
