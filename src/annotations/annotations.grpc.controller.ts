import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { CurrentUser, Roles } from '../auth/decorators';
import { ALL_ROLES, ANNOTATOR_ROLES, CURATOR_ROLES, Principal } from '../auth/role';
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

  @GrpcMethod('AnnotationService', 'GetAnnotations')
  @Roles(...ALL_ROLES)
  get(@Payload() req: AnnotationTargetRequestDto): Promise<Annotations> {
    return this.annotations.get(targetRefOf(req));
  }

  @GrpcMethod('AnnotationService', 'UpdateAnnotations')
  @Roles(...ANNOTATOR_ROLES)
  update(@Payload() req: UpdateAnnotationsRequestDto, @CurrentUser() actor: Principal): Promise<Annotations> {
    return this.annotations.patch(targetRefOf(req), req.patch, req.if_match, actor);
  }

  @GrpcMethod('AnnotationService', 'ListAnnotationVersions')
  @Roles(...ALL_ROLES)
  versions(@Payload() req: ListAnnotationVersionsRequestDto): Promise<ListAnnotationVersionsResponse> {
    const { asset_id, ...q } = req;
    return this.annotations.versionsOf(asset_id, q);
  }

  @GrpcMethod('AnnotationService', 'BulkAnnotate')
  @Roles(...ANNOTATOR_ROLES)
  bulk(@Payload() req: BulkAnnotateDto, @CurrentUser() actor: Principal): Promise<BulkAnnotateResponse> {
    return this.annotations.bulk(req, actor);
  }

  @GrpcMethod('AnnotationService', 'ListTagGroups')
  @Roles(...ALL_ROLES)
  listTagGroups(@Payload() q: ListTagGroupsQueryDto): Promise<ListTagGroupsResponse> {
    return this.tagGroups.list(q);
  }

  @GrpcMethod('AnnotationService', 'CreateTagGroup')
  @Roles(...CURATOR_ROLES)
  createTagGroup(@Payload() dto: CreateTagGroupDto): Promise<TagGroup> {
    return this.tagGroups.create(dto);
  }

  @GrpcMethod('AnnotationService', 'DeleteTagGroup')
  @Roles(...CURATOR_ROLES)
  async deleteTagGroup(@Payload() req: TagGroupIdRequestDto): Promise<SuccessResponse> {
    await this.tagGroups.remove(req.id);
    return { success: true };
  }
}
