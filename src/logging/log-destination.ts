import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import pino from 'pino';
import { appConfig, AppConfig } from '../config/configuration';

type Destination = ReturnType<typeof pino.destination>;

/**
 * Where request and application logs go: standard output, written asynchronously in 4 KiB
 * batches so a request never waits for a write(2) of its own log line. Tests keep synchronous
 * writes (their output must be complete when a test ends). Whatever is buffered is written out
 * at shutdown, before Nest re-raises the signal that ended the process.
 */
@Injectable()
export class LogDestination implements OnApplicationShutdown {
  readonly stream: Destination | undefined;

  constructor(@Inject(appConfig.KEY) cfg: AppConfig) {
    this.stream = cfg.nodeEnv === 'test' ? undefined : pino.destination({ dest: 1, sync: false, minLength: 4096 });
  }

  onApplicationShutdown(): void {
    try {
      this.stream?.flushSync();
    } catch {
      // Nothing to flush yet, or stdout already closed: nothing left to save.
    }
  }
}
