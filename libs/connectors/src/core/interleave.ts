/**
 * Yields the values of several async generators as each produces them, until all are done.
 * When the consumer stops early or one source fails, the others are closed (their `finally`
 * blocks release what they hold) before control returns.
 */
export async function* interleave<T>(sources: Array<AsyncGenerator<T>>): AsyncGenerator<T> {
  type Step = { source: number; result: IteratorResult<T> };
  const pending = new Map<number, Promise<Step>>();
  const pull = (source: number) => {
    const step = sources[source].next().then((result) => ({ source, result }));
    // Raced below; a source failing after another already did must not go unhandled.
    step.catch(() => undefined);
    pending.set(source, step);
  };
  sources.forEach((_, source) => pull(source));
  try {
    while (pending.size > 0) {
      const { source, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(source);
        continue;
      }
      pull(source);
      yield result.value;
    }
  } finally {
    await Promise.allSettled(sources.map((s) => s.return(undefined)));
  }
}
