// Pure attention math shared by the webview (views, explanation) and the tests. No DOM, no I/O.
//
// Layout: one layer's attention is a Float32Array of [heads, seq, seq], row-major, exactly as
// onnxruntime returns `attentions.i` for batch 1: element (h, i, j) is how much token i (the
// query, "from") attends to token j (the key, "to"). Each row (h, i, ·) is a softmax and sums to 1.

import type { Target } from './protocol';

/** One run's attention: a [heads, seq, seq] array per layer. */
export interface AttentionStack {
  layers: Float32Array[];
  heads: number;
  seq: number;
}

/** How the heads of one layer are combined into a single [seq, seq] matrix. */
export type HeadAggregation = 'mean' | 'max';

/** Checks that every layer has heads·seq·seq numbers; throws naming the first layer that does not. */
export function makeStack(layers: Float32Array[], heads: number, seq: number): AttentionStack {
  layers.forEach((l, i) => {
    if (l.length !== heads * seq * seq) {
      throw new Error(`attentions.${i} has ${l.length} values, expected ${heads}×${seq}×${seq}`);
    }
  });
  return { layers, heads, seq };
}

/** A view (no copy) of one head's [seq, seq] matrix inside a layer. */
export function headMatrix(layer: Float32Array, head: number, seq: number): Float32Array {
  const n = seq * seq;
  return layer.subarray(head * n, (head + 1) * n);
}

/**
 * Combines the given heads of one layer: 'mean' averages them (rows still sum to 1), 'max' takes
 * the element-wise maximum (rows no longer sum to 1; it shows where any head looks).
 */
export function aggregateHeads(
  layer: Float32Array, seq: number, heads: readonly number[], how: HeadAggregation,
): Float32Array {
  if (heads.length === 0) throw new Error('at least one head must be selected');
  const n = seq * seq;
  const out = new Float32Array(n);
  if (how === 'mean') {
    // Sum in float64 per element would cost a second buffer; float32 sums of ≤ 64 heads of values
    // in [0, 1] stay well inside 1e-6 of the exact mean.
    for (const h of heads) {
      const m = layer.subarray(h * n, (h + 1) * n);
      for (let k = 0; k < n; k++) out[k] += m[k];
    }
    const inv = 1 / heads.length;
    for (let k = 0; k < n; k++) out[k] *= inv;
  } else {
    out.set(layer.subarray(heads[0] * n, (heads[0] + 1) * n));
    for (const h of heads.slice(1)) {
      const m = layer.subarray(h * n, (h + 1) * n);
      for (let k = 0; k < n; k++) if (m[k] > out[k]) out[k] = m[k];
    }
  }
  return out;
}

/** All head indices 0..heads-1. */
export function allHeads(heads: number): number[] {
  return Array.from({ length: heads }, (_, h) => h);
}

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

/** Row i of a [seq, seq] matrix: what token i attends to. A view, no copy. */
export function row(m: Float32Array, seq: number, i: number): Float32Array {
  return m.subarray(i * seq, (i + 1) * seq);
}

/** Column j of a [seq, seq] matrix: how much each token attends to token j. */
export function column(m: Float32Array, seq: number, j: number): Float32Array {
  const out = new Float32Array(seq);
  for (let i = 0; i < seq; i++) out[i] = m[i * seq + j];
  return out;
}

export interface TopOptions {
  /** At most this many targets. */
  k: number;
  /** Leave out weights below this (after the first `atLeast`). Default 0: keep all but zeros. */
  minWeight?: number;
  /** Always keep this many of the largest non-zero weights, even under minWeight. Default 0. */
  atLeast?: number;
  /** Leave these indices out (special tokens, say). */
  exclude?: (index: number) => boolean;
}

/** The largest weights of a vector, largest first; ties keep the lower index first. */
export function topTargets(weights: ArrayLike<number>, opts: TopOptions): Target[] {
  const min = opts.minWeight ?? 0;
  const atLeast = Math.min(opts.atLeast ?? 0, opts.k);
  const picked: Target[] = [];
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (w > 0 && !(opts.exclude?.(i))) picked.push({ index: i, weight: w });
  }
  picked.sort((x, y) => y.weight - x.weight || x.index - y.index);
  const out: Target[] = [];
  for (const t of picked) {
    if (out.length >= opts.k) break;
    if (out.length >= atLeast && t.weight < min) break;
    out.push(t);
  }
  return out;
}

/** What token `from` attends to most (its row). */
export function topFrom(m: Float32Array, seq: number, from: number, opts: TopOptions): Target[] {
  return topTargets(row(m, seq, from), opts);
}

/** Which tokens attend most to token `to` (its column). */
export function topTo(m: Float32Array, seq: number, to: number, opts: TopOptions): Target[] {
  return topTargets(column(m, seq, to), opts);
}

/** The sum of every row of a [seq, seq] matrix, in float64. */
export function rowSums(m: Float32Array, seq: number): Float64Array {
  const out = new Float64Array(seq);
  for (let i = 0; i < seq; i++) {
    let s = 0;
    for (let j = 0; j < seq; j++) s += m[i * seq + j];
    out[i] = s;
  }
  return out;
}

/** The largest weight any token puts on a later token (0 for a causal model's attention). */
export function maxAboveDiagonal(m: Float32Array, seq: number): number {
  let worst = 0;
  for (let i = 0; i < seq; i++) for (let j = i + 1; j < seq; j++) worst = Math.max(worst, Math.abs(m[i * seq + j]));
  return worst;
}

// ---- the three steps for one token: Q·K, ÷√d_k, softmax -------------------

/** Numerically stable softmax; -Infinity entries (masked) get exactly 0. */
export function softmax(xs: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i] > max) max = xs[i];
  const out = new Float64Array(xs.length);
  if (max === -Infinity) return out;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    const e = xs[i] === -Infinity ? 0 : Math.exp(xs[i] - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < xs.length; i++) out[i] /= sum;
  return out;
}

export interface AttentionSteps {
  /** Step 1: q_i · k_j for every key j (−Infinity where a causal model masks j > i). */
  dots: Float64Array;
  /** Step 2: the dot products divided by √d_k. */
  scaled: Float64Array;
  /** Step 3: softmax of the scaled scores — token i's attention row. */
  weights: Float64Array;
  dk: number;
}

/**
 * Recomputes one token's attention row of one head from the model's `queries.l` and `keys.l`
 * outputs ([heads, seq, d_k] for batch 1): softmax(q_i · Kᵀ / √d_k), masking later tokens when
 * the model is causal.
 */
export function attentionSteps(
  queries: Float32Array, keys: Float32Array, head: number, seq: number, dk: number, token: number, causal: boolean,
): AttentionSteps {
  const base = head * seq * dk;
  const q = queries.subarray(base + token * dk, base + (token + 1) * dk);
  const dots = new Float64Array(seq);
  const scaled = new Float64Array(seq);
  const scale = 1 / Math.sqrt(dk);
  for (let j = 0; j < seq; j++) {
    if (causal && j > token) {
      dots[j] = -Infinity;
      scaled[j] = -Infinity;
      continue;
    }
    let d = 0;
    const k = base + j * dk;
    for (let c = 0; c < dk; c++) d += q[c] * keys[k + c];
    dots[j] = d;
    scaled[j] = d * scale;
  }
  return { dots, scaled, weights: softmax(scaled), dk };
}
