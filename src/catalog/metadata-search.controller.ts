import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CatalogSearchService } from './catalog-search.service';
import { SearchQueryDto } from './dto/catalog-query.dto';
import { SearchResultListDto } from './dto/search.dto';

@ApiTags('Metadata')
@ApiBearerAuth()
@ApiErrors(400, 401, 429)
@Controller('metadata/search')
export class MetadataSearchController {
  constructor(private readonly search: CatalogSearchService) {}

  @Get()
  @ApiOperation({
    summary: 'Search assets and fields by name and comment',
    description: 'Case-insensitive. Ranked: name equals q, name starts with q, name contains q, comment contains q; then by name, assets before fields.',
  })
  @ApiOkResponse({ type: SearchResultListDto })
  find(@Query() q: SearchQueryDto): Promise<SearchResultListDto> {
    return this.search.search(q);
  }
}
