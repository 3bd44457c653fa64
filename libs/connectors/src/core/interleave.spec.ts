import { interleave } from './interleave';

const tick = () => new Promise((resolve) => setImmediate(resolve));

async function* numbers(
  from: number,
  count: number,
  delayTicks: number,
  closed: string[],
  name: string,
): AsyncGenerator<number> {
  try {
    for (let i = 0; i < count; i++) {
      for (let t = 0; t < delayTicks; t++) await tick();
      yield from + i;
    }
  } finally {
    closed.push(name);
  }
}

describe('interleave', () => {
  it('yields every value of every source, each source in its own order, the faster not waiting for the slower', async () => {
    const closed: string[] = [];
    const seen: number[] = [];
    for await (const n of interleave([numbers(0, 5, 1, closed, 'a'), numbers(100, 3, 3, closed, 'b')])) seen.push(n);
    expect(seen.filter((n) => n < 100)).toEqual([0, 1, 2, 3, 4]);
    expect(seen.filter((n) => n >= 100)).toEqual([100, 101, 102]);
    expect(seen.indexOf(4)).toBeLessThan(seen.indexOf(102));
    expect(closed.sort()).toEqual(['a', 'b']);
  });

  it('closes every source when the consumer stops early', async () => {
    const closed: string[] = [];
    for await (const n of interleave([numbers(0, 50, 1, closed, 'a'), numbers(100, 50, 1, closed, 'b')]))
      if (n === 2) break;
    expect(closed.sort()).toEqual(['a', 'b']);
  });

  it('fails with the first failure and closes the other sources', async () => {
    const closed: string[] = [];
    // A source that fails before producing anything.
    // eslint-disable-next-line require-yield
    async function* failing(): AsyncGenerator<number> {
      await tick();
      throw new Error('source broke');
    }
    const run = async () => {
      for await (const n of interleave([numbers(0, 50, 2, closed, 'a'), failing()])) void n;
    };
    await expect(run()).rejects.toThrow('source broke');
    expect(closed).toEqual(['a']);
  });
});
