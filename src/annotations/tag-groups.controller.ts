import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { ApiErrors } from '../common/http/api-errors.decorator';
import {
  CreateTagGroupDto,
  ListTagGroupsQueryDto,
  TagGroupDto,
  TagGroupListDto,
  UpdateTagGroupDto,
} from './dto/tag-group.dto';
import { TagGroupsService } from './tag-groups.service';

/** Tag groups (`/tags`): defined by admins and stewards, read by everyone. */
@ApiTags('Annotations')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 429)
@Controller('tags')
export class TagGroupsController {
  constructor(private readonly groups: TagGroupsService) {}

  @Requires(Permission.AnnotationsRead)
  @Get()
  @ApiOperation({ summary: 'Tag groups with their tags' })
  @ApiOkResponse({ type: TagGroupListDto })
  list(@Query() q: ListTagGroupsQueryDto): Promise<TagGroupListDto> {
    return this.groups.list(q);
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @Post()
  @ApiOperation({ summary: 'Define a tag group (admin or steward); its tags are Group.Tag' })
  @ApiCreatedResponse({ type: TagGroupDto })
  @ApiErrors(409)
  create(@Body() dto: CreateTagGroupDto): Promise<TagGroupDto> {
    return this.groups.create(dto);
  }

  @Requires(Permission.AnnotationsRead)
  @Get(':id')
  @ApiOkResponse({ type: TagGroupDto })
  @ApiErrors(404)
  get(@Param('id') id: string): Promise<TagGroupDto> {
    return this.groups.get(id);
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @Put(':id')
  @ApiOperation({ summary: 'Change a tag group; `tags` is the whole list (409 when a dropped tag is in use)' })
  @ApiOkResponse({ type: TagGroupDto })
  @ApiErrors(404, 409)
  update(@Param('id') id: string, @Body() dto: UpdateTagGroupDto): Promise<TagGroupDto> {
    return this.groups.update(id, dto);
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a tag group (409 while one of its tags is in use)' })
  @ApiErrors(404, 409)
  async remove(@Param('id') id: string): Promise<{ success: true }> {
    await this.groups.remove(id);
    return { success: true };
  }
}
