import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { transferProvider } from '../common/transfer/transfer.provider';
import { datasourcesConfig } from '../config/configuration';
import { ConnectorsModule } from '../connectors/connectors.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ConnectionStatusService } from './connection-status.service';
import { ConnectionTestLimiter } from './connection-test-limiter';
import { DataSourceDrafts } from './data-source-drafts';
import { DataSourceEntity } from './data-source.entity';
import { DataSourcesHealthCheckService } from './data-sources-health-check.service';
import { DATA_SOURCES_TRANSFER, DataSourcesTransferAdapter, DataSourceTransfer } from './datasources-transfer.adapter';
import { DataSourcesController } from './datasources.controller';
import { DataSourcesService } from './datasources.service';
import { DataSourcesGrpcController } from './datasources.grpc.controller';

@Module({
  imports: [
    ConfigModule.forFeature(datasourcesConfig),
    TypeOrmModule.forFeature([DataSourceEntity]),
    ConnectorsModule,
    AuditModule,
    WebhooksModule,
  ],
  controllers: [DataSourcesController, DataSourcesGrpcController],
  providers: [
    DataSourcesService,
    DataSourceDrafts,
    ConnectionStatusService,
    ConnectionTestLimiter,
    DataSourcesTransferAdapter,
    transferProvider<DataSourceTransfer>(DATA_SOURCES_TRANSFER, DataSourcesTransferAdapter),
    DataSourcesHealthCheckService,
  ],
  exports: [DataSourcesService],
})
export class DataSourcesModule {}
