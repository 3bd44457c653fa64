import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/decorators';
import { Principal } from '../auth/role';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { DataSourceDto, SuccessDto } from '../datasources/dto/data-source.dto';
import { ApplyTemplateDto, CreateTemplateDto, ListTemplatesQueryDto, TemplateDto, TemplateListDto, UpdateTemplateDto } from './dto/template.dto';
import { TemplatesService } from './templates.service';

@ApiTags('Templates')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 429)
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @ApiOperation({ summary: 'List templates (built-in ones have is_system true)' })
  @ApiOkResponse({ type: TemplateListDto })
  list(@Query() q: ListTemplatesQueryDto): Promise<TemplateListDto> {
    return this.templates.list(q);
  }

  @Post()
  @ApiCreatedResponse({ type: TemplateDto })
  @ApiErrors(409)
  create(@Body() dto: CreateTemplateDto, @CurrentUser() actor: Principal): Promise<TemplateDto> {
    return this.templates.create(dto, actor);
  }

  @Get(':id')
  @ApiOkResponse({ type: TemplateDto })
  @ApiErrors(404)
  get(@Param('id') id: string): Promise<TemplateDto> {
    return this.templates.get(id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Partial update; built-in templates are read-only (403)' })
  @ApiOkResponse({ type: TemplateDto })
  @ApiErrors(404, 409)
  update(@Param('id') id: string, @Body() dto: UpdateTemplateDto): Promise<TemplateDto> {
    return this.templates.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a template; built-in templates are read-only (403)' })
  @ApiOkResponse({ type: SuccessDto })
  @ApiErrors(404)
  async remove(@Param('id') id: string): Promise<SuccessDto> {
    await this.templates.remove(id);
    return { success: true };
  }

  @Post(':id/apply')
  @ApiOperation({ summary: 'Create a data source from the template merged with config_overrides' })
  @ApiCreatedResponse({ type: DataSourceDto })
  @ApiErrors(404, 409)
  apply(@Param('id') id: string, @Body() dto: ApplyTemplateDto, @CurrentUser() actor: Principal): Promise<DataSourceDto> {
    return this.templates.apply(id, dto, actor);
  }
}
