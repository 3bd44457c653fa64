import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { CurrentUser, Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { Principal } from '../auth/role';
import type {
  AssetDetail,
  ListAssetsResponse,
  ListProfilesResponse,
  ListVersionsResponse,
  MetadataTree,
  SearchResponse,
} from '../grpc/generated/metadata/v1/metadata';
import { IdRequestDto } from '../grpc/id-request.dto';
import { AssetHistoryRequestDto, AssetRefDto } from './catalog.grpc.dto';
import { CatalogQueryService } from './catalog-query.service';
import { CatalogSearchService } from './catalog-search.service';
import { ListAssetsQueryDto, SearchQueryDto } from './dto/catalog-query.dto';

/** metadata.v1.MetadataService: the REST catalog reads over gRPC, through the same services; open to every role. */
@Controller()
@Requires(Permission.CatalogRead)
export class CatalogGrpcController {
  constructor(
    private readonly catalog: CatalogQueryService,
    private readonly search: CatalogSearchService,
  ) {}

  @GrpcMethod('MetadataService', 'ListAssets')
  listAssets(@Payload() q: ListAssetsQueryDto, @CurrentUser() user?: Principal): Promise<ListAssetsResponse> {
    return this.catalog.listAssets(q, user?.id);
  }

  @GrpcMethod('MetadataService', 'GetAsset')
  getAsset(@Payload() req: AssetRefDto): Promise<AssetDetail> {
    return this.catalog.asset(req.asset_id);
  }

  @GrpcMethod('MetadataService', 'ListVersions')
  listVersions(@Payload() req: AssetHistoryRequestDto): Promise<ListVersionsResponse> {
    const { asset_id, ...q } = req;
    return this.catalog.versionsOf(asset_id, q);
  }

  @GrpcMethod('MetadataService', 'Search')
  find(@Payload() q: SearchQueryDto, @CurrentUser() user?: Principal): Promise<SearchResponse> {
    return this.search.search(q, user?.id);
  }

  @GrpcMethod('MetadataService', 'ListProfiles')
  listProfiles(@Payload() req: AssetHistoryRequestDto): Promise<ListProfilesResponse> {
    const { asset_id, ...q } = req;
    return this.catalog.profilesOf(asset_id, q);
  }

  @GrpcMethod('MetadataService', 'GetTree')
  getTree(@Payload() req: IdRequestDto): Promise<MetadataTree> {
    return this.catalog.tree(req.id);
  }
}
