// Attention rollout (Abnar & Zuidema 2020) over an AttentionStack: the full per-layer matrices for the
// rollout view, and single rows (one token's, or the mean of a span's) for the explanation. Pure math.

import { AttentionStack, aggregateHeads, allHeads } from './attention';

/** The weight of the residual (identity) term in rollout: Ã = RESIDUAL·I + (1 − RESIDUAL)·A. */
export const ROLLOUT_RESIDUAL = 0.5;

/**
 * Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers").
 * Per layer: average the heads (A), add the residual connection as identity — 0.5·A + 0.5·I,
 * the paper's choice, which treats the skip path and the attention path as carrying equal
 * shares of each token's representation — then renormalise each row to sum to 1, and multiply
 * the layers from the first up: R₀ = Â₀, Rₗ = Âₗ · Rₗ₋₁. Row i of Rₗ says how much of token i's
 * representation after layer l flows from each input token.
 *
 * Returns one [seq, seq] matrix per layer (the rollout up to and including that layer).
 */
export function rollout(stack: AttentionStack, residual = ROLLOUT_RESIDUAL): Float32Array[] {
  const { seq, heads } = stack;
  const all = allHeads(heads);
  const out: Float32Array[] = [];
  let prev: Float64Array | null = null;
  for (const layer of stack.layers) {
    const a = withResidual(aggregateHeads(layer, seq, all, 'mean'), seq, residual);
    const r: Float64Array = prev === null ? a : multiply(a, prev, seq);
    out.push(Float32Array.from(r));
    prev = r;
  }
  return out;
}

/**
 * One row of the rollout over all layers: what token i's representation after the last layer
 * draws from each input token — row i of rollout(stack)'s last matrix, without building it.
 * Row i of Â_L·…·Â_0 is ((e_i·Â_L)·Â_{L−1})·…·Â_0: one vector–matrix product per layer, O(L·seq²)
 * instead of the full products' O(L·seq³/6). The explanation needs only this row; the full
 * matrices are for the rollout view. `layerMean` reuses means the caller keeps.
 */
export function rolloutRow(
  stack: AttentionStack, i: number, residual = ROLLOUT_RESIDUAL, layerMean?: (layer: number) => Float32Array,
): Float32Array {
  return rolloutSpanRow(stack, i, i + 1, residual, layerMean);
}

/**
 * The mean of rollout rows first … end−1 (a word's, or several words explained as one) at the cost
 * of one row: the products are linear in the starting vector, so the mean of the rows is the mean
 * of their starting rows carried through the layers once — not end−first rows of O(L·seq²) each.
 */
export function rolloutSpanRow(
  stack: AttentionStack, first: number, end: number, residual = ROLLOUT_RESIDUAL, layerMean?: (layer: number) => Float32Array,
): Float32Array {
  const { seq, heads, layers } = stack;
  if (!(first >= 0 && end > first && end <= seq)) throw new Error(`rollout rows [${first}, ${end}) are outside 0…${seq}`);
  const all = allHeads(heads);
  const mean = (l: number): Float32Array => (layerMean ? layerMean(l) : aggregateHeads(layers[l], seq, all, 'mean'));
  const last = layers.length - 1;
  // v = mean of rows first … end−1 of Â_last
  let v: Float64Array = new Float64Array(seq);
  const a = mean(last);
  const row = new Float64Array(seq);
  const share = 1 / (end - first);
  for (let i = first; i < end; i++) {
    let sum = 0;
    for (let j = 0; j < seq; j++) {
      row[j] = (1 - residual) * a[i * seq + j] + (i === j ? residual : 0);
      sum += row[j];
    }
    if (sum > 0) for (let j = 0; j < seq; j++) v[j] += (row[j] / sum) * share;
  }
  for (let l = last - 1; l >= 0; l--) v = timesWithResidual(v, mean(l), seq, residual);
  return Float32Array.from(v);
}

/**
 * v · Â for Â = (1 − r)·A + r·I with rows renormalised (as withResidual), without forming Â:
 * with w_k = v_k / (row k's sum), (v·Â)_j = (1 − r)·Σ_k w_k·A_kj + r·w_j.
 */
function timesWithResidual(v: Float64Array, a: Float32Array, seq: number, residual: number): Float64Array {
  const out: Float64Array = new Float64Array(seq);
  for (let k = 0; k < seq; k++) {
    if (v[k] === 0) continue;
    const at = k * seq;
    let sum = 0;
    for (let j = 0; j < seq; j++) sum += (1 - residual) * a[at + j];
    sum += residual;
    if (sum <= 0) continue;
    const w = v[k] / sum;
    out[k] += residual * w;
    const wa = (1 - residual) * w;
    for (let j = 0; j < seq; j++) out[j] += wa * a[at + j];
  }
  return out;
}

/** (1 − r)·A + r·I with every row renormalised to sum to 1, in float64. */
export function withResidual(a: Float32Array, seq: number, residual: number): Float64Array {
  const out = new Float64Array(seq * seq);
  for (let i = 0; i < seq; i++) {
    let sum = 0;
    for (let j = 0; j < seq; j++) {
      const v = (1 - residual) * a[i * seq + j] + (i === j ? residual : 0);
      out[i * seq + j] = v;
      sum += v;
    }
    if (sum > 0) for (let j = 0; j < seq; j++) out[i * seq + j] /= sum;
  }
  return out;
}

/**
 * a · b for [seq, seq] matrices. Skips zeros: for a causal model both are lower-triangular, so
 * only about seq³/6 multiply-adds are done instead of seq³.
 */
export function multiply(a: Float64Array, b: Float64Array, seq: number): Float64Array {
  // Last non-zero column of each row of b: the inner loop stops there.
  const end = new Int32Array(seq);
  for (let k = 0; k < seq; k++) {
    let e = seq;
    while (e > 0 && b[k * seq + e - 1] === 0) e--;
    end[k] = e;
  }
  const out = new Float64Array(seq * seq);
  for (let i = 0; i < seq; i++) {
    const oi = i * seq;
    for (let k = 0; k < seq; k++) {
      const w = a[oi + k];
      if (w === 0) continue;
      const bk = k * seq;
      for (let j = 0, e = end[k]; j < e; j++) out[oi + j] += w * b[bk + j];
    }
  }
  return out;
}
