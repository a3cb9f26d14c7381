// One session.run at a time, and only the newest run matters: a run that a newer one or a cancel
// has overtaken is skipped before it starts and is not rendered when it ends.

export class RunQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private newest = -Infinity;
  private readonly cancelled = new Set<number>();

  /** A run arrived: it overtakes every older run. */
  begin(runId: number): void {
    this.newest = Math.max(this.newest, runId);
  }

  cancel(runId: number): void {
    this.cancelled.add(runId);
  }

  /** Still worth doing: the newest run, not cancelled. */
  isLive(runId: number): boolean {
    return runId === this.newest && !this.cancelled.has(runId);
  }

  /** Runs `task` after every earlier task has settled; resolves to its value. */
  enqueue<T>(task: () => Promise<T>): Promise<T> {
    const p = this.tail.then(task);
    this.tail = p.catch(() => undefined);
    return p;
  }
}
