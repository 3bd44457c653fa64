import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DATA_SOURCE_TYPES, DataSourceType } from '@app/connectors';
import { PageQueryDto } from '../../common/http/pagination';
import { DATA_SOURCE_STATUSES, DataSourceStatus } from '../data-source.entity';

export class ListDataSourcesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DATA_SOURCE_TYPES })
  @IsOptional()
  @IsIn(DATA_SOURCE_TYPES)
  type?: DataSourceType;

  @ApiPropertyOptional({ enum: DATA_SOURCE_STATUSES })
  @IsOptional()
  @IsIn(DATA_SOURCE_STATUSES)
  status?: DataSourceStatus;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the name' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  name?: string;
}
