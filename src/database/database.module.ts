import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { databaseConfig, DatabaseConfig } from '../config/configuration';
import { dataSourceOptions } from './data-source-options';
import { serializeSqliteTransactions } from './sqlite-serial-transactions';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (cfg: DatabaseConfig) => ({ ...dataSourceOptions(cfg.url), autoLoadEntities: true, migrationsRun: true }),
      dataSourceFactory: async (options?: DataSourceOptions) => {
        const dataSource = await new DataSource(options!).initialize();
        if (dataSource.options.type === 'better-sqlite3') serializeSqliteTransactions(dataSource);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
