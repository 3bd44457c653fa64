import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsService } from './metrics.service';

@ApiTags('Operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /**
   * Prometheus text format. No user token (scrapers are not users); METRICS_TOKEN, when set, is
   * the bearer token it needs instead. Rate limited like every route.
   */
  @Public()
  @UseGuards(MetricsTokenGuard)
  @ApiBearerAuth()
  @ApiErrors(401, 429)
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
