import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { DATA_SOURCE_TYPES, DataSourceType } from '@app/connectors';
import { PageQueryDto } from '../common/http/pagination';
import { ApplyTemplateDto, ListTemplatesQueryDto, UpdateTemplateDto } from './dto/template.dto';

/** ListTemplatesRequest: the REST query, with is_system a proto bool instead of the query string "true"/"false". */
export class ListTemplatesRequestDto extends PageQueryDto {
  @IsOptional()
  @IsIn(DATA_SOURCE_TYPES)
  type?: DataSourceType;

  @IsOptional()
  @IsBoolean()
  is_system?: boolean;
}

export function toListTemplatesQuery(req: ListTemplatesRequestDto): ListTemplatesQueryDto {
  const { is_system, ...rest } = req;
  return is_system === undefined ? rest : { ...rest, is_system: is_system ? 'true' : 'false' };
}

/** UpdateTemplateRequest: the REST body plus the id REST takes from the path. */
export class UpdateTemplateRequestDto extends UpdateTemplateDto {
  @IsString()
  @Length(1, 64)
  id: string;
}

/** ApplyTemplateRequest: the REST body plus the id REST takes from the path. */
export class ApplyTemplateRequestDto extends ApplyTemplateDto {
  @IsString()
  @Length(1, 64)
  id: string;
}
