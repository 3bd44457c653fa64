import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { tasksConfig, TasksConfig } from '../config/configuration';
import { ExecutionRunnerService } from '../executions/runner/execution-runner.service';
import { BuiltinScheduler } from './builtin/builtin.scheduler';

const TICK = 'tasks-tick';

/**
 * The periodic pass every replica makes (SCHEDULER_TICK_MS): recover runs whose instance died,
 * claim due firings, start ready executions. `kick()` runs a pass now (after start, execute…).
 */
@Injectable()
export class TickerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('TasksTicker');
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly builtin: BuiltinScheduler,
    private readonly runner: ExecutionRunnerService,
    @Inject(tasksConfig.KEY) private readonly cfg: TasksConfig,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(() => void this.kick(), this.cfg.tickMs);
    timer.unref();
    this.registry.addInterval(TICK, timer);
    void this.kick();
  }

  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async pass(): Promise<void> {
    try {
      await this.runner.recoverExpired();
      if (this.cfg.schedulerEnabled) await this.builtin.claimDue();
      await this.runner.dispatch();
    } catch (err) {
      this.logger.error({ err }, 'Scheduler tick failed');
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.registry.doesExist('interval', TICK)) this.registry.deleteInterval(TICK);
    await this.running;
  }
}
