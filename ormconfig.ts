// The TypeORM data source the migration CLI uses (`npm run migration:run`, `migration:generate`).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './src/database/data-source-options';

export default new DataSource({
  ...dataSourceOptions(process.env.DATABASE_URL ?? 'sqlite:./data/metadata.db'),
  entities: [__dirname + '/src/**/*.entity.ts'],
});
