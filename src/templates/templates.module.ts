import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { transferProvider } from '../common/transfer/transfer.provider';
import { ConnectorsModule } from '../connectors/connectors.module';
import { DataSourcesModule } from '../datasources/datasources.module';
import { TemplateDrafts } from './template-drafts';
import { TemplateEntity } from './template.entity';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';
import { TEMPLATES_TRANSFER, TemplatesTransferAdapter, TemplateTransfer } from './templates-transfer.adapter';
import { TemplatesGrpcController } from './templates.grpc.controller';

@Module({
  imports: [TypeOrmModule.forFeature([TemplateEntity]), ConnectorsModule, DataSourcesModule],
  controllers: [TemplatesController, TemplatesGrpcController],
  providers: [
    TemplatesService,
    TemplateDrafts,
    TemplatesTransferAdapter,
    transferProvider<TemplateTransfer>(TEMPLATES_TRANSFER, TemplatesTransferAdapter),
  ],
  exports: [TemplatesService],
})
export class TemplatesModule {}
