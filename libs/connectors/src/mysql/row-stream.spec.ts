import { Readable } from 'node:stream';
import { rowsAsStream, rowsInSequence, RowStream, StreamedRows, StreamOutcome } from './row-stream';

/** An object-mode stream the test pushes rows into; counts what the reader pulled. */
function rowSource(highWaterMark = 4) {
  const readable = new Readable({ objectMode: true, highWaterMark, read: () => undefined });
  return readable;
}

function streamed(readable: Readable, waitMs = 1000, signal = new AbortController().signal, firstMs = waitMs) {
  const outcomes: StreamOutcome[] = [];
  return { rows: new StreamedRows(readable, { firstMs, nextMs: waitMs }, signal, (o) => outcomes.push(o)), outcomes };
}

describe('streamed rows', () => {
  it('hands over what is buffered and leaves the rest to back-pressure', async () => {
    const readable = rowSource(4);
    const { rows, outcomes } = streamed(readable);
    for (let i = 0; i < 10; i++) readable.push({ i });
    // The source is over its high-water mark: a real driver pauses its socket here.
    expect(readable.push({ i: 10 })).toBe(false);
    expect((await rows.next())!.map((r) => r.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    setTimeout(() => {
      readable.push({ i: 11 });
      readable.push(null);
    }, 20);
    expect((await rows.next())!.map((r) => r.i)).toEqual([11]);
    expect(await rows.next()).toBeUndefined();
    expect(outcomes).toEqual([{ kind: 'ended' }]);
  });

  it('bounds each wait for rows, not the stream as a whole', async () => {
    const readable = rowSource();
    const { rows, outcomes } = streamed(readable, 150);
    let sent = 0;
    const feed = setInterval(() => readable.push({ i: sent++ }), 50);
    let got = 0;
    const started = Date.now();
    while (Date.now() - started < 500) got += (await rows.next())!.length;
    clearInterval(feed);
    expect(got).toBeGreaterThan(3);
    await expect(
      rows
        .next()
        .then(() => rows.next())
        .then(() => rows.next()),
    ).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(outcomes).toEqual([{ kind: 'stopped' }]);
    expect(readable.destroyed).toBe(true);
  });

  it('waits longer for the first rows, which come once the server has gathered them all, than for the next', async () => {
    const readable = rowSource();
    const { rows } = streamed(readable, 100, undefined, 1000);
    setTimeout(() => readable.push({ i: 0 }), 300);
    expect(await rows.next()).toEqual([{ i: 0 }]);
    const started = Date.now();
    await expect(rows.next()).rejects.toMatchObject({ code: 'TIMEOUT', message: 'No rows arrived within 100 ms' });
    expect(Date.now() - started).toBeLessThan(900);

    const silent = streamed(rowSource(), 100, undefined, 400);
    await expect(silent.rows.next()).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: 'No rows arrived within 400 ms',
    });
  });

  it('stops on abort and reports server errors as connector errors', async () => {
    const controller = new AbortController();
    const stalled = streamed(rowSource(), 10_000, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await expect(stalled.rows.next()).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(stalled.outcomes).toEqual([{ kind: 'stopped' }]);

    const failing = rowSource();
    const broken = streamed(failing);
    setTimeout(
      () =>
        failing.destroy(
          Object.assign(new Error('Query execution was interrupted (max_statement_time exceeded)'), { errno: 1969 }),
        ),
      10,
    );
    await expect(broken.rows.next()).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(broken.outcomes.map((o) => o.kind)).toEqual(['failed']);
  });

  it('reads statements in sequence, sending the next as rows of the current arrive, and closes them all', async () => {
    const events: string[] = [];
    const part =
      (k: number): (() => Promise<RowStream>) =>
      async () => {
        events.push(`open ${k}`);
        const rows = [[{ k, i: 0 }], [{ k, i: 1 }]];
        return {
          next: async () => rows.shift(),
          drain: async () => undefined,
          close: () => void events.push(`close ${k}`),
        };
      };
    const sequence = rowsInSequence([part(0), part(1), part(2)]);
    const seen: string[] = [];
    for (let rows = await sequence.next(); rows; rows = await sequence.next())
      seen.push(...rows.map((r) => `${r.k}.${r.i}`));
    expect(seen).toEqual(['0.0', '0.1', '1.0', '1.1', '2.0', '2.1']);
    expect(events).toEqual(['open 0', 'open 1', 'open 2']);
    sequence.close();
    await new Promise((r) => setImmediate(r));
    expect(events.slice(3)).toEqual(['close 0', 'close 1', 'close 2']);
  });

  it('reads rows already read whole as one part', async () => {
    const whole = rowsAsStream([{ a: 1 }, { a: 2 }]);
    expect(await whole.next()).toEqual([{ a: 1 }, { a: 2 }]);
    expect(await whole.next()).toBeUndefined();
    expect(await rowsAsStream([]).next()).toBeUndefined();
  });
});
