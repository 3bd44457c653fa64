import { Module } from '@nestjs/common';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CatalogModule } from '../catalog/catalog.module';
import { CatalogService } from '../catalog/catalog.service';
import { ConnectorsModule } from '../connectors/connectors.module';
import { ConnectorsService } from '../connectors/connectors.service';
import { DataSourcesModule } from '../datasources/datasources.module';
import { DataSourcesService } from '../datasources/datasources.service';
import {
  CATALOG_PORT,
  CatalogPort,
  CONNECTORS_PORT,
  ConnectorsPort,
  DATA_SOURCES_PORT,
  DataSourcesPort,
  TASKS_PORT,
  TasksPort,
} from '../executions/ports';
import { TASK_ROWS } from '../scheduling/ports';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { TaskEntity } from './task.entity';
import { TaskExecutionsService } from './task-executions.service';
import { TasksController } from './tasks.controller';
import { TasksGrpcController } from './tasks.grpc.controller';
import { TasksService } from './tasks.service';

const TaskRows = TypeOrmModule.forFeature([TaskEntity]);

// The few calls the schedulers and the runner make of the other features, bound here (executions/ports.ts, scheduling/ports.ts).
const dataSourcesPort = {
  provide: DATA_SOURCES_PORT,
  inject: [DataSourcesService],
  useFactory: (s: DataSourcesService): DataSourcesPort => s,
};
const connectorsPort = {
  provide: CONNECTORS_PORT,
  inject: [ConnectorsService],
  useFactory: (s: ConnectorsService): ConnectorsPort => s,
};
const catalogPort = {
  provide: CATALOG_PORT,
  inject: [CatalogService],
  useFactory: (s: CatalogService): CatalogPort => s,
};
const tasksPort = {
  provide: TASKS_PORT,
  inject: [getRepositoryToken(TaskEntity)],
  useFactory: (rows: Repository<TaskEntity>): TasksPort => ({
    findForRun: (id) => rows.findOne({ where: { id } }),
    markExecuted: async (id, at) => {
      await rows.update({ id }, { lastExecutedAt: at });
    },
  }),
};

/** Collection tasks: CRUD and the life cycle over REST and gRPC. Scheduling and executions sit below it. */
@Module({
  imports: [
    TaskRows,
    DataSourcesModule,
    ConnectorsModule,
    SchedulingModule.register({
      imports: [TaskRows],
      taskRows: { provide: TASK_ROWS, useExisting: getRepositoryToken(TaskEntity) },
      executions: {
        imports: [TaskRows, DataSourcesModule, ConnectorsModule, CatalogModule],
        ports: [tasksPort, dataSourcesPort, connectorsPort, catalogPort],
      },
    }),
  ],
  controllers: [TasksController, TasksGrpcController],
  providers: [dataSourcesPort, connectorsPort, TasksService, TaskExecutionsService],
  exports: [TasksService],
})
export class TasksModule {}
