import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { CurrentUser, Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { Principal } from '../auth/role';
import type {
  Annotations,
  BulkAnnotateResponse,
  ListAnnotationVersionsResponse,
  ListTagGroupsResponse,
  TagGroup,
} from '../grpc/generated/metadata/v1/annotations';
import type { SuccessResponse } from '../grpc/generated/metadata/v1/common';
import {
  AnnotationTargetRequestDto,
  ListAnnotationVersionsRequestDto,
  TagGroupIdRequestDto,
  targetRefOf,
  UpdateAnnotationsRequestDto,
} from './annotations.grpc.dto';
import { AnnotationsService } from './annotations.service';
import { BulkAnnotateDto } from './dto/annotations.dto';
import { CreateTagGroupDto, ListTagGroupsQueryDto } from './dto/tag-group.dto';
import { TagGroupsService } from './tag-groups.service';

/** metadata.v1.AnnotationService: the REST annotation routes over gRPC, through the same services. */
@Controller()
export class AnnotationsGrpcController {
  constructor(
    private readonly annotations: AnnotationsService,
    private readonly tagGroups: TagGroupsService,
  ) {}

  @Requires(Permission.AnnotationsRead)
  @GrpcMethod('AnnotationService', 'GetAnnotations')
  get(@Payload() req: AnnotationTargetRequestDto): Promise<Annotations> {
    return this.annotations.get(targetRefOf(req));
  }

  @Requires(Permission.AnnotationsWrite)
  @GrpcMethod('AnnotationService', 'UpdateAnnotations')
  update(@Payload() req: UpdateAnnotationsRequestDto, @CurrentUser() actor: Principal): Promise<Annotations> {
    return this.annotations.patch(targetRefOf(req), req.patch, req.if_match, actor);
  }

  @Requires(Permission.AnnotationsRead)
  @GrpcMethod('AnnotationService', 'ListAnnotationVersions')
  versions(@Payload() req: ListAnnotationVersionsRequestDto): Promise<ListAnnotationVersionsResponse> {
    const { asset_id, ...q } = req;
    return this.annotations.versionsOf(asset_id, q);
  }

  @Requires(Permission.AnnotationsWrite)
  @GrpcMethod('AnnotationService', 'BulkAnnotate')
  bulk(@Payload() req: BulkAnnotateDto, @CurrentUser() actor: Principal): Promise<BulkAnnotateResponse> {
    return this.annotations.bulk(req, actor);
  }

  @Requires(Permission.AnnotationsRead)
  @GrpcMethod('AnnotationService', 'ListTagGroups')
  listTagGroups(@Payload() q: ListTagGroupsQueryDto): Promise<ListTagGroupsResponse> {
    return this.tagGroups.list(q);
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @GrpcMethod('AnnotationService', 'CreateTagGroup')
  createTagGroup(@Payload() dto: CreateTagGroupDto): Promise<TagGroup> {
    return this.tagGroups.create(dto);
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @GrpcMethod('AnnotationService', 'DeleteTagGroup')
  async deleteTagGroup(@Payload() req: TagGroupIdRequestDto): Promise<SuccessResponse> {
    await this.tagGroups.remove(req.id);
    return { success: true };
  }
}
