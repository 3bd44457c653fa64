import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { ApiErrors } from '../common/http/api-errors.decorator';
import {
  CreateCustomPropertyDto,
  CreateTeamDto,
  CustomPropertyDto,
  CustomPropertyListDto,
  TeamDto,
  TeamListDto,
} from './dto/glossary.dto';
import { TeamsService } from './teams.service';

/** Teams (owners) and custom property definitions: what annotations refer to besides tags and terms. */
@ApiTags('Annotations')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 429)
@Controller()
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Requires(Permission.AnnotationsRead)
  @Get('teams')
  @ApiOkResponse({ type: TeamListDto })
  list(): Promise<TeamListDto> {
    return this.teams.listTeams();
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @Post('teams')
  @ApiOperation({ summary: 'A named group of users that can own things' })
  @ApiCreatedResponse({ type: TeamDto })
  @ApiErrors(409)
  create(@Body() dto: CreateTeamDto): Promise<TeamDto> {
    return this.teams.createTeam(dto);
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @Delete('teams/:id')
  @HttpCode(200)
  @ApiErrors(404, 409)
  async remove(@Param('id') id: string): Promise<{ success: true }> {
    await this.teams.removeTeam(id);
    return { success: true };
  }

  @Requires(Permission.AnnotationsRead)
  @Get('custom-properties')
  @ApiOkResponse({ type: CustomPropertyListDto })
  properties(): Promise<CustomPropertyListDto> {
    return this.teams.listProperties();
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @Post('custom-properties')
  @ApiOperation({
    summary: 'Define a custom property for one kind of target (an asset kind, field, namespace, datasource, or *)',
  })
  @ApiCreatedResponse({ type: CustomPropertyDto })
  @ApiErrors(409)
  createProperty(@Body() dto: CreateCustomPropertyDto): Promise<CustomPropertyDto> {
    return this.teams.createProperty(dto);
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @Delete('custom-properties/:id')
  @HttpCode(200)
  @ApiErrors(404)
  async removeProperty(@Param('id') id: string): Promise<{ success: true }> {
    await this.teams.removeProperty(id);
    return { success: true };
  }
}
