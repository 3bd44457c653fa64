import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CatalogModule } from '../catalog/catalog.module';
import { CatalogService } from '../catalog/catalog.service';
import { tasksConfig } from '../config/configuration';
import { ConnectorsModule } from '../connectors/connectors.module';
import { ConnectorsService } from '../connectors/connectors.service';
import { DatasourcesModule } from '../datasources/datasources.module';
import { DataSourcesService } from '../datasources/datasources.service';
import { ExecutionStore } from './runner/execution-store';
import { CATALOG_PORT, CatalogPort, CONNECTORS_PORT, ConnectorsPort, DATA_SOURCES_PORT, DataSourcesPort } from './runner/ports';
import { TaskRunner } from './runner/task-runner.service';
import { BuiltinScheduler } from './scheduler/builtin.scheduler';
import { Schedulers } from './scheduler/schedulers';
import { TasksTicker } from './scheduler/tasks-ticker.service';
import { TaskExecutionLogEntity } from './task-execution-log.entity';
import { TaskExecutionEntity } from './task-execution.entity';
import { TaskEntity } from './task.entity';
import { TaskExecutionsService } from './task-executions.service';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';
import { TasksGrpcController } from './tasks.grpc.controller';

/** Collection tasks: the API, the builtin scheduler and the runner. */
@Module({
  imports: [
    ConfigModule.forFeature(tasksConfig),
    TypeOrmModule.forFeature([TaskEntity, TaskExecutionEntity, TaskExecutionLogEntity]),
    DatasourcesModule,
    ConnectorsModule,
    CatalogModule,
    WebhooksModule,
  ],
  controllers: [TasksController, TasksGrpcController],
  providers: [
    // The runner sees the other features only through the few calls it needs (runner/ports.ts).
    { provide: DATA_SOURCES_PORT, inject: [DataSourcesService], useFactory: (s: DataSourcesService): DataSourcesPort => s },
    { provide: CONNECTORS_PORT, inject: [ConnectorsService], useFactory: (s: ConnectorsService): ConnectorsPort => s },
    { provide: CATALOG_PORT, inject: [CatalogService], useFactory: (s: CatalogService): CatalogPort => s },
    ExecutionStore,
    TaskRunner,
    BuiltinScheduler,
    Schedulers,
    TasksTicker,
    TasksService,
    TaskExecutionsService,
  ],
  exports: [TasksService],
})
export class TasksModule {}
