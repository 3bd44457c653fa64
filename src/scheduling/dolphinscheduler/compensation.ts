/**
 * The undo steps of a change made of several calls to another system. Each successful step
 * registers how to undo it; on failure `rollback` runs them newest first and reports any that
 * failed, so nothing is left half-made without anyone being told.
 */
export class Compensation {
  private readonly undo: Array<{ what: string; run: () => Promise<unknown> }> = [];

  /** Registers the undo of a step that just succeeded. */
  push(what: string, run: () => Promise<unknown>): void {
    this.undo.push({ what, run });
  }

  get size(): number {
    return this.undo.length;
  }

  /** Undoes every registered step, newest first; returns what could not be undone. */
  async rollback(): Promise<string[]> {
    const failed: string[] = [];
    while (this.undo.length) {
      const step = this.undo.pop()!;
      try {
        await step.run();
      } catch (err) {
        failed.push(`${step.what} (${err instanceof Error ? err.message : String(err)})`);
      }
    }
    return failed;
  }
}
