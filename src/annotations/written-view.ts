import { iso } from '../common/timestamps';
import { AnnotationDocument } from './annotation-document';
import { AnnotationTargetDto } from './dto/annotations.dto';
import { AnnotationTargetEntity } from './entities/annotation-target.entity';
import { kindOf, QualifiedName } from './qualified-name';

/** The catalog's view of a stored document (see CatalogAnnotations). */
export function writtenOf(row: AnnotationTargetEntity | null, doc: AnnotationDocument) {
  return {
    version: row?.version ?? 0,
    description: doc.description ?? null,
    tags: doc.tags ?? [],
    owners: (doc.owners ?? []) as Array<{ user?: string; team?: string; type: string }>,
    terms: doc.terms ?? [],
    certification: doc.certification
      ? {
          status: doc.certification.status,
          note: doc.certification.note ?? null,
          by: row?.certifiedBy ?? null,
          at: iso(row?.certifiedAt),
        }
      : null,
    properties: (doc.properties ?? {}) as Record<string, unknown>,
    updated_by: row?.updatedBy ?? null,
    updated_at: iso(row?.updatedAt),
  };
}

export function targetDto(name: QualifiedName, assetId: string | null, removed: boolean): AnnotationTargetDto {
  return {
    kind: kindOf(name),
    data_source_id: name.dataSourceId,
    namespace: name.namespace ?? null,
    asset: name.asset ?? null,
    field: name.field ?? null,
    asset_id: assetId,
    removed,
  };
}
