import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { CurrentUser, Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { Principal } from '../auth/role';
import type {
  BatchUpdateStatusResponse,
  CanDeleteResponse,
  DataSource,
  ListDataSourcesResponse,
  ListTypesResponse,
  TestConnectionResponse,
} from '../grpc/generated/metadata/v1/datasources';
import type { SuccessResponse } from '../grpc/generated/metadata/v1/common';
import { IdRequestDto } from '../grpc/id-request.dto';
import { CallerSignal } from './caller-signal.decorator';
import { DataSourcesService } from './datasources.service';
import { UpdateDataSourceRequestDto } from './datasources.grpc.dto';
import { BatchStatusDto } from './dto/batch-status.dto';
import { CreateDataSourceDto } from './dto/create-data-source.dto';
import { ListDataSourcesQueryDto } from './dto/list-data-sources-query.dto';
import { TestConfigDto } from './dto/test-connection.dto';

/** metadata.v1.DataSourceService: the REST data source calls over gRPC, through the same service and roles. */
@Controller()
export class DataSourcesGrpcController {
  constructor(private readonly dataSources: DataSourcesService) {}

  @Requires(Permission.DataSourcesRead)
  @GrpcMethod('DataSourceService', 'List')
  list(@Payload() q: ListDataSourcesQueryDto): Promise<ListDataSourcesResponse> {
    return this.dataSources.list(q);
  }

  @Requires(Permission.DataSourcesWrite)
  @GrpcMethod('DataSourceService', 'Create')
  create(@Payload() dto: CreateDataSourceDto, @CurrentUser() actor: Principal): Promise<DataSource> {
    return this.dataSources.create(dto, actor);
  }

  @Requires(Permission.DataSourcesRead)
  @GrpcMethod('DataSourceService', 'Get')
  get(@Payload() req: IdRequestDto): Promise<DataSource> {
    return this.dataSources.get(req.id);
  }

  @Requires(Permission.DataSourcesWrite)
  @GrpcMethod('DataSourceService', 'Update')
  update(@Payload() req: UpdateDataSourceRequestDto): Promise<DataSource> {
    const { id, clear_tags, ...patch } = req;
    return this.dataSources.update(id, clear_tags ? { ...patch, tags: [] } : patch);
  }

  @Requires(Permission.DataSourcesDelete)
  @GrpcMethod('DataSourceService', 'Delete')
  async delete(@Payload() req: IdRequestDto): Promise<SuccessResponse> {
    await this.dataSources.remove(req.id);
    return { success: true };
  }

  @Requires(Permission.DataSourcesWrite)
  @GrpcMethod('DataSourceService', 'TestConnection')
  testConnection(
    @Payload() req: IdRequestDto,
    @CurrentUser() actor: Principal,
    @CallerSignal() signal: AbortSignal,
  ): Promise<TestConnectionResponse> {
    return this.dataSources.test(req.id, actor, signal);
  }

  @Requires(Permission.DataSourcesWrite)
  @GrpcMethod('DataSourceService', 'TestConfig')
  testConfig(
    @Payload() dto: TestConfigDto,
    @CurrentUser() actor: Principal,
    @CallerSignal() signal: AbortSignal,
  ): Promise<TestConnectionResponse> {
    return this.dataSources.testConfig(dto, actor, signal);
  }

  @Requires(Permission.DataSourcesWrite)
  @GrpcMethod('DataSourceService', 'BatchUpdateStatus')
  batchUpdateStatus(
    @Payload() dto: BatchStatusDto,
    @CurrentUser() actor: Principal,
  ): Promise<BatchUpdateStatusResponse> {
    return this.dataSources.batchStatus(dto, actor);
  }

  @Requires(Permission.DataSourcesRead)
  @GrpcMethod('DataSourceService', 'ListTypes')
  listTypes(): ListTypesResponse {
    return this.dataSources.types();
  }

  @Requires(Permission.DataSourcesRead)
  @GrpcMethod('DataSourceService', 'CanDelete')
  canDelete(@Payload() req: IdRequestDto): Promise<CanDeleteResponse> {
    return this.dataSources.canDelete(req.id);
  }
}
