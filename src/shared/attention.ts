// Pure attention math shared by the webview (views, explanation) and the tests. No DOM, no I/O.
//
// Layout: one layer's attention is a Float32Array of [heads, seq, seq], row-major, exactly as
// onnxruntime returns `attentions.i` for batch 1: element (h, i, j) is how much token i (the
// query, "from") attends to token j (the key, "to"). Each row (h, i, ·) is a softmax and sums to 1.

import type { Target } from './protocol/common';

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
