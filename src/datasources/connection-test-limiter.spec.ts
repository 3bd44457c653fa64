import { DomainException } from '../common/errors/domain.exception';
import { DatasourcesConfig } from '../config/configuration';
import { clampTimeout } from '../connectors/connectors.service';
import { ConnectionTestLimiter } from './connection-test-limiter';

const config = { testMaxConcurrent: 3, testMaxPerUser: 2, testMaxTimeoutSeconds: 60 } as DatasourcesConfig;

describe('ConnectionTestLimiter', () => {
  const hold = () => {
    let release!: () => void;
    const done = new Promise<void>((r) => (release = r));
    return { done, release };
  };
  const refusedWith = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DomainException);
    expect((err as DomainException).code).toBe('RATE_LIMITED');
    expect((err as DomainException).headers?.['Retry-After']).toBe('1');
    return err as DomainException;
  };

  it('caps per user and per instance, and frees a slot when its work settles, even by failing', async () => {
    const limiter = new ConnectionTestLimiter(config);
    const a = hold();
    const b = hold();
    const c = hold();
    const a1 = limiter.run('alice', () => a.done);
    const a2 = limiter.run('alice', () => b.done.then(() => Promise.reject(new Error('broken'))));
    expect((await refusedWith(limiter.run('alice', async () => undefined))).message).toContain('You already have 2');
    const b1 = limiter.run('bob', () => c.done);
    expect((await refusedWith(limiter.run('bob', async () => undefined))).message).toContain('this instance');

    b.release();
    await expect(a2).rejects.toThrow('broken');
    await expect(limiter.run('alice', async () => 'ran')).resolves.toBe('ran');
    a.release();
    c.release();
    await Promise.all([a1, b1]);
  });
});

describe('clampTimeout', () => {
  it('caps a long timeout and keeps a short one', () => {
    expect(clampTimeout(3600, 60)).toBe(60);
    expect(clampTimeout(5, 60)).toBe(5);
    expect(clampTimeout(undefined, 10)).toBe(10);
    expect(clampTimeout(undefined, 60)).toBe(30);
  });
});
