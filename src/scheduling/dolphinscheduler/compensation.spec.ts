import { Compensation } from './compensation';

describe('Compensation', () => {
  it('undoes newest first, goes on past a failing undo and reports it', async () => {
    const done: string[] = [];
    const undo = new Compensation();
    undo.push('delete workflow 1', async () => void done.push('delete workflow'));
    undo.push('set workflow 1 offline', async () => {
      done.push('offline');
      throw new Error('DolphinScheduler is unreachable');
    });
    undo.push('delete schedule 2', async () => void done.push('delete schedule'));
    expect(undo.size).toBe(3);
    const left = await undo.rollback();
    expect(done).toEqual(['delete schedule', 'offline', 'delete workflow']);
    expect(left).toEqual(['set workflow 1 offline (DolphinScheduler is unreachable)']);
    expect(undo.size).toBe(0);
    expect(await undo.rollback()).toEqual([]);
  });
});
