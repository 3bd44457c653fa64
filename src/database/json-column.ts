import { ValueTransformer } from 'typeorm';

/** JSON kept in a TEXT column, written and read explicitly so every store treats it alike. */
export function jsonTransformer<T>(): ValueTransformer {
  return {
    to: (value: T | null | undefined) => (value === undefined || value === null ? null : JSON.stringify(value)),
    from: (value: string | null | undefined) =>
      value === null || value === undefined || value === '' ? null : (JSON.parse(value) as T),
  };
}
