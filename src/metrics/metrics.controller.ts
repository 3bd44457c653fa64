import { Controller, Get, Header, SetMetadata } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators';
import { SKIP_RATE_LIMIT } from '../rate-limit/rate-limit.guard';
import { MetricsService } from './metrics.service';

@ApiTags('Operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** Prometheus text format. Public like /health so scrapers need no token; holds no secrets. */
  @Public()
  @SetMetadata(SKIP_RATE_LIMIT, true)
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
