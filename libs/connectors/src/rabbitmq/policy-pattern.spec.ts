import { compilePolicyPattern } from './policy-pattern';

describe('rabbitmq policy pattern matcher', () => {
  // Every pattern here is one RegExp can also run quickly: the answers must be the same.
  const patterns = [
    '^amq\\.',
    '.*',
    '',
    '^orders$',
    '^(orders|billing)\\.',
    '^(?:ha|mirror)-[a-z0-9]+$',
    'dlq$',
    '^[^.]+\\.[^.]+$',
    '^q\\d{2,3}$',
    '^x{2}y?z*$',
    '^(ab)+$',
    '^a|b$',
    '[\\w-]+\\.events',
    '^[a-c-]$',
    '\\s',
    '^(a*)*$',
    '^.+?\\.lazy$',
  ];
  const names = [
    'amq.direct',
    'orders',
    'orders.created',
    'billing.x',
    'ha-queue1',
    'mirror-Q',
    'work.dlq',
    'a.b',
    'a.b.c',
    'q12',
    'q1234',
    'xx',
    'xxyzz',
    'ababab',
    'aba',
    'b',
    'app-1.events',
    ']',
    '-',
    'has space',
    '',
    'aaaa',
    'x.lazy',
  ];

  it.each(patterns)('answers like RegExp for %j', (pattern) => {
    const matcher = compilePolicyPattern(pattern);
    expect(matcher.unsupported).toBeUndefined();
    for (const name of names) expect([name, matcher.test(name)]).toEqual([name, new RegExp(pattern).test(name)]);
  });

  it('reads a leading "]" in a class as a literal, as PCRE (RabbitMQ) does', () => {
    const matcher = compilePolicyPattern('^[]a]$');
    expect([']', 'a', 'b'].map((name) => matcher.test(name))).toEqual([true, true, false]);
  });

  it('runs catastrophic patterns in linear time instead of hanging', () => {
    const hostile = ['^(a+)+$', '^(a|a)*$', '^(a|aa)+$', '(.*a){12}', '^(\\w+\\s?)*$', '.*.*.*.*.*.*.*.*.*.*x'];
    const name = `${'a'.repeat(5000)}!`;
    for (const pattern of hostile) {
      const matcher = compilePolicyPattern(pattern);
      expect(matcher.unsupported).toBeUndefined();
      expect(matcher.test(name)).toBe(pattern === '(.*a){12}');
    }
  });

  it('reports what it cannot evaluate and matches nothing', () => {
    for (const pattern of ['(a)\\1', '(?=a)', '(?<x>a)', '(?i)a', 'a{5000}', 'x'.repeat(2000), '(a', 'a)', '*a']) {
      const matcher = compilePolicyPattern(pattern);
      expect(matcher.unsupported).toEqual(expect.any(String));
      expect(matcher.test('a')).toBe(false);
    }
  });
});
