import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CatalogQueryService } from './catalog-query.service';
import { MetadataTreeDto } from './dto/tree.dto';
import { Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';

@ApiTags('Metadata')
@ApiBearerAuth()
@ApiErrors(401, 404, 429)
@Controller('datasources')
export class DataSourceMetadataController {
  constructor(private readonly catalog: CatalogQueryService) {}

  @Requires(Permission.CatalogRead)
  @Get(':id/metadata')
  @ApiOperation({ summary: 'The catalog tree of a data source: namespaces with asset counts per kind' })
  @ApiOkResponse({ type: MetadataTreeDto })
  tree(@Param('id') id: string): Promise<MetadataTreeDto> {
    return this.catalog.tree(id);
  }
}
