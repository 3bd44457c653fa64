import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { parse as parseYaml } from 'yaml';
import { DomainException } from '../errors/domain.exception';
import { ErrorReason } from '../errors/error-reason';
import { ImportQueryDto } from './transfer.dto';

/** One line per failed constraint, named by its path (`config.port: must be an integer`). */
export function describeValidation(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map(
      (m) => `${path}: ${m.replace(/^property \S+ should not exist$/, 'is not a known field')}`,
    );
    return [...own, ...describeValidation(e.children ?? [], path)];
  });
}

/** Validates a plain value as the global pipe would (unknown fields refused), returning the problems instead of throwing. */
export async function validatePlain<T extends object>(
  cls: new () => T,
  plain: unknown,
): Promise<{ value: T; problems: string[] }> {
  const value = plainToInstance(cls, plain);
  const problems = describeValidation(await validate(value, { whitelist: true, forbidNonWhitelisted: true }));
  return { value, problems };
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Reads an import request sent as JSON (already parsed) or as YAML/JSON text. A bare list in text is
 * taken as the list of items; query options apply to text bodies, and to JSON bodies that do not set
 * them themselves. Throws 400 for anything that is not a valid request.
 */
export async function readImportDocument<T extends object>(
  body: unknown,
  query: ImportQueryDto,
  shape: { listKey: string; requestClass: new () => T },
): Promise<T> {
  let plain: unknown = body;
  if (typeof body === 'string') {
    try {
      plain = parseYaml(body) as unknown;
    } catch (err) {
      throw new DomainException(
        ErrorReason.ImportDocumentInvalid,
        'The import document is not valid YAML or JSON',
        err instanceof Error ? err.message : undefined,
      );
    }
    if (Array.isArray(plain)) plain = { [shape.listKey]: plain };
    if (isRecord(plain)) {
      if (query.continue_on_error) plain.continue_on_error = query.continue_on_error === 'true';
      if (query.update_existing) plain.update_existing = query.update_existing === 'true';
    }
  } else if (isRecord(plain)) {
    const record = { ...plain };
    if (query.continue_on_error && record.continue_on_error === undefined)
      record.continue_on_error = query.continue_on_error === 'true';
    if (query.update_existing && record.update_existing === undefined)
      record.update_existing = query.update_existing === 'true';
    plain = record;
  }
  if (!isRecord(plain)) {
    throw new DomainException(
      ErrorReason.ImportDocumentInvalid,
      `The import document must be an object with a ${shape.listKey} list`,
      `Send {"${shape.listKey}": [...]} as JSON, or the same document as YAML with Content-Type: application/yaml.`,
    );
  }
  const { value, problems } = await validatePlain(shape.requestClass, plain);
  if (problems.length > 0)
    throw new DomainException(ErrorReason.ImportDocumentInvalid, 'Validation failed', problems.join('; '));
  return value;
}
