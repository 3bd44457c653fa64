import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ScheduleModule } from '@nestjs/schedule';
import { appConfig, authConfig, databaseConfig, rateLimitConfig, securityConfig } from './config/configuration';
import { validateEnv } from './config/env.schema';
import { CryptoModule } from './common/crypto/crypto.module';
import { DatabaseModule } from './database/database.module';
import { LoggingModule } from './logging/logging.module';
import { RedisModule } from './redis/redis.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { AuthModule } from './auth/auth.module';
import { UsersModule } from './users/users.module';
import { AuditModule } from './audit/audit.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { DataSourcesModule } from './datasources/datasources.module';
import { TemplatesModule } from './templates/templates.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { CatalogModule } from './catalog/catalog.module';
import { LineageModule } from './lineage/lineage.module';
import { AnnotationsModule } from './annotations/annotations.module';
import { TasksModule } from './tasks/tasks.module';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      validate: (raw) => ({ ...raw, ...validateEnv(raw) }),
      load: [appConfig, databaseConfig, authConfig, securityConfig, rateLimitConfig],
    }),
    // Once for the whole app (SchedulerRegistry for every feature's ticks); import it nowhere else.
    ScheduleModule.forRoot(),
    LoggingModule,
    DatabaseModule,
    CryptoModule,
    RedisModule,
    // Guards run in registration order: rate limit first, then authentication and roles.
    RateLimitModule,
    AuthModule,
    UsersModule,
    AuditModule,
    HealthModule,
    MetricsModule,
    DataSourcesModule,
    TemplatesModule,
    WebhooksModule,
    LineageModule,
    CatalogModule,
    AnnotationsModule,
    TasksModule,
  ],
})
export class AppModule {}
