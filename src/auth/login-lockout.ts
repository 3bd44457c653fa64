import { Inject, Injectable } from '@nestjs/common';
import { authConfig, AuthConfig } from '../config/configuration';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';
import { HitCounter } from '../rate-limit/hit-counter';

/** Failures from one address, over every username, before that address is refused too. */
const ADDRESS_FACTOR = 4;

/**
 * Failed logins, counted per username AND client address, and per address alone. Only the address
 * that failed is refused (429): the account itself is never locked, so a flood of wrong passwords
 * from one place cannot keep the real user, elsewhere, out. Counts live in the HitCounter (memory,
 * or Redis so replicas share them).
 */
@Injectable()
export class LoginLockout {
  constructor(
    private readonly counter: HitCounter,
    @Inject(authConfig.KEY) private readonly cfg: AuthConfig,
  ) {}

  /** Throws 429 with Retry-After while this address is refused for this username (or at all). */
  async refuseWhileLocked(username: string, address: string): Promise<void> {
    const counted = this.counted(username, address);
    const windows = await Promise.all(counted.map((c) => this.counter.peek(c.key)));
    const locked = windows.find((w, i) => w && w.count >= counted[i].limit);
    if (!locked) return;
    const retryAfter = String(Math.max(1, Math.ceil((locked.resetAt - Date.now()) / 1000)));
    throw new DomainException(ErrorReason.LoginLocked, 'Too many failed logins', `Try again in ${retryAfter} s`, {
      'Retry-After': retryAfter,
    });
  }

  async failed(username: string, address: string): Promise<void> {
    const windowMs = this.cfg.loginLockoutSeconds * 1000;
    await Promise.all(this.counted(username, address).map((c) => this.counter.hit(c.key, windowMs)));
  }

  /** A right password clears that username's count at that address; the address count stays. */
  async succeeded(username: string, address: string): Promise<void> {
    await this.counter.clear(this.counted(username, address)[0].key);
  }

  private counted(username: string, address: string): Array<{ key: string; limit: number }> {
    const max = this.cfg.loginMaxFailures;
    return [
      { key: `login:${username.toLowerCase()}:${address}`, limit: max },
      { key: `login-ip:${address}`, limit: max * ADDRESS_FACTOR },
    ];
  }
}
