import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';

/** Errors of the catalog feature, each with the envelope code it maps to. */
export class CatalogException extends DomainException {
  static assetNotFound(id: string): CatalogException {
    return new CatalogException(ErrorReason.AssetNotFound, `Asset ${id} not found`);
  }

  static assetNotInCatalog(dataSourceId: string, namespace: string, name: string): CatalogException {
    return new CatalogException(
      ErrorReason.AssetNotInCatalog,
      `Asset ${namespace}.${name} of data source ${dataSourceId} is not in the catalog`,
      'Run a collection task for this data source before profiling it.',
    );
  }

  static runClosed(executionId: string, state: string): CatalogException {
    return new CatalogException(
      ErrorReason.CatalogRunClosed,
      `The catalog run of execution ${executionId} is already ${state}`,
    );
  }
}
