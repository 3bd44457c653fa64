import { assetKey } from '../core/scope';
import { AssetRef, CollectOptions } from '../core/types';

export interface SignalledObject extends AssetRef {
  /** The source's change token for the object, or null when it has none. */
  signal: string | null;
}

/**
 * Splits objects into those whose change signal matches the previous run (skipped, reported as
 * `unchanged`) and those to read again. Only incremental runs skip anything; an object without a
 * signal, or unknown to the previous run, is always read.
 */
export function splitBySignal<T extends SignalledObject>(
  objects: readonly T[],
  options: Pick<CollectOptions, 'mode' | 'previousSignals'>,
): { changed: T[]; unchanged: AssetRef[] } {
  if (options.mode !== 'incremental' || !options.previousSignals) return { changed: [...objects], unchanged: [] };
  const previous = options.previousSignals;
  const changed: T[] = [];
  const unchanged: AssetRef[] = [];
  for (const o of objects) {
    const before = previous.get(assetKey(o.namespace, o.name));
    if (o.signal !== null && before !== undefined && before === o.signal) unchanged.push({ namespace: o.namespace, name: o.name });
    else changed.push(o);
  }
  return { changed, unchanged };
}

/** Splits a list into consecutive slices of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const n = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}

/** Groups rows by a key, keeping the rows' order within each group. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}
