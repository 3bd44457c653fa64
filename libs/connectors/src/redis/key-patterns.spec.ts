import { inferKeyPattern, mergeHighCardinality, normalizeSegment, patternToGlob } from './key-patterns';

describe('redis key-pattern inference', () => {
  it('replaces numeric, uuid, hash, date, email and ip segments', () => {
    expect(inferKeyPattern('user:1001:profile', ':')).toBe('user:{id}:profile');
    expect(inferKeyPattern('session:3f2b8c1e-9a4d-4c2b-8e7f-1a2b3c4d5e6f', ':')).toBe('session:{uuid}');
    expect(inferKeyPattern('cache:page:5d41402abc4b2a76b9719d911017c592', ':')).toBe('cache:page:{hash}');
    expect(inferKeyPattern('stats:2024-03-05:visits', ':')).toBe('stats:{date}:visits');
    expect(inferKeyPattern('login:alice@example.com', ':')).toBe('login:{email}');
    expect(inferKeyPattern('ratelimit:10.0.0.12', ':')).toBe('ratelimit:{ip}');
    expect(inferKeyPattern('obj:01ARZ3NDEKTSV4RRFFQ69G5FAV', ':')).toBe('obj:{id}');
  });

  it('replaces long random tokens but keeps long words', () => {
    expect(inferKeyPattern('auth:token:aZ3kP9qLx7Bv2Mn8Rt5Yw1Qe', ':')).toBe('auth:token:{token}');
    expect(inferKeyPattern('config:feature_flags_2024_v2', ':')).toBe('config:feature_flags_{id}_v2');
    expect(inferKeyPattern('config:averyveryverylongsettingname', ':')).toBe('config:averyveryverylongsettingname');
  });

  it('normalises parts inside a segment split by - _ . @', () => {
    expect(normalizeSegment('order-12345')).toBe('order-{id}');
    expect(normalizeSegment('img_42.png')).toBe('img_{id}.png');
    expect(normalizeSegment('v2')).toBe('v2');
  });

  it('honours a custom separator and no separator at all', () => {
    expect(inferKeyPattern('tenant/77/orders/9', '/')).toBe('tenant/{id}/orders/{id}');
    expect(inferKeyPattern('user:1:x', '/')).toBe('user:1:x');
    expect(inferKeyPattern('counter_981', '')).toBe('counter_{id}');
  });

  it('keeps keys without identifiers as they are', () => {
    expect(inferKeyPattern('app:settings', ':')).toBe('app:settings');
    expect(inferKeyPattern('', ':')).toBe('');
  });

  it('merges a position with many distinct literal values into {*}', () => {
    const names = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan'];
    const inputs = [...names.map((n) => `cart:${n}:items`), 'cart:{id}:items', 'app:settings', 'app:limits'];
    const merged = mergeHighCardinality(inputs, ':', 8);
    for (const n of names) expect(merged.get(`cart:${n}:items`)).toBe('cart:{*}:items');
    expect(merged.get('cart:{id}:items')).toBe('cart:{*}:items');
    // Two literals are below the threshold and stay apart.
    expect(merged.get('app:settings')).toBe('app:settings');
    expect(merged.get('app:limits')).toBe('app:limits');
  });

  it('does not merge below the threshold', () => {
    const merged = mergeHighCardinality(['a:x', 'a:y', 'a:z'], ':', 8);
    expect(new Set(merged.values())).toEqual(new Set(['a:x', 'a:y', 'a:z']));
  });

  it('turns a pattern into an escaped SCAN MATCH glob', () => {
    expect(patternToGlob('user:{id}:profile')).toBe('user:*:profile');
    expect(patternToGlob('cart:{*}:items')).toBe('cart:*:items');
    expect(patternToGlob('weird*[key]?:{uuid}')).toBe('weird\\*\\[key\\]\\?:*');
  });
});
