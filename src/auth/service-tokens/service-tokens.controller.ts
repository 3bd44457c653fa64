import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { Requires } from '../decorators';
import { Permission } from '../permissions';
import { ServiceTokenDto, ServiceTokenListDto } from './service-token.dto';
import { ServiceTokensService } from './service-tokens.service';

/** Admins see the service tokens other systems call back with, and revoke them. */
@ApiTags('Service tokens')
@ApiBearerAuth()
@ApiErrors(401, 403, 404, 429)
@Requires(Permission.ServiceTokensManage)
@Controller('service-tokens')
export class ServiceTokensController {
  constructor(private readonly tokens: ServiceTokensService) {}

  @Get()
  @ApiOkResponse({ type: ServiceTokenListDto })
  async list(): Promise<ServiceTokenListDto> {
    return { service_tokens: await this.tokens.list() };
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke a service token at once; an integration using it is given a new one on its next sync',
  })
  @ApiOkResponse({ type: ServiceTokenDto })
  revoke(@Param('id') id: string): Promise<ServiceTokenDto> {
    return this.tokens.revoke(id);
  }
}
