// Run bookkeeping: increasing run ids, which run is current, which are still in flight. Only the
// current run's messages are acted on; starting a run reports the in-flight ones to cancel.

export class RunLedger {
  private next = 1;
  private latest: number | null = null;
  private readonly inFlight = new Set<number>();

  /** Starts a run: its id, and the runs still in flight that the webview should cancel. */
  start(): { runId: number; cancel: number[] } {
    const runId = this.next++;
    const cancel = [...this.inFlight];
    this.inFlight.clear();
    this.inFlight.add(runId);
    this.latest = runId;
    return { runId, cancel };
  }

  /** The latest run's id (null before the first run). */
  get current(): number | null {
    return this.latest;
  }

  isCurrent(runId: number | null): boolean {
    return runId !== null && runId === this.latest;
  }

  isInFlight(runId: number): boolean {
    return this.inFlight.has(runId);
  }

  /** The run ended (result or error); no cancel is needed for it any more. */
  finish(runId: number): void {
    this.inFlight.delete(runId);
  }

  /** The webview went away: nothing it ran is in flight any more. */
  dropAll(): void {
    this.inFlight.clear();
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }
}
