import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { CurrentUser, Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { Principal } from '../auth/role';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { AnnotationsService, TargetRef } from './annotations.service';
import { AnnotationDocumentDto } from './dto/annotation-document.dto';
import {
  AnnotationsDto,
  AnnotationVersionListDto,
  AnnotationVersionsQueryDto,
  BulkAnnotateDto,
  BulkAnnotateResultDto,
} from './dto/annotations.dto';

const IF_MATCH = ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'The annotation version read (ETag); another one now is 409 CONFLICT',
});
const PATCH_BODY = ApiBody({
  type: AnnotationDocumentDto,
  description: 'RFC 7396 JSON merge patch: a key set replaces, null removes, objects (properties, certification) merge',
});

/** What people write about data sources, namespaces, assets and fields; reads open to every role. */
@ApiTags('Annotations')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 404, 429)
@Controller()
export class AnnotationsController {
  constructor(private readonly annotations: AnnotationsService) {}

  @Requires(Permission.AnnotationsRead)
  @Get('metadata/assets/:id/annotations')
  @ApiOperation({ summary: "The asset's annotations (ETag: the version)" })
  @ApiOkResponse({ type: AnnotationsDto })
  asset(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<AnnotationsDto> {
    return tagged(res, this.annotations.get({ assetId: id }));
  }

  @Requires(Permission.AnnotationsWrite)
  @Patch('metadata/assets/:id/annotations')
  @ApiOperation({ summary: "Change the asset's annotations (JSON merge patch; admin, operator or steward)" })
  @IF_MATCH
  @PATCH_BODY
  @ApiOkResponse({ type: AnnotationsDto })
  @ApiErrors(409)
  patchAsset(
    @Param('id') id: string,
    @Body() patch: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() actor: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AnnotationsDto> {
    return tagged(res, this.annotations.patch({ assetId: id }, patch, ifMatch, actor));
  }

  @Requires(Permission.AnnotationsRead)
  @Get('metadata/assets/:id/fields/:field/annotations')
  @ApiOperation({ summary: "A field's annotations (`field`: its path, or column name)" })
  @ApiOkResponse({ type: AnnotationsDto })
  field(
    @Param('id') id: string,
    @Param('field') field: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AnnotationsDto> {
    return tagged(res, this.annotations.get({ assetId: id, field }));
  }

  @Requires(Permission.AnnotationsWrite)
  @Patch('metadata/assets/:id/fields/:field/annotations')
  @ApiOperation({ summary: "Change a field's annotations (JSON merge patch)" })
  @IF_MATCH
  @PATCH_BODY
  @ApiOkResponse({ type: AnnotationsDto })
  @ApiErrors(409)
  patchField(
    @Param('id') id: string,
    @Param('field') field: string,
    @Body() patch: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() actor: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AnnotationsDto> {
    return tagged(res, this.annotations.patch({ assetId: id, field }, patch, ifMatch, actor));
  }

  @Requires(Permission.AnnotationsRead)
  @Get('metadata/assets/:id/annotations/versions')
  @ApiOperation({
    summary:
      'Every annotation change of the asset and its fields (who, when, old → new), newest first; collected changes are under /versions',
  })
  @ApiOkResponse({ type: AnnotationVersionListDto })
  versions(@Param('id') id: string, @Query() q: AnnotationVersionsQueryDto): Promise<AnnotationVersionListDto> {
    return this.annotations.versionsOf(id, q);
  }

  @Requires(Permission.AnnotationsRead)
  @Get('datasources/:id/annotations')
  @ApiOperation({ summary: "The data source's annotations" })
  @ApiOkResponse({ type: AnnotationsDto })
  dataSource(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<AnnotationsDto> {
    return tagged(res, this.annotations.get({ dataSourceId: id }));
  }

  @Requires(Permission.AnnotationsWrite)
  @Patch('datasources/:id/annotations')
  @ApiOperation({ summary: "Change the data source's annotations (JSON merge patch)" })
  @IF_MATCH
  @PATCH_BODY
  @ApiOkResponse({ type: AnnotationsDto })
  @ApiErrors(409)
  patchDataSource(
    @Param('id') id: string,
    @Body() patch: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() actor: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AnnotationsDto> {
    return tagged(res, this.annotations.patch({ dataSourceId: id }, patch, ifMatch, actor));
  }

  @Requires(Permission.AnnotationsRead)
  @Get('datasources/:id/namespaces/:namespace/annotations')
  @ApiOperation({ summary: "A namespace's annotations" })
  @ApiOkResponse({ type: AnnotationsDto })
  namespace(
    @Param('id') id: string,
    @Param('namespace') namespace: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AnnotationsDto> {
    return tagged(res, this.annotations.get({ dataSourceId: id, namespace }));
  }

  @Requires(Permission.AnnotationsWrite)
  @Patch('datasources/:id/namespaces/:namespace/annotations')
  @ApiOperation({ summary: "Change a namespace's annotations (JSON merge patch)" })
  @IF_MATCH
  @PATCH_BODY
  @ApiOkResponse({ type: AnnotationsDto })
  @ApiErrors(409)
  patchNamespace(
    @Param('id') id: string,
    @Param('namespace') namespace: string,
    @Body() patch: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() actor: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AnnotationsDto> {
    const ref: TargetRef = { dataSourceId: id, namespace };
    return tagged(res, this.annotations.patch(ref, patch, ifMatch, actor));
  }

  @Requires(Permission.AnnotationsWrite)
  @Post('annotations/bulk')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Add or remove tags, owners and terms, or set or clear a certification, on many assets (by ids or by a list query, at most 1000)',
  })
  @ApiOkResponse({ type: BulkAnnotateResultDto })
  bulk(@Body() dto: BulkAnnotateDto, @CurrentUser() actor: Principal): Promise<BulkAnnotateResultDto> {
    return this.annotations.bulk(dto, actor);
  }
}

/** The version as a strong ETag, for the next If-Match. */
async function tagged(res: Response, answer: Promise<AnnotationsDto>): Promise<AnnotationsDto> {
  const dto = await answer;
  res.setHeader('ETag', `"${dto.version}"`);
  return dto;
}
