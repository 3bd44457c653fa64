import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { DataSourcesModule } from '../datasources/datasources.module';
import { CatalogQueryService } from './catalog-query.service';
import { CatalogSearchService } from './catalog-search.service';
import { CatalogService } from './catalog.service';
import { DataSourceMetadataController } from './datasource-metadata.controller';
import { CatalogAssetEntity } from './entities/catalog-asset.entity';
import { CatalogFieldEntity } from './entities/catalog-field.entity';
import { CatalogNamespaceEntity } from './entities/catalog-namespace.entity';
import { CatalogProfileEntity } from './entities/catalog-profile.entity';
import { CatalogVersionEntity } from './entities/catalog-version.entity';
import { MetadataSearchController } from './metadata-search.controller';
import { MetadataController } from './metadata.controller';
import { CatalogGrpcController } from './catalog.grpc.controller';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      CatalogNamespaceEntity,
      CatalogAssetEntity,
      CatalogFieldEntity,
      CatalogVersionEntity,
      CatalogProfileEntity,
    ]),
    DataSourcesModule,
    WebhooksModule,
  ],
  controllers: [MetadataSearchController, MetadataController, DataSourceMetadataController, CatalogGrpcController],
  providers: [CatalogService, CatalogQueryService, CatalogSearchService],
  // CatalogQueryService: annotations address assets through it.
  exports: [CatalogService, CatalogQueryService],
})
export class CatalogModule {}
