import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';

/**
 * Whether the store answers `SELECT 1` within the timeout. Terminus' TypeOrmHealthIndicator does
 * the same, but resolves its optional packages with require() and looks the connection up on every
 * call, which made /health slower than most data routes.
 */
@Injectable()
export class StoreHealthIndicator {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async pingCheck(key: string, timeoutMs: number): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    try {
      const outcome = await Promise.race([this.db.query('SELECT 1'), timeout]);
      if (outcome === 'timeout') return check.down(`timeout of ${timeoutMs}ms exceeded`);
      return check.up();
    } catch {
      return check.down();
    } finally {
      clearTimeout(timer);
    }
  }
}
