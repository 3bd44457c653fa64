import { DynamicModule, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tasksConfig } from '../config/configuration';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ExecutionStoreService } from './execution-store.service';
import { ExecutionsService } from './executions.service';
import { ExecutionRunnerService } from './runner/execution-runner.service';
import { TaskExecutionLogEntity } from './task-execution-log.entity';
import { TaskExecutionEntity } from './task-execution.entity';

export interface ExecutionsModuleOptions {
  /** The modules the port bindings need. */
  imports: NonNullable<ModuleMetadata['imports']>;
  /** Bindings of TASKS_PORT, DATA_SOURCES_PORT, CONNECTORS_PORT and CATALOG_PORT (ports.ts). */
  ports: Provider[];
}

/**
 * Executions: the store (claims, leases, retries), the runner and its jobs, logs and watch. It
 * sees tasks, data sources, connectors and the catalog only through the ports its user binds.
 */
@Module({})
export class ExecutionsModule {
  static register(options: ExecutionsModuleOptions): DynamicModule {
    return {
      module: ExecutionsModule,
      imports: [
        ConfigModule.forFeature(tasksConfig),
        TypeOrmModule.forFeature([TaskExecutionEntity, TaskExecutionLogEntity]),
        WebhooksModule,
        ...options.imports,
      ],
      providers: [...options.ports, ExecutionStoreService, ExecutionRunnerService, ExecutionsService],
      exports: [ExecutionStoreService, ExecutionRunnerService, ExecutionsService],
    };
  }
}
