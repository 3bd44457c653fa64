import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, ValidateBy, ValidationOptions } from 'class-validator';

/** Bounds of one scope list: each match costs at most glob length × name length, so both stay small. */
export const SCOPE_GLOBS_MAX = 200;
export const SCOPE_GLOB_MAX_LENGTH = 256;
export const SCOPE_GLOBS_MAX_TOTAL_LENGTH = 4096;

function maxTotalLength(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxTotalLength',
      validator: {
        validate: (value: unknown) =>
          !Array.isArray(value) ||
          value.reduce((sum: number, v: unknown) => sum + (typeof v === 'string' ? v.length : 0), 0) <= max,
        defaultMessage: () => `$property must hold at most ${max} characters of globs in all`,
      },
    },
    options,
  );
}

/** An optional list of `*`/`?` scope globs, bounded in count, length and total size. */
export function ScopeGlobs(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    IsArray(),
    ArrayMaxSize(SCOPE_GLOBS_MAX),
    IsString({ each: true }),
    Length(1, SCOPE_GLOB_MAX_LENGTH, { each: true }),
    maxTotalLength(SCOPE_GLOBS_MAX_TOTAL_LENGTH),
  );
}
