import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { IdRequestDto } from '../grpc/id-request.dto';
import type {
  LineageGraph,
  LineageJob,
  ListLineageJobRunsResponse,
  ListLineageJobsResponse,
  ReceiveEventResponse,
} from '../grpc/generated/metadata/v1/lineage';
import { ListJobsQueryDto } from './dto/lineage-jobs.dto';
import { LineageGraphQueryDto } from './dto/lineage-query.dto';
import { LineageGraphService } from './lineage-graph.service';
import { ListJobRunsRequestDto, ReceiveEventRequestDto } from './lineage.grpc.dto';
import { LineageJobsService } from './lineage-jobs.service';
import { OpenLineageIngestService } from './openlineage/openlineage-ingest.service';

/** metadata.v1.LineageService: the REST lineage routes over gRPC, through the same services. */
@Controller()
export class LineageGrpcController {
  constructor(
    private readonly graph: LineageGraphService,
    private readonly jobs: LineageJobsService,
    private readonly openLineage: OpenLineageIngestService,
  ) {}

  @Requires(Permission.LineageRead)
  @GrpcMethod('LineageService', 'GetLineage')
  getLineage(@Payload() q: LineageGraphQueryDto): Promise<LineageGraph> {
    return this.graph.graph(q);
  }

  @Requires(Permission.LineageWrite)
  @GrpcMethod('LineageService', 'ReceiveEvent')
  receive(@Payload() req: ReceiveEventRequestDto): Promise<ReceiveEventResponse> {
    return this.openLineage.ingest(req.event);
  }

  @Requires(Permission.LineageRead)
  @GrpcMethod('LineageService', 'ListJobs')
  listJobs(@Payload() q: ListJobsQueryDto): Promise<ListLineageJobsResponse> {
    return this.jobs.list(q);
  }

  @Requires(Permission.LineageRead)
  @GrpcMethod('LineageService', 'GetJob')
  getJob(@Payload() req: IdRequestDto): Promise<LineageJob> {
    return this.jobs.get(req.id);
  }

  @Requires(Permission.LineageRead)
  @GrpcMethod('LineageService', 'ListJobRuns')
  runs(@Payload() req: ListJobRunsRequestDto): Promise<ListLineageJobRunsResponse> {
    const { id, ...page } = req;
    return this.jobs.runs(id, page);
  }
}
