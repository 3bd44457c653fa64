import { ValueTransformer } from 'typeorm';

/** BIGINT counts as numbers (node-postgres returns int8 as text). */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value ?? null,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

/** JSON kept in a TEXT column, written and read explicitly so every store treats it alike. */
export const jsonText: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? null : JSON.stringify(value)),
  from: (value: string | null) => (value === null || value === undefined || value === '' ? null : (JSON.parse(value) as unknown)),
};
