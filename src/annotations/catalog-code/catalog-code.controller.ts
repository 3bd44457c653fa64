import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Response } from 'express';
import { CurrentUser, Requires } from '../../auth/decorators';
import { Permission } from '../../auth/permissions';
import { Principal } from '../../auth/role';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { exportResponse, renderExport } from '../../common/transfer/export-document';
import {
  CatalogCodeDocumentDto,
  CatalogCodeExportQueryDto,
  CatalogCodeImportQueryDto,
  CatalogCodeImportResultDto,
} from './catalog-code.dto';
import { CatalogCodeDocument, CatalogCodeService } from './catalog-code.service';

/** Tag groups, glossaries and annotations as one document a team can keep in git. */
@ApiTags('Annotations')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 429)
@Controller('annotations')
export class CatalogCodeController {
  constructor(private readonly code: CatalogCodeService) {}

  @Requires(Permission.AnnotationsRead)
  @Get('export')
  @Requires(Permission.AnnotationsRead)
  @ApiOperation({
    summary:
      'Export tag groups, glossaries and every annotation, keyed by names (data source name, namespace, asset, field)',
  })
  @ApiProduces('application/json', 'application/yaml')
  @ApiOkResponse({ type: CatalogCodeDocumentDto })
  async export(
    @Query() q: CatalogCodeExportQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CatalogCodeDocument | string> {
    return exportResponse(renderExport(await this.code.export(), q.format), res);
  }

  @Requires(Permission.AnnotationsWrite)
  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Import such a document (JSON or YAML): each entry is the wanted state of what it names; idempotent; ' +
      'dry_run=true shows what would change; one invalid entry imports nothing',
  })
  @ApiConsumes('application/json', 'application/yaml')
  @ApiBody({ type: CatalogCodeDocumentDto })
  @ApiOkResponse({ type: CatalogCodeImportResultDto })
  import(
    @Body() body: unknown,
    @Query() q: CatalogCodeImportQueryDto,
    @CurrentUser() actor: Principal,
  ): Promise<CatalogCodeImportResultDto> {
    return this.code.import(body, q.dry_run === 'true', actor);
  }
}
