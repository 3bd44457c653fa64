import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { databaseConfig, DatabaseConfig } from '../config/configuration';
import { dataSourceOptions } from './data-source-options';
import { ensurePrivateDir, restrictSqliteFiles } from './private-files';
import { serializeSqliteTransactions } from './sqlite-serial-transactions';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (cfg: DatabaseConfig) => {
        // Generated keys and the embedded store live here: this user's only.
        ensurePrivateDir(cfg.dataDir);
        return { ...dataSourceOptions(cfg.url), autoLoadEntities: true, migrationsRun: true };
      },
      dataSourceFactory: async (options?: DataSourceOptions) => {
        const dataSource = await new DataSource(options!).initialize();
        if (dataSource.options.type === 'better-sqlite3') {
          if (dataSource.options.database !== ':memory:') restrictSqliteFiles(dataSource.options.database);
          serializeSqliteTransactions(dataSource);
        }
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
