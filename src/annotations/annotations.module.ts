import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '../catalog/catalog.module';
import { CATALOG_ANNOTATIONS } from '../catalog/catalog-annotations.port';
import { DataSourcesModule } from '../datasources/datasources.module';
import { UsersModule } from '../users/users.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AnnotationReferencesService } from './annotation-references.service';
import { AnnotationsController } from './annotations.controller';
import { AnnotationsGrpcController } from './annotations.grpc.controller';
import { CurationGrpcController } from './curation.grpc.controller';
import { AnnotationsService } from './annotations.service';
import { CatalogAnnotationsProvider } from './catalog-annotations.provider';
import { CatalogCodeController } from './catalog-code/catalog-code.controller';
import { CatalogCodeService } from './catalog-code/catalog-code.service';
import { PROFILE_OBSERVER } from '../catalog/profile-observer.port';
import { AnnotationSuggestionEntity } from './entities/annotation-suggestion.entity';
import { SuggestionsController } from './suggestions/suggestions.controller';
import { SuggestionsService } from './suggestions/suggestions.service';
import { DataSourceEntity } from '../datasources/data-source.entity';
import { AnnotationLabelEntity } from './entities/annotation-label.entity';
import { AnnotationTargetEntity } from './entities/annotation-target.entity';
import { AnnotationVersionEntity } from './entities/annotation-version.entity';
import { CustomPropertyDefEntity } from './entities/custom-property-def.entity';
import { GlossaryEntity, GlossaryTermEntity } from './entities/glossary.entities';
import { TagEntity, TagGroupEntity } from './entities/tag.entities';
import { TeamEntity } from './entities/team.entity';
import { GlossariesController } from './glossaries.controller';
import { GlossariesService } from './glossaries.service';
import { TagGroupsController } from './tag-groups.controller';
import { TagGroupsService } from './tag-groups.service';
import { TeamsController } from './teams.controller';
import { TeamsService } from './teams.service';

/**
 * Written metadata. Global only to hand the catalog its port (CATALOG_ANNOTATIONS): the catalog
 * reads through it, and this module reads the catalog through CatalogQueryService, without a cycle.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([
      AnnotationTargetEntity,
      AnnotationLabelEntity,
      AnnotationVersionEntity,
      TagGroupEntity,
      TagEntity,
      TeamEntity,
      GlossaryEntity,
      GlossaryTermEntity,
      CustomPropertyDefEntity,
      DataSourceEntity,
      AnnotationSuggestionEntity,
    ]),
    CatalogModule,
    DataSourcesModule,
    UsersModule,
    WebhooksModule,
  ],
  controllers: [
    AnnotationsController,
    TagGroupsController,
    GlossariesController,
    TeamsController,
    CatalogCodeController,
    SuggestionsController,
    AnnotationsGrpcController,
    CurationGrpcController,
  ],
  providers: [
    AnnotationsService,
    AnnotationReferencesService,
    TagGroupsService,
    GlossariesService,
    TeamsService,
    CatalogCodeService,
    SuggestionsService,
    { provide: PROFILE_OBSERVER, useExisting: SuggestionsService },
    CatalogAnnotationsProvider,
    { provide: CATALOG_ANNOTATIONS, useExisting: CatalogAnnotationsProvider },
  ],
  exports: [AnnotationsService, CATALOG_ANNOTATIONS, PROFILE_OBSERVER],
})
export class AnnotationsModule {}
