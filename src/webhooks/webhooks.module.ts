import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createAddressGuard, parseCidrList } from '@app/connectors';
import { webhooksConfig, WebhooksConfig } from '../config/configuration';
import { WebhookDeliveryEntity, WebhookEntity, WebhookEventEntity } from './webhook.entities';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookOutboxService } from './webhook-outbox.service';
import { WEBHOOK_ADDRESS_GUARD, WebhooksService } from './webhooks.service';
import { WebhooksController } from './webhooks.controller';

/** Exports the outbox: features enqueue events inside their own transactions. */
@Module({
  imports: [
    ConfigModule.forFeature(webhooksConfig),
    TypeOrmModule.forFeature([WebhookEntity, WebhookEventEntity, WebhookDeliveryEntity]),
  ],
  controllers: [WebhooksController],
  providers: [
    WebhooksService,
    WebhookOutboxService,
    WebhookDispatcher,
    {
      provide: WEBHOOK_ADDRESS_GUARD,
      inject: [webhooksConfig.KEY],
      useFactory: (cfg: WebhooksConfig) =>
        createAddressGuard({ deny: parseCidrList(cfg.connectDenyCidrs), allow: parseCidrList(cfg.connectAllowCidrs) }),
    },
  ],
  exports: [WebhookOutboxService],
})
export class WebhooksModule {}
