import { withDeadline } from './diagnostics';
import { ConnectorError, throwIfAborted } from './errors';

/** Turns whatever a driver throws into a typed ConnectorError (a ConnectorError passes through). */
export type ErrorClassifier = (err: unknown) => ConnectorError;

/** Runs one call of a connector, so no driver error leaves it unclassified. */
export async function classified<T>(classify: ErrorClassifier, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw classify(err);
  }
}

/** The same for a stream of batches: opening it and every step of it are classified. */
export async function* classifiedStream<T>(
  classify: ErrorClassifier,
  work: () => Promise<AsyncIterable<T>> | AsyncIterable<T>,
): AsyncGenerator<T> {
  try {
    yield* await work();
  } catch (err) {
    throw classify(err);
  }
}

export interface CallLimits {
  timeoutMs: number;
  signal: AbortSignal;
  classify: ErrorClassifier;
}

/**
 * One request to the source within the source's timeout and the caller's signal. A signal that
 * has already fired stops the call before it starts; `what` names it in a timeout message.
 */
export async function callWithin<T>(limits: CallLimits, what: string, work: () => Promise<T>): Promise<T> {
  throwIfAborted(limits.signal);
  try {
    return await withDeadline(work(), limits.timeoutMs, limits.signal, what);
  } catch (err) {
    throw limits.classify(err);
  }
}
