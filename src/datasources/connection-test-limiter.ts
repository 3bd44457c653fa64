import { Inject, Injectable } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';
import { datasourcesConfig, DatasourcesConfig } from '../config/configuration';

// A test holds its slot for at most the capped timeout; a second is a fair first retry.
const RETRY_AFTER_SECONDS = 1;

/**
 * Bounds the ad-hoc connection tests one instance runs: at most `testMaxConcurrent` at once, and
 * `testMaxPerUser` per user, so nobody can hold hundreds of sockets open against a slow or silent
 * port. Beyond a cap the call is refused at once (429 with Retry-After) rather than queued.
 */
@Injectable()
export class ConnectionTestLimiter {
  private running = 0;
  private readonly perUser = new Map<string, number>();

  constructor(@Inject(datasourcesConfig.KEY) private readonly cfg: DatasourcesConfig) {}

  /** The most a test may wait for its source, in seconds. */
  get maxTimeoutSeconds(): number {
    return this.cfg.testMaxTimeoutSeconds;
  }

  /** Runs `work` in a slot of `user`; the slot is freed when it settles. */
  async run<T>(user: string, work: () => Promise<T>): Promise<T> {
    const release = this.acquire(user);
    try {
      return await work();
    } finally {
      release();
    }
  }

  private acquire(user: string): () => void {
    const mine = this.perUser.get(user) ?? 0;
    if (mine >= this.cfg.testMaxPerUser) {
      throw refused(`You already have ${mine} connection tests running (at most ${this.cfg.testMaxPerUser} at once)`);
    }
    if (this.running >= this.cfg.testMaxConcurrent) {
      throw refused(
        `${this.running} connection tests are running on this instance (at most ${this.cfg.testMaxConcurrent} at once)`,
      );
    }
    this.running++;
    this.perUser.set(user, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const left = (this.perUser.get(user) ?? 1) - 1;
      if (left > 0) this.perUser.set(user, left);
      else this.perUser.delete(user);
    };
  }
}

function refused(message: string): DomainException {
  return new DomainException(
    ErrorReason.ConnectionTestsLimited,
    message,
    'Wait for a running test to finish (each waits at most CONNECTION_TEST_MAX_TIMEOUT_SECONDS), then try again.',
    { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  );
}
