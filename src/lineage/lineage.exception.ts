import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';

/** Errors of the lineage feature, each with the envelope code it maps to. */
export class LineageException extends DomainException {
  static nodeNotFound(id: string): LineageException {
    return new LineageException(
      ErrorReason.LineageNodeNotFound,
      `No asset or lineage node ${id}`,
      'Pass a catalog asset id (GET /api/v1/metadata/assets) or a node id from a lineage graph',
    );
  }

  static jobNotFound(id: string): LineageException {
    return new LineageException(ErrorReason.LineageJobNotFound, `Lineage job ${id} not found`);
  }

  /** An OpenLineage event that does not meet the specification; `violation` names where and how. */
  static eventInvalid(violation: string, details?: string): LineageException {
    return new LineageException(ErrorReason.LineageEventInvalid, `Invalid OpenLineage event: ${violation}`, details);
  }
}
