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
import { DATA_SOURCES_TRANSFER, DataSourcesTransfer } from './datasources-transfer.adapter';
import { CallerSignal } from './caller-signal.decorator';
import { DataSourcesService } from './datasources.service';
import { BatchResultDto, BatchStatusDto } from './dto/batch-status.dto';
import { CanDeleteDto } from './dto/can-delete.dto';
import { CreateDataSourceDto } from './dto/create-data-source.dto';
import { DataSourceDto, DataSourceListDto, SuccessDto } from './dto/data-source.dto';
import { DataSourceTypesDto } from './dto/data-source-types.dto';
import { ExportDocumentDto, ExportRequestDto, ImportRequestDto, ImportResultDto } from './dto/import-export.dto';
import { ListDataSourcesQueryDto } from './dto/list-data-sources-query.dto';
import { TestConfigDto, TestResultDto } from './dto/test-connection.dto';
import { UpdateDataSourceDto } from './dto/update-data-source.dto';

@ApiTags('Data Sources')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 429)
@Controller('datasources')
export class DataSourcesController {
  constructor(
    private readonly dataSources: DataSourcesService,
    @Inject(DATA_SOURCES_TRANSFER) private readonly transfer: DataSourcesTransfer,
  ) {}

  @Requires(Permission.DataSourcesRead)
  @Get()
  @ApiOperation({ summary: 'List data sources (filters: type, status, name substring)' })
  @ApiOkResponse({ type: DataSourceListDto })
  list(@Query() q: ListDataSourcesQueryDto): Promise<DataSourceListDto> {
    return this.dataSources.list(q);
  }

  @Requires(Permission.DataSourcesRead)
  @Get('types')
  @ApiOperation({ summary: 'The source types with their config fields (defaults, which are secret) and capabilities' })
  @ApiOkResponse({ type: DataSourceTypesDto })
  types(): DataSourceTypesDto {
    return this.dataSources.types();
  }

  @Requires(Permission.DataSourcesWrite)
  @Post()
  @ApiOperation({ summary: 'Create a data source; secrets are encrypted at rest and shown as "******"' })
  @ApiCreatedResponse({ type: DataSourceDto })
  @ApiErrors(409)
  create(@Body() dto: CreateDataSourceDto, @CurrentUser() actor: Principal): Promise<DataSourceDto> {
    return this.dataSources.create(dto, actor);
  }

  @Requires(Permission.DataSourcesWrite)
  @Post('test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Test a config before saving it (always 200 with success true or false; 429 beyond the test caps)',
  })
  @ApiOkResponse({ type: TestResultDto })
  @ApiErrors(404, 429)
  testConfig(
    @Body() dto: TestConfigDto,
    @CurrentUser() actor: Principal,
    @CallerSignal() signal: AbortSignal,
  ): Promise<TestResultDto> {
    return this.dataSources.testConfig(dto, actor, signal);
  }

  @Requires(Permission.DataSourcesWrite)
  @Post('batch/status')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set the status (active or inactive) of several data sources; unknown ids are reported per id',
  })
  @ApiOkResponse({ type: BatchResultDto })
  batchStatus(@Body() dto: BatchStatusDto, @CurrentUser() actor: Principal): Promise<BatchResultDto> {
    return this.dataSources.batchStatus(dto, actor);
  }

  @Requires(Permission.DataSourcesWrite)
  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import a list as JSON or YAML (all or nothing unless continue_on_error); per-item results',
  })
  @ApiConsumes('application/json', 'application/yaml')
  @ApiBody({ type: ImportRequestDto })
  @ApiOkResponse({ type: ImportResultDto })
  import(@Body() body: unknown, @Query() q: ImportQueryDto, @CurrentUser() actor: Principal): Promise<ImportResultDto> {
    return this.transfer.import(body, q, actor);
  }

  @Requires(Permission.DataSourcesExport)
  @Post('export')
  @HttpCode(200)
  @ApiOperation({ summary: 'Export data sources as JSON or YAML; secrets appear as "******"' })
  @ApiProduces('application/json', 'application/yaml')
  @ApiOkResponse({ type: ExportDocumentDto })
  @ApiErrors(404)
  async export(
    @Body() dto: ExportRequestDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ExportDocumentDto | string> {
    return exportResponse(await this.transfer.export(dto), res);
  }

  @Requires(Permission.DataSourcesRead)
  @Get(':id')
  @ApiOkResponse({ type: DataSourceDto })
  @ApiErrors(404)
  get(@Param('id') id: string): Promise<DataSourceDto> {
    return this.dataSources.get(id);
  }

  @Requires(Permission.DataSourcesWrite)
  @Put(':id')
  @ApiOperation({
    summary: 'Partial update; config merged key by key ("******" keeps a stored secret, null removes a key)',
  })
  @ApiOkResponse({ type: DataSourceDto })
  @ApiErrors(404, 409)
  update(@Param('id') id: string, @Body() dto: UpdateDataSourceDto): Promise<DataSourceDto> {
    return this.dataSources.update(id, dto);
  }

  @Requires(Permission.DataSourcesDelete)
  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a data source (admin only); 409 naming the tasks that use it' })
  @ApiOkResponse({ type: SuccessDto })
  @ApiErrors(404, 409)
  async remove(@Param('id') id: string): Promise<SuccessDto> {
    await this.dataSources.remove(id);
    return { success: true };
  }

  @Requires(Permission.DataSourcesRead)
  @Get(':id/can-delete')
  @ApiOkResponse({ type: CanDeleteDto })
  @ApiErrors(404)
  canDelete(@Param('id') id: string): Promise<CanDeleteDto> {
    return this.dataSources.canDelete(id);
  }

  @Requires(Permission.DataSourcesWrite)
  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Test the connection; sets status, last test time, latency and error (always 200; 429 beyond the test caps)',
  })
  @ApiOkResponse({ type: TestResultDto })
  @ApiErrors(404, 429)
  test(
    @Param('id') id: string,
    @CurrentUser() actor: Principal,
    @CallerSignal() signal: AbortSignal,
  ): Promise<TestResultDto> {
    return this.dataSources.test(id, actor, signal);
  }
}
