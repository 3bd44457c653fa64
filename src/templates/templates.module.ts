import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConnectorsModule } from '../connectors/connectors.module';
import { DatasourcesModule } from '../datasources/datasources.module';
import { TemplateDrafts } from './template-drafts';
import { TemplateEntity } from './template.entity';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';
import { TemplatesTransferService } from './templates-transfer.service';
import { TemplatesGrpcController } from './templates.grpc.controller';

@Module({
  imports: [TypeOrmModule.forFeature([TemplateEntity]), ConnectorsModule, DatasourcesModule],
  controllers: [TemplatesController, TemplatesGrpcController],
  providers: [TemplatesService, TemplateDrafts, TemplatesTransferService],
  exports: [TemplatesService],
})
export class TemplatesModule {}
