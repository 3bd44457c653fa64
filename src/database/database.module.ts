import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseConfig, DatabaseConfig } from '../config/configuration';
import { dataSourceOptions } from './data-source-options';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (cfg: DatabaseConfig) => ({ ...dataSourceOptions(cfg.url), autoLoadEntities: true, migrationsRun: true }),
    }),
  ],
})
export class DatabaseModule {}
