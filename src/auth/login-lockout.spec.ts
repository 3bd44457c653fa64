import { DomainException } from '../common/errors/domain.exception';
import { AuthConfig } from '../config/configuration';
import { HitCounter } from '../rate-limit/hit-counter';
import { LoginLockout } from './login-lockout';

describe('LoginLockout', () => {
  let counter: HitCounter;
  let lockout: LoginLockout;
  beforeEach(() => {
    counter = new HitCounter(null);
    lockout = new LoginLockout(counter, { loginMaxFailures: 3, loginLockoutSeconds: 60 } as AuthConfig);
  });
  afterEach(() => counter.onModuleDestroy());

  const locked = (username: string, address: string) =>
    lockout.refuseWhileLocked(username, address).then(
      () => false,
      (e: DomainException) => {
        expect(e.code).toBe('RATE_LIMITED');
        expect(Number(e.headers?.['Retry-After'])).toBeGreaterThan(0);
        return true;
      },
    );

  it('refuses the failing address for that username only; the same username elsewhere goes on', async () => {
    for (let i = 0; i < 3; i++) await lockout.failed('Alice', '10.0.0.66');
    expect(await locked('alice', '10.0.0.66')).toBe(true);
    expect(await locked('alice', '10.0.0.7')).toBe(false);
    expect(await locked('bob', '10.0.0.66')).toBe(false);
  });

  it('refuses an address that fails across many usernames, and nobody else', async () => {
    for (let i = 0; i < 12; i++) await lockout.failed(`user-${i}`, '10.0.0.66');
    expect(await locked('someone-new', '10.0.0.66')).toBe(true);
    expect(await locked('someone-new', '10.0.0.7')).toBe(false);
  });

  it('a success clears that username at that address, not the address count', async () => {
    for (let i = 0; i < 2; i++) await lockout.failed('alice', '10.0.0.7');
    await lockout.succeeded('alice', '10.0.0.7');
    await lockout.failed('alice', '10.0.0.7');
    await lockout.failed('alice', '10.0.0.7');
    expect(await locked('alice', '10.0.0.7')).toBe(false);
    expect((await counter.peek('login-ip:10.0.0.7'))?.count).toBe(4);
  });
});
