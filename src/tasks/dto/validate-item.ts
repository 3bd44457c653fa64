import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorReason } from '../../common/errors/error-reason';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map(
      (m) => `${path}: ${m.replace(/^property (\S+) should not exist$/, 'is not a known field')}`,
    );
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/** Validates one item of a batch body as the global pipe would a whole body; throws INVALID_REQUEST. */
export async function validateItem<T extends object>(cls: new () => T, plain: unknown): Promise<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
    throw new DomainException(ErrorReason.ValidationFailed, 'Validation failed', 'item must be an object');
  const instance = plainToInstance(cls, plain, { enableImplicitConversion: false });
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length)
    throw new DomainException(ErrorReason.ValidationFailed, 'Validation failed', flatten(errors).join('; '));
  return instance;
}
