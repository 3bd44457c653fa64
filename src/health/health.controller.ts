import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/decorators';
import { StoreHealthIndicator } from './store-health.indicator';

@ApiTags('Operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: StoreHealthIndicator,
  ) {}

  /** Liveness and readiness: 200 while the store answers, 503 when it does not. */
  @Public()
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.db.pingCheck('store', 3000)]);
  }
}
