import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { StoreHealthIndicator } from './store-health.indicator';

function indicatorAnswering(query: () => Promise<unknown>): StoreHealthIndicator {
  return new StoreHealthIndicator({ query } as unknown as DataSource, new HealthIndicatorService());
}

describe('StoreHealthIndicator', () => {
  it('is up when the store answers', async () => {
    const result = await indicatorAnswering(() => Promise.resolve([{ 1: 1 }])).pingCheck('store', 1000);
    expect(result).toEqual({ store: { status: 'up' } });
  });

  it('is down when the store refuses', async () => {
    const result = await indicatorAnswering(() => Promise.reject(new Error('SQLITE_CANTOPEN'))).pingCheck(
      'store',
      1000,
    );
    expect(result.store.status).toBe('down');
    expect(JSON.stringify(result)).not.toContain('SQLITE_CANTOPEN');
  });

  it('is down with the timeout when the store does not answer in time', async () => {
    const result = await indicatorAnswering(() => new Promise(() => undefined)).pingCheck('store', 20);
    expect(result).toEqual({ store: { status: 'down', message: 'timeout of 20ms exceeded' } });
  });
});
