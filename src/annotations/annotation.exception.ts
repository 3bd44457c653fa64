import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';

/** Errors of the annotations feature (annotations, tag groups, glossaries, teams, properties). */
export class AnnotationException extends DomainException {
  static override invalid(message: string, details?: string): AnnotationException {
    return new AnnotationException(ErrorCode.InvalidRequest, message, details);
  }

  static versionMismatch(expected: string, actual: number): AnnotationException {
    return new AnnotationException(
      ErrorCode.Conflict,
      `The annotations changed since you read them (If-Match ${expected}, now version ${actual})`,
      'Read them again, re-apply your change, and send the new version in If-Match.',
    );
  }

  static override notFound(what: string, name: string): AnnotationException {
    return new AnnotationException(ErrorCode.NotFound, `${what} ${name} not found`);
  }

  static unknownReferences(what: string, names: string[]): AnnotationException {
    return new AnnotationException(
      ErrorCode.InvalidRequest,
      `Unknown ${what}: ${names.join(', ')}`,
      `Define them first (see /api/v1/${what === 'tags' ? 'tags' : what === 'terms' ? 'glossaries' : what === 'teams' ? 'teams' : 'users'}).`,
    );
  }

  static exclusiveGroup(group: string, tags: string[]): AnnotationException {
    return new AnnotationException(
      ErrorCode.InvalidRequest,
      `Tag group ${group} is mutually exclusive: choose one of ${tags.join(', ')}`,
    );
  }

  static duplicate(what: string, name: string): AnnotationException {
    const e = new AnnotationException(ErrorCode.Conflict, `${what} ${name} already exists`);
    e.duplicate = true;
    return e;
  }

  static inUse(what: string, name: string, details: string): AnnotationException {
    return new AnnotationException(ErrorCode.Conflict, `${what} ${name} is in use`, details);
  }
}
