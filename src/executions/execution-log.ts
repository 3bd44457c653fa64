import { redactSecrets } from '../common/redact';
import { LogLevel, TaskExecutionLogEntity } from './task-execution-log.entity';

const MAX_MESSAGE = 2000;

/** Receives each line as it is added (e.g. to copy it to the service log); meta is already redacted. */
export type ExecutionLogEcho = (level: LogLevel, message: string, meta: Record<string, unknown> | null) => void;

/**
 * An execution's structured log, kept to `limit` lines: past it, lines are counted and dropped,
 * and one closing line says how many. Buffered and written in batches by the runner.
 */
export class ExecutionLog {
  private seq = 0;
  private dropped = 0;
  private buffer: TaskExecutionLogEntity[] = [];
  private chain: Promise<void> = Promise.resolve();
  warnings = 0;
  errors = 0;

  constructor(
    private readonly executionId: string,
    private readonly limit: number,
    private readonly echo?: ExecutionLogEcho,
  ) {}

  debug(message: string, meta?: Record<string, unknown>): void {
    this.add('debug', message, meta);
  }
  info(message: string, meta?: Record<string, unknown>): void {
    this.add('info', message, meta);
  }
  warn(message: string, meta?: Record<string, unknown>): void {
    this.warnings++;
    this.add('warn', message, meta);
  }
  error(message: string, meta?: Record<string, unknown>): void {
    this.errors++;
    this.add('error', message, meta);
  }

  private add(level: LogLevel, message: string, meta?: Record<string, unknown>): void {
    if (this.seq >= this.limit - 1) {
      this.dropped++;
      return;
    }
    this.push(level, message, meta);
  }

  private push(level: LogLevel, message: string, meta?: Record<string, unknown>): void {
    const entry = new TaskExecutionLogEntity();
    entry.executionId = this.executionId;
    entry.seq = ++this.seq;
    entry.at = new Date();
    entry.level = level;
    entry.message = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
    entry.meta = meta ? redactSecrets(meta) : null;
    this.buffer.push(entry);
    this.echo?.(level, entry.message, entry.meta);
  }

  /** Adds the closing line about dropped lines (the one line allowed past the limit). */
  close(): void {
    if (this.dropped > 0)
      this.push('warn', `${this.dropped} more log lines were dropped (limit ${this.limit} per execution)`, {
        dropped: this.dropped,
      });
  }

  /** Writes buffered lines with `write`; calls are serialized so lines land in order. */
  flush(write: (entries: TaskExecutionLogEntity[]) => Promise<void>): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (!this.buffer.length) return;
      const entries = this.buffer;
      this.buffer = [];
      await write(entries);
    });
    return this.chain;
  }
}
