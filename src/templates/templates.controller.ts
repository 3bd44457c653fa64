import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Response } from 'express';
import { CurrentUser, Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { Principal } from '../auth/role';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { exportResponse } from '../common/transfer/export-document';
import { ImportQueryDto } from '../common/transfer/transfer.dto';
import { DataSourceDto, SuccessDto } from '../datasources/dto/data-source.dto';
import {
  ApplyTemplateDto,
  CreateTemplateDto,
  ListTemplatesQueryDto,
  TemplateDto,
  TemplateListDto,
  UpdateTemplateDto,
} from './dto/template.dto';
import {
  TemplateExportDocumentDto,
  TemplateExportRequestDto,
  TemplateImportRequestDto,
  TemplateImportResultDto,
} from './dto/template-transfer.dto';
import { TemplatesService } from './templates.service';
import { TEMPLATES_TRANSFER, TemplatesTransfer } from './templates-transfer.adapter';

@ApiTags('Templates')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 429)
@Controller('templates')
export class TemplatesController {
  constructor(
    private readonly templates: TemplatesService,
    @Inject(TEMPLATES_TRANSFER) private readonly transfer: TemplatesTransfer,
  ) {}

  @Requires(Permission.TemplatesRead)
  @Get()
  @ApiOperation({ summary: 'List templates (built-in ones have is_system true)' })
  @ApiOkResponse({ type: TemplateListDto })
  list(@Query() q: ListTemplatesQueryDto): Promise<TemplateListDto> {
    return this.templates.list(q);
  }

  @Requires(Permission.TemplatesWrite)
  @Post()
  @ApiCreatedResponse({ type: TemplateDto })
  @ApiErrors(409)
  create(@Body() dto: CreateTemplateDto, @CurrentUser() actor: Principal): Promise<TemplateDto> {
    return this.templates.create(dto, actor);
  }

  @Requires(Permission.TemplatesWrite)
  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Import user templates as JSON or YAML (all or nothing unless continue_on_error); per-item results; built-in templates are never written',
  })
  @ApiConsumes('application/json', 'application/yaml')
  @ApiBody({ type: TemplateImportRequestDto })
  @ApiOkResponse({ type: TemplateImportResultDto })
  import(
    @Body() body: unknown,
    @Query() q: ImportQueryDto,
    @CurrentUser() actor: Principal,
  ): Promise<TemplateImportResultDto> {
    return this.transfer.import(body, q, actor);
  }

  @Requires(Permission.TemplatesExport)
  @Post('export')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Export templates as JSON or YAML; secrets appear as "******"; built-in templates only with include_system',
  })
  @ApiProduces('application/json', 'application/yaml')
  @ApiOkResponse({ type: TemplateExportDocumentDto })
  @ApiErrors(404)
  async export(
    @Body() dto: TemplateExportRequestDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TemplateExportDocumentDto | string> {
    return exportResponse(await this.transfer.export(dto), res);
  }

  @Requires(Permission.TemplatesRead)
  @Get(':id')
  @ApiOkResponse({ type: TemplateDto })
  @ApiErrors(404)
  get(@Param('id') id: string): Promise<TemplateDto> {
    return this.templates.get(id);
  }

  @Requires(Permission.TemplatesWrite)
  @Put(':id')
  @ApiOperation({ summary: 'Partial update; built-in templates are read-only (403)' })
  @ApiOkResponse({ type: TemplateDto })
  @ApiErrors(404, 409)
  update(@Param('id') id: string, @Body() dto: UpdateTemplateDto): Promise<TemplateDto> {
    return this.templates.update(id, dto);
  }

  @Requires(Permission.TemplatesWrite)
  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a template; built-in templates are read-only (403)' })
  @ApiOkResponse({ type: SuccessDto })
  @ApiErrors(404)
  async remove(@Param('id') id: string): Promise<SuccessDto> {
    await this.templates.remove(id);
    return { success: true };
  }

  @Requires(Permission.TemplatesWrite)
  @Post(':id/apply')
  @ApiOperation({ summary: 'Create a data source from the template merged with config_overrides' })
  @ApiCreatedResponse({ type: DataSourceDto })
  @ApiErrors(404, 409)
  apply(
    @Param('id') id: string,
    @Body() dto: ApplyTemplateDto,
    @CurrentUser() actor: Principal,
  ): Promise<DataSourceDto> {
    return this.templates.apply(id, dto, actor);
  }
}
