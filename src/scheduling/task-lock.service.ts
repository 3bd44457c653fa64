import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Repository } from 'typeorm';
import { TASK_ROWS } from './ports';
import { ScheduledTask } from './scheduling-types';
import { SchedulingException } from './scheduling.exception';

/** Long enough for every call of one change to an external scheduler, short enough to recover from a crash. */
const LOCK_LEASE_MS = 120_000;

/**
 * A short lease on one task, taken with a conditional UPDATE in the store, so that two changes of
 * the task's external schedule (from any replicas) never interleave their calls.
 */
@Injectable()
export class TaskLockService {
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private seq = 0;

  constructor(@Inject(TASK_ROWS) private readonly tasks: Repository<ScheduledTask>) {}

  /** Runs `fn` holding the task's lock; 409 TASK_BUSY when another change holds it, 404 when the task is gone. */
  async run<T>(taskId: string, fn: () => Promise<T>): Promise<T> {
    const held = await this.tryRun(taskId, fn);
    if (held.acquired) return held.value;
    const exists = (await this.tasks.count({ where: { id: taskId } })) > 0;
    if (!exists) throw SchedulingException.taskNotFound(taskId);
    throw SchedulingException.busy(taskId);
  }

  /** Like `run`, but says so instead of throwing when the lock is taken. */
  async tryRun<T>(taskId: string, fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    const token = `${this.owner}#${++this.seq}`;
    const now = Date.now();
    const res = await this.tasks
      .createQueryBuilder()
      .update(this.tasks.target)
      .set({ syncLock: token, syncLockUntil: new Date(now + LOCK_LEASE_MS) })
      .where('id = :id AND (sync_lock IS NULL OR sync_lock_until < :now)', { id: taskId, now })
      .execute();
    if (res.affected !== 1) return { acquired: false };
    try {
      return { acquired: true, value: await fn() };
    } finally {
      await this.tasks
        .createQueryBuilder()
        .update(this.tasks.target)
        .set({ syncLock: null, syncLockUntil: null })
        .where('id = :id AND sync_lock = :token', { id: taskId, token })
        .execute();
    }
  }
}
