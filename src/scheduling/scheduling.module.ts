import { DynamicModule, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { dolphinSchedulerConfig, tasksConfig } from '../config/configuration';
import { ConnectorsModule } from '../connectors/connectors.module';
import { ExecutionsModule, ExecutionsModuleOptions } from '../executions/executions.module';
import { TaskExecutionEntity } from '../executions/task-execution.entity';
import { BuiltinScheduler } from './builtin/builtin.scheduler';
import { DolphinSchedulerScheduler } from './dolphinscheduler/dolphinscheduler.scheduler';
import { DsCallbacksService } from './dolphinscheduler/ds-callbacks.service';
import { DsConnectionService } from './dolphinscheduler/ds-connection.service';
import { DsProvisionerService } from './dolphinscheduler/ds-provisioner.service';
import { DsReconcilerService } from './dolphinscheduler/ds-reconciler.service';
import { SchedulerFactory } from './scheduler.factory';
import { TaskLockService } from './task-lock.service';
import { TickerService } from './ticker.service';

export interface SchedulingModuleOptions {
  /** The modules the TASK_ROWS binding needs. */
  imports: NonNullable<ModuleMetadata['imports']>;
  /** The binding of TASK_ROWS (ports.ts). */
  taskRows: Provider;
  executions: ExecutionsModuleOptions;
}

/**
 * Who decides when a task fires: the scheduler interface and its factory, the ticker, and one
 * driver per scheduler (builtin/, dolphinscheduler/). It reaches the tasks table through TASK_ROWS.
 */
@Module({})
export class SchedulingModule {
  static register(options: SchedulingModuleOptions): DynamicModule {
    const executions = ExecutionsModule.register(options.executions);
    return {
      module: SchedulingModule,
      imports: [
        ConfigModule.forFeature(tasksConfig),
        ConfigModule.forFeature(dolphinSchedulerConfig),
        // The service tokens DolphinScheduler calls back with; the outbound-address policy.
        AuthModule,
        ConnectorsModule,
        // DolphinScheduler's runs are executions held until its callback claims them.
        TypeOrmModule.forFeature([TaskExecutionEntity]),
        executions,
        ...options.imports,
      ],
      providers: [
        options.taskRows,
        TaskLockService,
        BuiltinScheduler,
        DsConnectionService,
        DsProvisionerService,
        DsCallbacksService,
        DsReconcilerService,
        DolphinSchedulerScheduler,
        SchedulerFactory,
        TickerService,
      ],
      exports: [SchedulerFactory, TickerService, DsCallbacksService, executions],
    };
  }
}
