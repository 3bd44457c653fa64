import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import { UpdateDataSourceDto } from './dto/update-data-source.dto';

/** UpdateDataSourceRequest: the REST body plus the id REST takes from the path. */
export class UpdateDataSourceRequestDto extends UpdateDataSourceDto {
  @IsString()
  @Length(1, 64)
  id: string;

  /** proto3 sends no empty list, so removing every tag is said this way. */
  @IsOptional()
  @IsBoolean()
  clear_tags?: boolean;
}
