// What changed when a word changed: pure difference math and wording for Compare. No DOM, no I/O.
//
// The base run and each variant are aligned (alignVariants.ts). The side-by-side table has one row
// per base token that every variant keeps, and one row for the edited span, whose weight in each
// version is the sum over its tokens there (so "tired" → "exhausted" compares one word with three
// tokens). Every row sums what a version computed, so the rows of a softmax row still add up to 1
// and a difference is the variant's weight minus the base's, never renormalised.
// Layers and heads are numbered from 1 in every text here, as in explain.ts.

import type { TokenAlignment } from './alignVariants';
import { AttentionStack } from './attention';
import { rolloutRow } from './rollout';
import { percent, tokenLabel } from './explain';
import type { TokenInfo } from './protocol/common';

type Tok = Pick<TokenInfo, 'text' | 'special'>;

export interface CompareRow {
  kind: 'same' | 'edited';
  /** Base token indices: one for 'same', the edited base tokens (maybe none) for 'edited'. */
  base: number[];
  /** Per variant, its token indices for this row. */
  variants: number[][];
}

/** A head "flips" when its top target changes and at least this share of its attention moved. */
export const FLIP_MIN_CHANGE = 0.1;
/** Targets named per line. */
const NAMED = 3;

/**
 * The rows of the table: the base tokens every variant keeps, in order, and at the place of the
 * edits one 'edited' row spanning every variant's edited base tokens (their union).
 */
export function compareRows(baseLength: number, alignments: readonly TokenAlignment[]): CompareRow[] {
  const edited = alignments.filter((a) => a.edit !== null);
  const from = edited.length ? Math.min(...edited.map((a) => a.baseSpan.from)) : baseLength;
  const to = edited.length ? Math.max(...edited.map((a) => a.baseSpan.to)) : baseLength;
  const rows: CompareRow[] = [];
  for (let i = 0; i <= baseLength; i++) {
    if (i === from && edited.length) {
      rows.push({
        kind: 'edited',
        base: range(from, to),
        variants: alignments.map((a) => a.toBase.flatMap((b, j) => (b === null || (b >= from && b < to) ? [j] : []))),
      });
    }
    if (i === baseLength) break;
    if (i >= from && i < to) continue;
    rows.push({
      kind: 'same',
      base: [i],
      variants: alignments.map((a) => {
        const j = a.toVariant[i];
        if (j === null) throw new Error(`base token ${i} is outside every edit but has no match`);
        return [j];
      }),
    });
  }
  return rows;
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);

/** Each row's weight in the base (index 0) and each variant (1..n): sums of the given vectors. */
export function rowWeights(rows: readonly CompareRow[], base: ArrayLike<number>, variants: readonly ArrayLike<number>[]): number[][] {
  const sum = (w: ArrayLike<number>, idx: number[]): number => idx.reduce((s, i) => s + w[i], 0);
  return rows.map((r) => [sum(base, r.base), ...variants.map((w, v) => sum(w, r.variants[v]))]);
}

/** Half the L1 distance between two versions' row weights: the share of attention that moved (0..1). */
export function moved(weights: readonly number[][], v: number): number {
  let s = 0;
  for (const w of weights) s += Math.abs(w[v] - w[0]);
  return s / 2;
}

/** The row with the largest weight in version v among the allowed rows, or null. */
export function topRow(weights: readonly number[][], v: number, allowed: (row: number) => boolean): number | null {
  let best: number | null = null;
  weights.forEach((w, r) => {
    if (allowed(r) && w[v] > 0 && (best === null || w[v] > weights[best][v])) best = r;
  });
  return best;
}

/** The weights of one (layer, head) row of token `from`. A view, no copy. */
function headRow(stack: AttentionStack, layer: number, head: number, from: number): Float32Array {
  const s = stack.seq;
  return stack.layers[layer].subarray((head * s + from) * s, (head * s + from + 1) * s);
}

/** Token `from`'s row of the mean of every head of a layer. */
export function meanRow(stack: AttentionStack, layer: number, from: number): Float64Array {
  const out = new Float64Array(stack.seq);
  for (let h = 0; h < stack.heads; h++) {
    const r = headRow(stack, layer, h, from);
    for (let j = 0; j < stack.seq; j++) out[j] += r[j] / stack.heads;
  }
  return out;
}

export interface CompareVersion {
  tokens: readonly Tok[];
  stack: AttentionStack;
}

export interface CompareVariant extends CompareVersion {
  /** How the variant differs, for the text: "tired → wide". */
  label: string;
  /** Base → this variant. */
  alignment: TokenAlignment;
}

export interface HeadChange {
  layer: number;
  head: number;
  /** Per variant: the share of the focus token's attention that moved in this head (0..1). */
  moved: number[];
  /** Per variant: the head's top target changed (and at least FLIP_MIN_CHANGE moved). */
  flips: boolean[];
  /** The top row in the base and in each variant (null when there is none). */
  top: (number | null)[];
}

export interface CompareInput {
  base: CompareVersion;
  variants: readonly CompareVariant[];
  /** The base token whose attention is compared. */
  focus: number;
  causal: boolean;
  /** The view on screen and its weights for the focus token in the base (0) and each variant (1..n). */
  view: { description: string; weights: readonly ArrayLike<number>[] };
  /**
   * The focus row of the rollout over all layers per version, when the caller has it (in words the
   * rollout runs on tokens and is grouped after: it cannot be computed from a grouped stack).
   */
  rollout?: readonly ArrayLike<number>[];
}

export interface Comparison {
  focus: number;
  /** The focus token in each variant. */
  focusIn: number[];
  rows: CompareRow[];
  /** A short name per row ("animal", or "tired→wide" for the edited row). */
  labels: string[];
  /** The view's weights: [row][0 = base, 1..n = variants]. */
  weights: number[][];
  heads: HeadChange[];
  /** True when a causal model's focus comes before every edit: nothing it attends to changed. */
  beforeEdit: boolean;
  /** One line per variant, in the issue's words: "it: animal 51% → 12%, street 19% → 63%; layer 4 head 2 flips". */
  summaries: string[];
  lines: string[];
}

/** Why a comparison cannot be made for this focus, or null when it can. */
export function cannotCompare(input: Pick<CompareInput, 'base' | 'variants' | 'focus'>): string | null {
  const { base, variants, focus } = input;
  if (!Number.isInteger(focus) || focus < 0 || focus >= base.tokens.length) return `token ${focus} is outside 0..${base.tokens.length - 1}`;
  if (variants.length === 0) return 'there is no variant to compare with';
  const f = tokenLabel(base.tokens[focus], focus);
  if (variants.some((v) => v.alignment.toVariant[focus] === null)) {
    return `"${f}" is part of the edit, so it has no counterpart in every version: pin a token outside the edit to compare what it attends to`;
  }
  return null;
}

/** Compares what the focus token attends to in the base and in each variant. Throws if cannotCompare says why. */
export function compare(input: CompareInput): Comparison {
  const problem = cannotCompare(input);
  if (problem) throw new Error(problem);
  const { base, variants, focus, causal } = input;
  const n = variants.length;
  const focusIn = variants.map((v) => v.alignment.toVariant[focus] as number);
  const rows = compareRows(base.tokens.length, variants.map((v) => v.alignment));
  const labels = rows.map((r) => rowLabel(r, base, variants));
  const focusRow = rows.findIndex((r) => r.kind === 'same' && r.base[0] === focus);
  const special = (r: number): boolean => rows[r].kind === 'same' && base.tokens[rows[r].base[0]].special;
  const named = (r: number): boolean => r !== focusRow && !special(r);
  const weightsOf = (get: (s: AttentionStack, f: number) => ArrayLike<number>): number[][] =>
    rowWeights(rows, get(base.stack, focus), variants.map((v, k) => get(v.stack, focusIn[k])));

  const heads: HeadChange[] = [];
  for (let l = 0; l < base.stack.layers.length; l++) {
    for (let h = 0; h < base.stack.heads; h++) {
      const w = weightsOf((s, f) => headRow(s, l, h, f));
      const top = [0, ...variants.map((_, k) => k + 1)].map((v) => topRow(w, v, named));
      const movedBy = variants.map((_, k) => moved(w, k + 1));
      heads.push({ layer: l, head: h, moved: movedBy, flips: movedBy.map((m, k) => m >= FLIP_MIN_CHANGE && top[k + 1] !== top[0]), top });
    }
  }
  // In a causal model the focus row sees only tokens up to the focus; before every edit those are
  // the same tokens in every version, so its attention cannot change (up to float rounding).
  const edited = rows.filter((r) => r.kind === 'edited');
  const beforeEdit = causal && edited.length > 0 && edited.every((r) =>
    r.base.every((b) => b > focus) && variants.every((_, k) => r.variants[k].every((j) => j > focusIn[k])));

  const weights = rowWeights(rows, input.view.weights[0], input.view.weights.slice(1));
  const focusName = tokenLabel(base.tokens[focus], focus);
  const change = (w: number[][], k: number): string => `${focusName}: ${changeList(w, k + 1, labels, named)}`;
  const flipsText = (k: number): string => flipList(heads.filter((x) => x.flips[k]).sort((a, b) => b.moved[k] - a.moved[k]));
  const summaries = variants.map((_, k) => `${change(weights, k)}; ${flipsText(k)}`);

  const rolled = input.rollout
    ? rowWeights(rows, input.rollout[0], input.rollout.slice(1))
    : weightsOf((s, f) => rolloutRow(s, f));
  const lines: string[] = [];
  variants.forEach((v, k) => {
    lines.push(`"${focusName}" with ${v.label}${n > 1 ? ` (variant ${k + 1} of ${n})` : ''}: base → variant. Layers and heads are numbered from 1; percentages are attention weights, rounded.`);
    if (beforeEdit) {
      lines.push(`"${focusName}" comes before the edit, and this model is causal: a token attends only to itself and earlier tokens, so an edit after it cannot change its attention. Pin a token after the edit to see a difference.`);
    }
    lines.push(`${input.view.description}: ${change(weights, k)}`);
    lines.push(`Rollout over layers 1–${base.stack.layers.length}: ${change(rolled, k)}`);
    for (let l = 0; l < base.stack.layers.length; l++) {
      lines.push(`Layer ${l + 1}, mean of ${base.stack.heads} heads: ${change(weightsOf((s, f) => meanRow(s, l, f)), k)}`);
    }
    const most = [...heads].sort((a, b) => b.moved[k] - a.moved[k]).slice(0, 3);
    lines.push(`Heads that changed most: ${most.map((x) => `layer ${x.layer + 1} head ${x.head + 1} (${percent(x.moved[k])} of its attention moved${x.flips[k] ? `; top target ${labelOr(labels, x.top[0])} → ${labelOr(labels, x.top[k + 1])}` : ''})`).join(', ')}`);
    lines.push(`Flips: ${flipsText(k)}`);
  });
  return { focus, focusIn, rows, labels, weights, heads, beforeEdit, summaries, lines };
}

const labelOr = (labels: readonly string[], r: number | null): string => (r === null ? '(none)' : labels[r]);

/** "animal 51% → 12%, street 19% → 63%": the top target before and after, then the largest moves. */
export function changeList(weights: readonly number[][], v: number, labels: readonly string[], allowed: (row: number) => boolean): string {
  const picked: number[] = [];
  const add = (r: number | null): void => {
    if (r !== null && !picked.includes(r) && picked.length < NAMED) picked.push(r);
  };
  add(topRow(weights, 0, allowed));
  add(topRow(weights, v, allowed));
  const byMove = weights.map((_, r) => r).filter((r) => allowed(r) && Math.abs(weights[r][v] - weights[r][0]) >= 0.005)
    .sort((a, b) => Math.abs(weights[b][v] - weights[b][0]) - Math.abs(weights[a][v] - weights[a][0]) || a - b);
  for (const r of byMove) add(r);
  if (picked.length === 0) return '(only special tokens)';
  return picked.map((r) => `${labels[r]} ${percent(weights[r][0])} → ${percent(weights[r][v])}`).join(', ');
}

/** "layer 4 head 2 flips", "layer 4 head 2 and layer 1 head 3 flip", "no head flips". */
export function flipList(flipping: readonly Pick<HeadChange, 'layer' | 'head'>[]): string {
  if (flipping.length === 0) return 'no head flips';
  const names = flipping.map((x) => `layer ${x.layer + 1} head ${x.head + 1}`);
  if (names.length === 1) return `${names[0]} flips`;
  if (names.length <= 3) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} flip`;
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more flip`;
}

function rowLabel(r: CompareRow, base: CompareVersion, variants: readonly CompareVariant[]): string {
  const words = (v: CompareVersion, idx: number[]): string => idx.map((i) => (v.tokens[i].special ? tokenLabel(v.tokens[i], i) : v.tokens[i].text)).join('').trim() || '∅';
  if (r.kind === 'same') return tokenLabel(base.tokens[r.base[0]], r.base[0]);
  const after = [...new Set(variants.map((v, k) => words(v, r.variants[k])))];
  return `${words(base, r.base)}→${after.join('|')}`;
}

/**
 * The replacements typed for a word: separated by "|", trimmed, empty ones and repeats left out,
 * and so is the word itself (it would compare the base with itself).
 */
export function splitReplacements(typed: string, word: string): string[] {
  const out: string[] = [];
  for (const part of typed.split('|')) {
    const r = part.trim();
    if (r && r !== word && !out.includes(r)) out.push(r);
  }
  return out;
}
