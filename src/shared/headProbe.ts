// The fixed probe input of "Attention Lens: Probe heads": random ordinary tokens, then the same
// tokens again. A text may never repeat itself, so induction and duplicate-token heads stay
// invisible on it; on the probe's second half every token has an earlier occurrence, and the
// token after that occurrence is what an induction head predicts (Olsson et al. 2022, "In-context
// Learning and Induction Heads", which measures induction heads on repeated random tokens).
// Pure: the same model always gets the same probe (a seeded generator, no Math.random).

import type { TokenInfo } from './protocol/common';
import { ROLE_KINDS, RoleScores } from './headRoles';
import { seededRandom } from './seededRandom';

/** Tokens in each half of the probe (fewer when the model's context is shorter). */
export const PROBE_HALF = 48;
export const PROBE_SEED = 0x5eed1e55;


export interface ProbeOptions {
  /** Token ids the tokenizer can produce: 0..vocabSize-1. */
  vocabSize: number;
  /** Ids never drawn (special and added tokens). */
  exclude: ReadonlySet<number>;
  /** What the model expects before any text (bos, [CLS]); may be empty. */
  prefix: readonly TokenInfo[];
  /** What it expects after the text ([SEP]); may be empty. */
  suffix?: readonly TokenInfo[];
  /** Most tokens the model takes in one run. */
  maxTokens: number;
  seed?: number;
}

/**
 * The probe: prefix, then `half` distinct random ordinary tokens, then the same `half` tokens
 * again, then the suffix. Tokens have no source text (start = end = 0). Distinct within a half,
 * so each token of the second half has exactly one earlier occurrence.
 */
export function probeTokens(opts: ProbeOptions): TokenInfo[] {
  const suffix = opts.suffix ?? [];
  const half = Math.min(PROBE_HALF, Math.floor((opts.maxTokens - opts.prefix.length - suffix.length) / 2));
  const pool = opts.vocabSize - [...opts.exclude].filter((id) => id >= 0 && id < opts.vocabSize).length;
  if (half < 4) throw new Error(`the model takes ${opts.maxTokens} tokens: too few for the probe (at least ${opts.prefix.length + suffix.length + 8})`);
  if (pool < half) throw new Error(`the tokenizer has ${pool} ordinary tokens: too few for the probe (${half})`);
  const next = seededRandom(opts.seed ?? PROBE_SEED);
  const picked: number[] = [];
  const seen = new Set<number>();
  while (picked.length < half) {
    const id = Math.floor(next() * opts.vocabSize);
    if (opts.exclude.has(id) || seen.has(id)) continue;
    seen.add(id);
    picked.push(id);
  }
  const plain = (id: number): TokenInfo => ({ id, text: '', start: 0, end: 0, special: false });
  const special = (t: TokenInfo): TokenInfo => ({ ...t, start: 0, end: 0, special: true });
  return [...opts.prefix.map(special), ...picked.map(plain), ...picked.map(plain), ...suffix.map(special)];
}

/** The probe's scores as they are kept: per layer, per head, per role (null: not measured). */
export type ProbeScores = RoleScores[][];

/** Checks that cached or received probe scores fit a model of this shape; the reason when not. */
export function probeScoresProblem(scores: ProbeScores, layers: number, heads: number): string | null {
  if (scores.length !== layers) return `probe scores for ${scores.length} layers, the model has ${layers}`;
  for (const row of scores) {
    if (row.length !== heads) return `probe scores for ${row.length} heads, the model has ${heads}`;
    for (const s of row) {
      for (const k of ROLE_KINDS) {
        const v = s[k];
        if (v !== null && !(typeof v === 'number' && v >= 0 && v <= 1)) return `probe score ${k} = ${String(v)} is not in [0, 1]`;
      }
    }
  }
  return null;
}
