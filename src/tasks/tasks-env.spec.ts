import { validateEnv } from '../config/env.schema';

describe('tasks configuration', () => {
  it('has the documented defaults', () => {
    const env = validateEnv({});
    expect(env.MAX_CONCURRENT_EXECUTIONS).toBe(4);
    expect(env.MAX_CONCURRENT_PER_DATASOURCE).toBe(1);
    expect(env.SCHEDULER_TICK_MS).toBe(1000);
    expect(env.EXECUTION_LEASE_SECONDS).toBe(30);
    expect(env.EXECUTION_HEARTBEAT_MS).toBe(1000);
    expect(env.SCHEDULER_ENABLED).toBe('true');
  });

  it('refuses values that would break the guarantees', () => {
    expect(() => validateEnv({ MAX_CONCURRENT_EXECUTIONS: '0' })).toThrow(/MAX_CONCURRENT_EXECUTIONS/);
    expect(() => validateEnv({ EXECUTION_HEARTBEAT_MS: '10000' })).toThrow(/EXECUTION_HEARTBEAT_MS/);
    expect(() => validateEnv({ EXECUTION_LEASE_SECONDS: '1' })).toThrow(/EXECUTION_LEASE_SECONDS/);
  });
});
