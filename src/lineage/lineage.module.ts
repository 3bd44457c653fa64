import { Global, Module } from '@nestjs/common';
import { CATALOG_LINEAGE } from '../catalog/catalog-lineage.port';
import { RUN_LINEAGE } from '../catalog/run/run-lineage';
import { AssetLineageCountsService } from './asset-lineage-counts.service';
import { AuthModule } from '../auth/auth.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { LineageGraphService } from './lineage-graph.service';
import { LineageJobsService } from './lineage-jobs.service';
import { OpenLineageIngestService } from './openlineage/openlineage-ingest.service';
import { ExternalAdoptionService } from './openlineage/external-adoption.service';
import { LineageController } from './lineage.controller';
import { LineageGrpcController } from './lineage.grpc.controller';
import { RunLineageService } from './run-lineage.service';

/**
 * Lineage: edges collection runs derive (bound into the catalog's runs through RUN_LINEAGE, hence
 * global), OpenLineage events received, and the graph read over REST and gRPC.
 */
@Global()
@Module({
  imports: [AuthModule, WebhooksModule],
  controllers: [LineageController, LineageGrpcController],
  providers: [
    RunLineageService,
    { provide: RUN_LINEAGE, useExisting: RunLineageService },
    AssetLineageCountsService,
    { provide: CATALOG_LINEAGE, useExisting: AssetLineageCountsService },
    LineageGraphService,
    LineageJobsService,
    OpenLineageIngestService,
    ExternalAdoptionService,
  ],
  exports: [RUN_LINEAGE, CATALOG_LINEAGE, LineageGraphService],
})
export class LineageModule {}
