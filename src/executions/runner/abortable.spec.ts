import { abortable, raceAbort } from './abortable';

describe('abortable', () => {
  it('stops at once when aborted, even if the source ignores the signal', async () => {
    let returned = false;
    const stuck: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<number>>(() => undefined),
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const controller = new AbortController();
    const seen: number[] = [];
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await expect(
      (async () => {
        for await (const n of abortable(stuck, controller.signal)) seen.push(n);
      })(),
    ).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(returned).toBe(true);
  });

  it('passes every value of a source that ends', async () => {
    async function* three() {
      yield 1;
      yield 2;
      yield 3;
    }
    const seen: number[] = [];
    for await (const n of abortable(three(), new AbortController().signal)) seen.push(n);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('raceAbort rejects with the abort reason', async () => {
    const c = new AbortController();
    const p = raceAbort(new Promise(() => undefined), c.signal);
    c.abort(new Error('why'));
    await expect(p).rejects.toThrow('why');
  });
});
