// How an attention weight becomes an editor highlight: one of BUCKETS decoration types, whose
// background alpha grows linearly with the weight. Pure, so it is unit-tested without VS Code.

export const BUCKETS = 10;

/** Weights below this are not drawn: at 0.5% the highlight would be invisible and only clutter. */
export const MIN_DRAWN_WEIGHT = 0.005;

/** The bucket of a weight in [0, 1]: 0.0–0.1 → 0, …, 0.9–1.0 → 9; -1 when it is not drawn. */
export function bucketOf(weight: number): number {
  if (!Number.isFinite(weight) || weight < MIN_DRAWN_WEIGHT) return -1;
  return Math.min(BUCKETS - 1, Math.floor(weight * BUCKETS));
}

/** Background alpha of a bucket: proportional to the bucket's upper weight, at most 0.7. */
export function bucketAlpha(bucket: number): number {
  return (0.7 * (bucket + 1)) / BUCKETS;
}

/** A weight as the panel and the hover show it: "51%", or "0.4%" below 1%. */
export function percent(weight: number): string {
  const p = weight * 100;
  return p >= 1 || p === 0 ? `${Math.round(p)}%` : `${p.toFixed(1)}%`;
}
