// Words from tokens: the units a reader points at ("animal", not "an" + "imal"), and attention
// between them. Pure functions, no DOM, no I/O; the webview and the tests import them.
//
// A word is a maximal run of consecutive tokens that the tokenizer's own pre-tokenization put in
// one piece (the same word id). A special token (<bos>, [CLS], [SEP]) is always a unit of its own,
// so the start token stays visible. Attention between words follows Clark et al. 2019 ("What Does
// BERT Look At?", §2): attention TO a word is the sum of the attention to its tokens, attention
// FROM a word the mean over its tokens. Each token row sums to 1, so each word row does too; and
// since words are contiguous and in order, a causal model still puts exactly 0 on later words.

import type { AttentionStack } from './attention';
import type { TokenInfo } from './protocol/common';

/** Tokens [first, end) form one unit. */
export interface Unit { first: number; end: number }

export interface Grouping {
  /** Every unit's tokens, in order; together they cover each token exactly once. */
  units: Unit[];
  /** For every token, the index of the unit that holds it. */
  unitOf: Int32Array;
}

/** The word id of a token as tokenizers give it: a number, or null (special tokens) / a negative number. */
export type WordId = number | null;

/**
 * Groups tokens into words: a new word starts at every special token, at every token after a
 * special token, and wherever the word id changes. A token with no word id (null or negative)
 * that is not special stands alone.
 */
export function groupWords(tokens: readonly Pick<TokenInfo, 'special'>[], wordIds: readonly WordId[]): Grouping {
  if (wordIds.length !== tokens.length) throw new Error(`${wordIds.length} word ids for ${tokens.length} tokens`);
  const units: Unit[] = [];
  const unitOf = new Int32Array(tokens.length);
  const hasId = (i: number): boolean => wordIds[i] !== null && (wordIds[i] as number) >= 0 && !tokens[i].special;
  for (let i = 0; i < tokens.length; i++) {
    const joins = i > 0 && hasId(i) && hasId(i - 1) && wordIds[i] === wordIds[i - 1];
    if (joins) units[units.length - 1].end = i + 1;
    else units.push({ first: i, end: i + 1 });
    unitOf[i] = units.length - 1;
  }
  return { units, unitOf };
}

/** Every token its own unit (the tokens view, and models whose tokenizer gives no word ids). */
export function tokenGrouping(count: number): Grouping {
  const units: Unit[] = [];
  const unitOf = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    units.push({ first: i, end: i + 1 });
    unitOf[i] = i;
  }
  return { units, unitOf };
}

/** True when every unit is a single token (grouping changes nothing). */
export function isIdentity(g: Grouping): boolean {
  return g.units.every((u) => u.end - u.first === 1);
}

/**
 * A [seq, seq] token matrix as a [n, n] word matrix (n = units): W[a, b] = mean over tokens i of
 * word a of the sum over tokens j of word b of M[i, j]. Sums in float64. `causal`: the matrix
 * puts exactly 0 on later tokens, so words after a are not read (half the work).
 */
export function groupMatrix(m: Float32Array, seq: number, g: Grouping, causal = false): Float32Array {
  if (m.length !== seq * seq) throw new Error(`matrix has ${m.length} values, expected ${seq}×${seq}`);
  if (g.unitOf.length !== seq) throw new Error(`grouping is for ${g.unitOf.length} tokens, the matrix for ${seq}`);
  const n = g.units.length;
  const out = new Float32Array(n * n);
  for (let a = 0; a < n; a++) {
    const { first, end } = g.units[a];
    const inv = 1 / (end - first);
    const lastB = causal ? a : n - 1;
    for (let b = 0; b <= lastB; b++) {
      // Contiguous runs: each word's columns are summed in place, no scatter.
      const u = g.units[b];
      let s = 0;
      for (let i = first; i < end; i++) {
        const at = i * seq;
        for (let j = u.first; j < u.end; j++) s += m[at + j];
      }
      out[a * n + b] = s * inv;
    }
  }
  return out;
}

/**
 * One word's row from its tokens' rows (each a length-seq vector): the mean over the word's
 * tokens, then summed into words. Used for rollout, which is computed on tokens (see
 * groupRolloutRow) and only then put into words.
 */
export function groupRow(rowOf: (token: number) => ArrayLike<number>, g: Grouping, unit: number): Float32Array {
  const n = g.units.length;
  const { first, end } = g.units[unit];
  const acc = new Float64Array(n);
  for (let i = first; i < end; i++) {
    const r = rowOf(i);
    for (let j = 0; j < r.length; j++) if (r[j] !== 0) acc[g.unitOf[j]] += r[j];
  }
  const inv = 1 / (end - first);
  const out = new Float32Array(n);
  for (let b = 0; b < n; b++) out[b] = acc[b] * inv;
  return out;
}

/**
 * A row over tokens summed into units. With rolloutSpanRow (the mean of a unit's tokens' rollout
 * rows, at the cost of one) it gives what groupRow gives from each token's row.
 */
export function groupColumns(r: ArrayLike<number>, g: Grouping): Float32Array {
  const acc = new Float64Array(g.units.length);
  for (let j = 0; j < r.length; j++) if (r[j] !== 0) acc[g.unitOf[j]] += r[j];
  return Float32Array.from(acc);
}

/** Every layer and head of a run as word attention: a [heads, n, n] array per layer. */
export function groupStack(stack: AttentionStack, g: Grouping, causal = false): AttentionStack {
  const { seq, heads } = stack;
  const n = g.units.length;
  if (isIdentity(g) && n === seq) return stack;
  const layers = stack.layers.map((layer) => {
    const out = new Float32Array(heads * n * n);
    for (let h = 0; h < heads; h++) {
      out.set(groupMatrix(layer.subarray(h * seq * seq, (h + 1) * seq * seq), seq, g, causal), h * n * n);
    }
    return out;
  });
  return { layers, heads, seq: n };
}

/**
 * The units as tokens for the views: a word's text is its tokens' texts joined (their ranges are
 * contiguous: no word boundary lies inside), its range the union of theirs, its id the first
 * token's. A special token stays as it is.
 */
export function groupTokens(tokens: readonly TokenInfo[], g: Grouping): TokenInfo[] {
  return g.units.map(({ first, end }) => {
    if (end - first === 1) return tokens[first];
    const part = tokens.slice(first, end);
    return {
      id: part[0].id,
      // Text between tokens that no token covers (white space a WordPiece tokenizer drops) is a space.
      text: part.map((t, k) => (k > 0 && t.start > part[k - 1].end ? ` ${t.text}` : t.text)).join(''),
      start: Math.min(...part.map((t) => t.start)),
      end: Math.max(...part.map((t) => t.end)),
      special: false,
    };
  });
}
