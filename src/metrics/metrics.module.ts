import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { metricsConfig, tasksConfig } from '../config/configuration';
import { DomainMetrics } from './domain-metrics';
import { GrpcMetrics } from './grpc-metrics';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsService } from './metrics.service';
import { StoreGauges } from './store-gauges';

@Global()
@Module({
  imports: [ConfigModule.forFeature(metricsConfig), ConfigModule.forFeature(tasksConfig)],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsTokenGuard, DomainMetrics, GrpcMetrics, StoreGauges],
  exports: [MetricsService, DomainMetrics, GrpcMetrics],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
