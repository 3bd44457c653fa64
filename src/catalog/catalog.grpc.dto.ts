import { IsString, Length } from 'class-validator';
import { HistoryQueryDto } from './dto/catalog-query.dto';

// The gRPC requests: the REST queries plus the ids REST takes from the path.

export class AssetRefDto {
  @IsString()
  @Length(1, 64)
  asset_id: string;
}

export class AssetHistoryRequestDto extends HistoryQueryDto {
  @IsString()
  @Length(1, 64)
  asset_id: string;
}
