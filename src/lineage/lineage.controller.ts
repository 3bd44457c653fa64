import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { ServiceScope } from '../auth/service-tokens/service-scope';
import { ServiceTokensService } from '../auth/service-tokens/service-tokens.service';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { PageQueryDto } from '../common/http/pagination';
import { LineageJobDto, LineageJobListDto, LineageRunListDto, ListJobsQueryDto } from './dto/lineage-jobs.dto';
import { LineageGraphDto, LineageGraphQueryDto } from './dto/lineage-query.dto';
import { LineageGraphService } from './lineage-graph.service';
import { LineageJobsService } from './lineage-jobs.service';
import { IngestResult, OpenLineageIngestService } from './openlineage/openlineage-ingest.service';
import { LineageTokenRequestDto } from './dto/lineage-token.dto';

/** The scope of service tokens an OpenLineage integration reports with. */
export const LINEAGE_WRITE_SCOPE = 'lineage:write';

@ApiTags('Lineage')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 429)
@Controller('lineage')
export class LineageController {
  constructor(
    private readonly graph: LineageGraphService,
    private readonly jobs: LineageJobsService,
    private readonly openLineage: OpenLineageIngestService,
    private readonly serviceTokens: ServiceTokensService,
  ) {}

  @Get()
  @Requires(Permission.LineageRead)
  @ApiOperation({
    summary:
      'The lineage graph around an asset: nodes with asset summaries, edges with kind, origin and job (upstream, downstream or both; depth up to 20; `field` for column level)',
  })
  @ApiOkResponse({ description: 'nodes and edges' })
  @ApiErrors(404)
  read(@Query() q: LineageGraphQueryDto): Promise<LineageGraphDto> {
    return this.graph.graph(q);
  }

  @Post()
  @HttpCode(201)
  @Requires(Permission.LineageWrite)
  // What an OpenLineage HTTP transport calls, with a service token of this scope as its API key.
  @ServiceScope(LINEAGE_WRITE_SCOPE)
  @ApiOperation({
    summary:
      'Receive an OpenLineage RunEvent, DatasetEvent or JobEvent (spec 2-0-x), as Marquez does; idempotent per run and event time',
  })
  @ApiBody({ description: 'An OpenLineage event (https://openlineage.io/spec/2-0-2/OpenLineage.json)' })
  @ApiCreatedResponse({ description: 'Stored (or already stored: duplicate=true)' })
  receive(@Body() body: unknown): Promise<IngestResult> {
    return this.openLineage.ingest(body);
  }

  @Get('jobs')
  @Requires(Permission.LineageRead)
  @ApiOperation({ summary: 'OpenLineage jobs, with their latest run' })
  listJobs(@Query() q: ListJobsQueryDto): Promise<LineageJobListDto> {
    return this.jobs.list(q);
  }

  @Get('jobs/:id')
  @Requires(Permission.LineageRead)
  @ApiOperation({ summary: 'One OpenLineage job: facets (SQL, documentation, …) and its latest run' })
  @ApiErrors(404)
  getJob(@Param('id') id: string): Promise<LineageJobDto> {
    return this.jobs.get(id);
  }

  @Get('jobs/:id/runs')
  @Requires(Permission.LineageRead)
  @ApiOperation({ summary: 'Runs of a job (newest first): state, start and end, error message, facets' })
  @ApiErrors(404)
  runs(@Param('id') id: string, @Query() q: PageQueryDto): Promise<LineageRunListDto> {
    return this.jobs.runs(id, q);
  }

  @Post('service-token')
  @HttpCode(200)
  @Requires(Permission.ServiceTokensManage)
  @ApiOperation({
    summary:
      "The lineage:write service token of one OpenLineage integration (its active one, or a new one after a revoke): the API key of the integration's HTTP transport",
  })
  async serviceToken(@Body() body: LineageTokenRequestDto): Promise<{ id: string; token: string; scope: string }> {
    const { id, token } = await this.serviceTokens.activeFor(
      `openlineage:${body.name}`,
      `OpenLineage ${body.name}`,
      LINEAGE_WRITE_SCOPE,
    );
    return { id, token, scope: LINEAGE_WRITE_SCOPE };
  }
}
