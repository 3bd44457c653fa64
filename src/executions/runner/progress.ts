import { ExecutionProgress } from '../task-execution.entity';

/** Assets done / known while a run goes; `percent` only when the source told how many there are. */
export class ProgressTracker {
  done = 0;
  known: number | null = null;
  phase = 'starting';

  report(done: number, known?: number): void {
    this.done = Math.max(this.done, done);
    if (known !== undefined && known >= 0) this.known = known;
  }

  snapshot(): ExecutionProgress {
    const known = this.known !== null ? Math.max(this.known, this.done) : null;
    const percent = known ? Math.min(100, Math.round((this.done / known) * 1000) / 10) : known === 0 ? 100 : null;
    return { assets_done: this.done, assets_known: known, percent, phase: this.phase };
  }

  finished(): ExecutionProgress {
    this.phase = 'finished';
    return { ...this.snapshot(), assets_known: Math.max(this.known ?? 0, this.done), percent: 100 };
  }
}
