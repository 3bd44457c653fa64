import { mayShowValues } from '../core/profile-guard';
import { ColumnProfile } from '../core/types';
import { bsonTypeOf, displayValue, isPlainDocument, numericValue } from './bson-types';

/**
 * The values at a path in one document: `a.b` reads nested documents, `tags[]` every element of
 * an array, `items[].sku` a field of every element. An empty list means the path is absent.
 */
export function valuesAt(doc: unknown, path: string): unknown[] {
  const steps = path.match(/[^.[\]]+|\[\]/g) ?? [];
  let current: unknown[] = [doc];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step === '[]') {
        if (Array.isArray(value)) next.push(...(value as unknown[]));
      } else if (isPlainDocument(value) && Object.prototype.hasOwnProperty.call(value, step)) {
        next.push(value[step]);
      }
    }
    current = next;
  }
  return current;
}

export interface FieldProfileOptions {
  topValues: boolean;
  topN: number;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
// Loops rather than Math.min(...xs): a large sample would overflow the argument list.
const minOf = (xs: number[]) => xs.reduce((m, x) => (x < m ? x : m), Infinity);
const maxOf = (xs: number[]) => xs.reduce((m, x) => (x > m ? x : m), -Infinity);

/**
 * Statistics of one field over sampled documents. Every document contributes at least one
 * observation: a missing path counts as a null, an array path one observation per element.
 * Values (top values, min, max) are withheld for names that look secret.
 */
export function profileField(docs: readonly unknown[], path: string, options: FieldProfileOptions): ColumnProfile {
  let observations = 0;
  let nulls = 0;
  const counts = new Map<string, number>();
  const numbers: number[] = [];
  const lengths: number[] = [];
  const dates: number[] = [];

  for (const doc of docs) {
    const values = valuesAt(doc, path);
    if (values.length === 0) {
      observations += 1;
      nulls += 1;
      continue;
    }
    for (const value of values) {
      observations += 1;
      const type = bsonTypeOf(value);
      if (type === 'null' || type === 'undefined') {
        nulls += 1;
        continue;
      }
      const key = `${type}:${displayValue(value, 1000)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const n = numericValue(value);
      if (n !== undefined) numbers.push(n);
      else if (type === 'string') lengths.push((value as string).length);
      else if (type === 'date' && !Number.isNaN((value as Date).getTime())) dates.push((value as Date).getTime());
    }
  }

  const nonNull = observations - nulls;
  const showValues = mayShowValues(path);
  const profile: ColumnProfile = {
    name: path,
    null_count: nulls,
    null_ratio: observations === 0 ? 0 : round(nulls / observations),
    distinct_count: counts.size,
    distinct_ratio: nonNull === 0 ? 0 : round(counts.size / nonNull),
  };
  if (numbers.length > 0) {
    const mean = numbers.reduce((s, x) => s + x, 0) / numbers.length;
    const variance = numbers.reduce((s, x) => s + (x - mean) ** 2, 0) / numbers.length;
    profile.mean = round(mean);
    profile.stddev = round(Math.sqrt(variance));
    if (showValues) {
      profile.min = minOf(numbers);
      profile.max = maxOf(numbers);
    }
  } else if (dates.length > 0 && showValues) {
    profile.min = new Date(minOf(dates)).toISOString();
    profile.max = new Date(maxOf(dates)).toISOString();
  }
  if (lengths.length > 0) {
    profile.min_length = minOf(lengths);
    profile.max_length = maxOf(lengths);
    profile.avg_length = round(lengths.reduce((s, x) => s + x, 0) / lengths.length);
  }
  if (options.topValues && showValues) {
    profile.top_values = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, options.topN)
      .map(([key, count]) => ({ value: displayValue(key.slice(key.indexOf(':') + 1)), count }));
  }
  return profile;
}
