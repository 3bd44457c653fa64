import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser, Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { Principal } from '../auth/role';
import { CatalogSearchService } from './catalog-search.service';
import { SearchQueryDto } from './dto/catalog-query.dto';
import { SearchResultListDto } from './dto/search.dto';

@ApiTags('Metadata')
@ApiBearerAuth()
@ApiErrors(400, 401, 429)
@Controller('metadata/search')
export class MetadataSearchController {
  constructor(private readonly search: CatalogSearchService) {}

  @Requires(Permission.CatalogRead)
  @Get()
  @ApiOperation({
    summary: 'Search assets and fields by name, comment, written description and glossary terms',
    description:
      'Case-insensitive. Ranked: name equals q, name starts with q, name contains q, comment contains q, written description contains q, a linked term or synonym contains q; then by name, assets before fields. Annotation filters (tag, owner, term, certification, owned_by_me) keep assets carrying them, themselves or through a field, and their fields.',
  })
  @ApiOkResponse({ type: SearchResultListDto })
  find(@Query() q: SearchQueryDto, @CurrentUser() user?: Principal): Promise<SearchResultListDto> {
    return this.search.search(q, user?.id);
  }
}
