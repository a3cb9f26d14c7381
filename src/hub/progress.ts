// Bytes of total, speed and time left, from the bytes as they arrive. Speed is taken over the last
// few seconds, so a stall shows at once and a resumed download does not count its old bytes.

export interface DownloadProgress {
  done: number;
  total: number;
  /** Bytes per second over the last seconds; 0 before there is a measure. */
  speed: number;
  /** Seconds left at that speed, or undefined while unknown. */
  secondsLeft?: number;
  /** The repo path being fetched. */
  file: string;
}

const WINDOW_MS = 5000;

export class ProgressMeter {
  private samples: { t: number; bytes: number }[] = [];
  private received = 0;

  constructor(private readonly total: number, private done: number, private readonly now: () => number = Date.now) {}

  /** `n` new bytes of `file` arrived. */
  add(n: number, file: string): DownloadProgress {
    this.done += n;
    this.received += n;
    const t = this.now();
    this.samples.push({ t, bytes: this.received });
    while (this.samples.length > 2 && t - this.samples[0]!.t > WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const span = (t - first.t) / 1000;
    const speed = span > 0.2 ? (this.received - first.bytes) / span : 0;
    const p: DownloadProgress = { done: this.done, total: this.total, speed, file };
    if (speed > 0) p.secondsLeft = Math.max(0, (this.total - this.done) / speed);
    return p;
  }
}

/** "12.5 MB of 540 MB — 8.1 MB/s, 1 min 5 s left". */
export function describeProgress(p: DownloadProgress): string {
  const mb = (n: number): string => `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)} MB`;
  let s = `${mb(p.done)} of ${mb(p.total)}`;
  if (p.speed > 0) s += ` — ${mb(p.speed)}/s`;
  if (p.secondsLeft !== undefined) {
    const t = Math.round(p.secondsLeft);
    s += `, ${t >= 60 ? `${Math.floor(t / 60)} min ${t % 60} s` : `${t} s`} left`;
  }
  return s;
}
