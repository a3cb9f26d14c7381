// Timing and summary statistics for the benchmark. Pure except `sample`, which only calls the
// function it is given and reads the clock.

/** The median of a non-empty list (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The median, or null when nothing was measured (a missing figure is null, never 0). */
export function medianOrNull(xs: readonly number[] | null | undefined): number | null {
  return xs && xs.length > 0 ? median(xs) : null;
}

/** a / b when both are measured and b > 0, else null. */
export function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b <= 0 ? null : a / b;
}

/** Least-squares slope of ys over their indices: per-step growth of a series (bytes per run). */
export function slope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) throw new Error('a slope needs at least two values');
  const mx = (n - 1) / 2;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, i) => {
    num += (i - mx) * (y - my);
    den += (i - mx) * (i - mx);
  });
  return num / den;
}

/** Rounds a figure for results.json: 3 significant decimals of a millisecond are plenty. */
export function round(x: number | null, digits = 3): number | null {
  if (x === null) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Runs `fn` `warmup` times unmeasured, then `runs` times, and returns each measured run's
 * wall time in milliseconds (performance.now around the awaited call).
 */
export async function sample(fn: () => unknown, warmup: number, runs: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}
