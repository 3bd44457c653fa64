import { ApiPolicy } from './api-types';
import { applicablePolicy } from './policies';

const policy = (name: string, pattern: string, applyTo: string, priority = 0): ApiPolicy => ({
  name,
  vhost: '/',
  pattern,
  'apply-to': applyTo,
  definition: {},
  priority,
});

describe('rabbitmq applicable policy', () => {
  const policies = [
    policy('all-orders', '^orders', 'all', 0),
    policy('q-orders', '^orders\\.', 'queues', 5),
    policy('ex', '^orders', 'exchanges', 1),
    policy('quorum-only', '.*', 'quorum_queues', 9),
  ];

  it('picks the highest-priority matching policy for the kind', () => {
    expect(applicablePolicy(policies, 'queue', 'orders.created', 'classic')?.name).toBe('q-orders');
    expect(applicablePolicy(policies, 'exchange', 'orders.created')?.name).toBe('ex');
    expect(applicablePolicy(policies, 'queue', 'orders', 'classic')?.name).toBe('all-orders');
  });

  it('honours per-queue-type apply-to values', () => {
    expect(applicablePolicy(policies, 'queue', 'orders.created', 'quorum')?.name).toBe('quorum-only');
    expect(applicablePolicy(policies, 'queue', 'billing', 'classic')).toBeUndefined();
  });

  it('ignores patterns JavaScript cannot compile instead of failing', () => {
    expect(applicablePolicy([policy('bad', '(?<', 'all')], 'queue', 'x')).toBeUndefined();
  });
});

describe('rabbitmq applicable policy with a hostile pattern', () => {
  it('decides without backtracking on a catastrophic pattern', () => {
    const name = `${'a'.repeat(10_000)}!`;
    const policies = [policy('evil', '^(a+)+$', 'all', 10), policy('fallback', '^a', 'all', 0)];
    expect(applicablePolicy(policies, 'queue', name, 'classic')?.name).toBe('fallback');
  });
});
