import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { CurrentUser, Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { Principal } from '../auth/role';
import type { SuccessResponse } from '../grpc/generated/metadata/v1/common';
import type { DataSource } from '../grpc/generated/metadata/v1/datasources';
import type { ListTemplatesResponse, Template } from '../grpc/generated/metadata/v1/templates';
import { IdRequestDto } from '../grpc/id-request.dto';
import { CreateTemplateDto } from './dto/template.dto';
import {
  ApplyTemplateRequestDto,
  ListTemplatesRequestDto,
  toListTemplatesQuery,
  UpdateTemplateRequestDto,
} from './templates.grpc.dto';
import { TemplatesService } from './templates.service';

/** metadata.v1.TemplateService: the REST template calls over gRPC, through the same service and roles. */
@Controller()
export class TemplatesGrpcController {
  constructor(private readonly templates: TemplatesService) {}

  @Requires(Permission.TemplatesRead)
  @GrpcMethod('TemplateService', 'List')
  list(@Payload() req: ListTemplatesRequestDto): Promise<ListTemplatesResponse> {
    return this.templates.list(toListTemplatesQuery(req));
  }

  @Requires(Permission.TemplatesWrite)
  @GrpcMethod('TemplateService', 'Create')
  create(@Payload() dto: CreateTemplateDto, @CurrentUser() actor: Principal): Promise<Template> {
    return this.templates.create(dto, actor);
  }

  @Requires(Permission.TemplatesRead)
  @GrpcMethod('TemplateService', 'Get')
  get(@Payload() req: IdRequestDto): Promise<Template> {
    return this.templates.get(req.id);
  }

  @Requires(Permission.TemplatesWrite)
  @GrpcMethod('TemplateService', 'Update')
  update(@Payload() req: UpdateTemplateRequestDto): Promise<Template> {
    const { id, ...patch } = req;
    return this.templates.update(id, patch);
  }

  @Requires(Permission.TemplatesWrite)
  @GrpcMethod('TemplateService', 'Delete')
  async delete(@Payload() req: IdRequestDto): Promise<SuccessResponse> {
    await this.templates.remove(req.id);
    return { success: true };
  }

  @Requires(Permission.TemplatesWrite)
  @GrpcMethod('TemplateService', 'Apply')
  apply(@Payload() req: ApplyTemplateRequestDto, @CurrentUser() actor: Principal): Promise<DataSource> {
    const { id, ...dto } = req;
    return this.templates.apply(id, dto, actor);
  }
}
