import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';

/** Errors of the annotations feature (annotations, tag groups, glossaries, teams, properties). */
export class AnnotationException extends DomainException {
  static invalid(message: string, details?: string): AnnotationException {
    return new AnnotationException(ErrorReason.AnnotationInvalid, message, details);
  }

  static versionMismatch(expected: string, actual: number): AnnotationException {
    return new AnnotationException(
      ErrorReason.AnnotationsChanged,
      `The annotations changed since you read them (If-Match ${expected}, now version ${actual})`,
      'Read them again, re-apply your change, and send the new version in If-Match.',
    );
  }

  static notFound(what: string, name: string): AnnotationException {
    return new AnnotationException(ErrorReason.AnnotationSubjectNotFound, `${what} ${name} not found`);
  }

  static unknownReferences(what: string, names: string[]): AnnotationException {
    return new AnnotationException(
      ErrorReason.UnknownReference,
      `Unknown ${what}: ${names.join(', ')}`,
      `Define them first (see /api/v1/${what === 'tags' ? 'tags' : what === 'terms' ? 'glossaries' : what === 'teams' ? 'teams' : 'users'}).`,
    );
  }

  static exclusiveGroup(group: string, tags: string[]): AnnotationException {
    return new AnnotationException(
      ErrorReason.ExclusiveTagGroup,
      `Tag group ${group} is mutually exclusive: choose one of ${tags.join(', ')}`,
    );
  }

  static duplicate(what: string, name: string): AnnotationException {
    return new AnnotationException(ErrorReason.DefinitionExists, `${what} ${name} already exists`);
  }

  static inUse(what: string, name: string, details: string): AnnotationException {
    return new AnnotationException(ErrorReason.DefinitionInUse, `${what} ${name} is in use`, details);
  }

  static suggestionDecided(id: string, status: string): AnnotationException {
    return new AnnotationException(
      ErrorReason.SuggestionDecided,
      `Suggestion ${id} was already ${status}`,
      'Only a pending suggestion can be accepted or rejected.',
    );
  }
}
