import { assetKey } from './scope';
import { AssetRef, CollectOptions } from './types';

type SignalOptions = Pick<CollectOptions, 'mode' | 'previousSignals'>;

export interface SignalledObject extends AssetRef {
  /** The source's change token for the object, or null when it has none. */
  signal: string | null;
}

/**
 * True when an incremental run may skip the object: it has a signal and the previous run saw the
 * same one. Full and schema-only runs skip nothing; an object the previous run did not see is read.
 */
export function isUnchanged(
  options: SignalOptions,
  namespace: string,
  name: string,
  signal: string | null | undefined,
): boolean {
  if (options.mode !== 'incremental' || signal === null || signal === undefined) return false;
  const before = options.previousSignals?.get(assetKey(namespace, name));
  return before !== undefined && before === signal;
}

/**
 * Splits objects into those whose change signal matches the previous run (skipped, reported as
 * `unchanged`) and those to read again.
 */
export function splitBySignal<T extends SignalledObject>(
  objects: readonly T[],
  options: SignalOptions,
): { changed: T[]; unchanged: AssetRef[] } {
  const changed: T[] = [];
  const unchanged: AssetRef[] = [];
  for (const o of objects) {
    if (isUnchanged(options, o.namespace, o.name, o.signal)) unchanged.push({ namespace: o.namespace, name: o.name });
    else changed.push(o);
  }
  return { changed, unchanged };
}
