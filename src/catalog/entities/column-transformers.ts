import { ValueTransformer } from 'typeorm';

/** BIGINT counts as numbers (node-postgres returns int8 as text). */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value ?? null,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};
