import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser, Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { Principal } from '../auth/role';
import { CatalogQueryService } from './catalog-query.service';
import { AssetDetailDto, AssetListDto } from './dto/asset.dto';
import { HistoryQueryDto, ListAssetsQueryDto } from './dto/catalog-query.dto';
import { ProfileListDto } from './dto/profile.dto';
import { VersionListDto } from './dto/version.dto';

@ApiTags('Metadata')
@ApiBearerAuth()
@ApiErrors(400, 401, 429)
@Controller('metadata/assets')
export class MetadataController {
  constructor(private readonly catalog: CatalogQueryService) {}

  @Requires(Permission.CatalogRead)
  @Get()
  @ApiOperation({
    summary:
      'List catalog assets (filters: datasource_id, namespace, type, q as a name substring; tag, owner, term, certification, owned_by_me)',
  })
  @ApiOkResponse({ type: AssetListDto })
  list(@Query() q: ListAssetsQueryDto, @CurrentUser() user?: Principal): Promise<AssetListDto> {
    return this.catalog.listAssets(q, user?.id);
  }

  @Requires(Permission.CatalogRead)
  @Get(':asset_id')
  @ApiOperation({
    summary:
      "One asset: fields, keys, indexes, properties, statistics and the latest profile, with what people wrote (annotations) beside the source's comments",
  })
  @ApiOkResponse({ type: AssetDetailDto })
  @ApiErrors(404)
  get(@Param('asset_id') id: string): Promise<AssetDetailDto> {
    return this.catalog.asset(id);
  }

  @Requires(Permission.CatalogRead)
  @Get(':asset_id/versions')
  @ApiOperation({ summary: 'What changed in the asset, run by run (newest first), with the field-level diff' })
  @ApiOkResponse({ type: VersionListDto })
  @ApiErrors(404)
  versions(@Param('asset_id') id: string, @Query() q: HistoryQueryDto): Promise<VersionListDto> {
    return this.catalog.versionsOf(id, q);
  }

  @Requires(Permission.CatalogRead)
  @Get(':asset_id/profiles')
  @ApiOperation({ summary: 'Data profiles of the asset, one per data_profile run (newest first)' })
  @ApiOkResponse({ type: ProfileListDto })
  @ApiErrors(404)
  profiles(@Param('asset_id') id: string, @Query() q: HistoryQueryDto): Promise<ProfileListDto> {
    return this.catalog.profilesOf(id, q);
  }
}
