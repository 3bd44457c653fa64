import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser, Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { Principal } from '../auth/role';
import { CreateWebhookDto, DeliveryDto, ListDeliveriesQueryDto, UpdateWebhookDto, WebhookDto } from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('Webhooks')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 404, 409, 429)
@Requires(Permission.WebhooksManage)
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  list(@Query() q: ListDeliveriesQueryDto) {
    return this.webhooks.list(q);
  }

  @Post()
  @ApiCreatedResponse({ type: WebhookDto, description: 'The answer holds `secret`, shown this once' })
  create(@Body() dto: CreateWebhookDto, @CurrentUser() actor: Principal): Promise<WebhookDto> {
    return this.webhooks.create(dto, actor);
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookDto })
  get(@Param('id') id: string): Promise<WebhookDto> {
    return this.webhooks.get(id);
  }

  @Put(':id')
  @ApiOkResponse({ type: WebhookDto })
  update(@Param('id') id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookDto> {
    return this.webhooks.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(200)
  async remove(@Param('id') id: string): Promise<{ success: true }> {
    await this.webhooks.remove(id);
    return { success: true };
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookDto, description: 'The answer holds the new `secret`, shown this once' })
  rotate(@Param('id') id: string): Promise<WebhookDto> {
    return this.webhooks.rotateSecret(id);
  }

  @Get(':id/deliveries')
  deliveries(@Param('id') id: string, @Query() q: ListDeliveriesQueryDto) {
    return this.webhooks.listDeliveries(id, q);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOkResponse({ type: DeliveryDto })
  redeliver(@Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<DeliveryDto> {
    return this.webhooks.redeliver(id, deliveryId);
  }

  @Post(':id/ping')
  @HttpCode(202)
  ping(@Param('id') id: string): Promise<{ event_id: string }> {
    return this.webhooks.ping(id);
  }
}
