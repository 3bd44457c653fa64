import { FixedWindowStorage } from './fixed-window-storage';

describe('FixedWindowStorage', () => {
  let clock: number;
  let storage: FixedWindowStorage;
  const hit = (key = 'client-a') => storage.increment(key, 1000, 3, 1000, 'default');

  beforeEach(() => {
    clock = 1_700_000_000_000;
    storage = new FixedWindowStorage(() => clock);
  });

  it('counts hits up to the limit, then blocks for the block duration', async () => {
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(await hit());
    expect(counts.map((r) => [r.totalHits, r.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
    expect(counts[0].timeToExpire).toBe(1);
    const refused = await hit();
    expect(refused.isBlocked).toBe(true);
    expect(refused.timeToBlockExpire).toBe(1);
    clock += 500;
    expect((await hit()).isBlocked).toBe(true);
  });

  it('starts a fresh window once the block and the window have ended', async () => {
    for (let i = 0; i < 4; i++) await hit();
    clock += 1001;
    const again = await hit();
    expect(again).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('counts each key on its own', async () => {
    for (let i = 0; i < 3; i++) await hit('client-a');
    expect(await hit('client-b')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect((await hit('client-a')).isBlocked).toBe(true);
  });

  it('forgets ended windows, so memory follows the clients of the last seconds', async () => {
    for (let i = 0; i < 100; i++) await hit(`client-${i}`);
    expect(storage.size).toBe(100);
    clock += 11_000;
    await hit('client-late');
    expect(storage.size).toBe(1);
  });
});
