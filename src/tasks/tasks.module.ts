import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CatalogModule } from '../catalog/catalog.module';
import { CatalogService } from '../catalog/catalog.service';
import { dolphinSchedulerConfig, tasksConfig } from '../config/configuration';
import { AuthModule } from '../auth/auth.module';
import { ConnectorsModule } from '../connectors/connectors.module';
import { ConnectorsService } from '../connectors/connectors.service';
import { DatasourcesModule } from '../datasources/datasources.module';
import { DataSourcesService } from '../datasources/datasources.service';
import { ExecutionStore } from './runner/execution-store';
import { CATALOG_PORT, CatalogPort, CONNECTORS_PORT, ConnectorsPort, DATA_SOURCES_PORT, DataSourcesPort } from './runner/ports';
import { TaskRunner } from './runner/task-runner.service';
import { BuiltinScheduler } from './scheduler/builtin.scheduler';
import { DolphinSchedulerScheduler } from './scheduler/dolphinscheduler/dolphinscheduler.scheduler';
import { DsCallbacks } from './scheduler/dolphinscheduler/ds-callbacks.service';
import { DsConnection } from './scheduler/dolphinscheduler/ds-connection.service';
import { DsProvisioner } from './scheduler/dolphinscheduler/ds-provisioner.service';
import { DsReconciler } from './scheduler/dolphinscheduler/ds-reconciler.service';
import { Schedulers } from './scheduler/schedulers';
import { TasksTicker } from './scheduler/tasks-ticker.service';
import { TaskExecutionLogEntity } from './task-execution-log.entity';
import { TaskExecutionEntity } from './task-execution.entity';
import { TaskEntity } from './task.entity';
import { TaskLock } from './task-lock';
import { TaskExecutionsService } from './task-executions.service';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';
import { TasksGrpcController } from './tasks.grpc.controller';

/** Collection tasks: the API, the builtin and DolphinScheduler schedulers, and the runner. */
@Module({
  imports: [
    ConfigModule.forFeature(tasksConfig),
    ConfigModule.forFeature(dolphinSchedulerConfig),
    // The service tokens DolphinScheduler calls back with.
    AuthModule,
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
    TaskLock,
    DsConnection,
    DsProvisioner,
    DsCallbacks,
    DsReconciler,
    DolphinSchedulerScheduler,
    Schedulers,
    TasksTicker,
    TasksService,
    TaskExecutionsService,
  ],
  exports: [TasksService],
})
export class TasksModule {}
