// What a head does, read from its attention: one score in [0, 1] per role, and the labels a head
// earns. Pure functions over one run's attention (no DOM, no I/O); the webview scores every head
// of a run, and the "Probe heads" command scores them on a fixed probe input (headProbe.ts).
//
// Every score is a mean over the query rows that can show the role, so it reads as "this head puts
// on average S of its attention where the role says". A row counts only when it has at least
// MIN_KEYS keys it may attend to: the first tokens of a causal model have almost no choice, and
// their rows would make every head look like a self or start-token head. Long runs are scored on
// at most MAX_ROWS rows, evenly spaced, which keeps scoring all heads cheap (a mean over 128 rows
// moves by a few hundredths at most from the mean over all).

import type { AttentionStack } from './attention';
import type { TokenInfo } from './protocol/common';

export type RoleKind = 'previous' | 'self' | 'sink' | 'duplicate' | 'induction' | 'local' | 'broad' | 'delimiter';

export interface RoleInfo {
  /** Shown on a badge: "prev". */
  short: string;
  /** Its name in tooltips and the explanation: "previous-token". */
  label: string;
  /** What a score means, for the tooltip. */
  meaning: string;
  /** The score from which a head is labelled with the role. */
  threshold: number;
}

/** How far "local" reaches on either side. */
export const LOCAL_WINDOW = 4;

export const ROLES: Readonly<Record<RoleKind, RoleInfo>> = {
  previous: { short: 'prev', label: 'previous-token', meaning: 'share of attention on the token just before', threshold: 0.5 },
  self: { short: 'self', label: 'self', meaning: 'share of attention on the token itself', threshold: 0.5 },
  sink: { short: 'sink', label: 'start/sink', meaning: 'share of attention on the start token (a resting place when nothing else matters)', threshold: 0.6 },
  duplicate: { short: 'dup', label: 'duplicate-token', meaning: 'share of attention on earlier occurrences of the same token', threshold: 0.3 },
  induction: { short: 'induct', label: 'induction', meaning: 'share of attention on the token that followed an earlier occurrence of the current one', threshold: 0.3 },
  local: { short: 'local', label: 'local window', meaning: `share of attention spread over the ${LOCAL_WINDOW} tokens on either side, beyond its single largest weight there`, threshold: 0.45 },
  broad: { short: 'broad', label: 'broad', meaning: 'entropy of the attention relative to uniform over every token it may see (1 = evenly spread)', threshold: 0.7 },
  delimiter: { short: 'delim', label: 'delimiter', meaning: 'attention on punctuation and line breaks beyond their share of the text (0 = no more than chance)', threshold: 0.35 },
};

export const ROLE_KINDS = Object.keys(ROLES) as RoleKind[];

/** A role's score, or null where the text cannot show it (no repeated token: no induction). */
export type RoleScores = Record<RoleKind, number | null>;

const MIN_KEYS = 3;
const MAX_ROWS = 128;

/** What the scorers need to know about the tokens, computed once per run. */
export interface RoleContext {
  seq: number;
  causal: boolean;
  special: Uint8Array;
  delimiter: Uint8Array;
  /** The rows that are scored (non-special, with at least MIN_KEYS keys). */
  rows: Int32Array;
  /** For each scored row: its earlier occurrences of the same token id (non-special). */
  earlier: Int32Array[];
}

/** Punctuation-only tokens and line breaks: what delimiter heads look at. */
export function isDelimiter(t: Pick<TokenInfo, 'text' | 'special'>): boolean {
  if (t.special) return false;
  if (/^\s*[\p{P}]+\s*$/u.test(t.text)) return true;
  return /\n/.test(t.text) && t.text.trim() === '';
}

export function roleContext(tokens: readonly Pick<TokenInfo, 'id' | 'text' | 'special'>[], causal: boolean): RoleContext {
  const seq = tokens.length;
  const special = Uint8Array.from(tokens, (t) => (t.special ? 1 : 0));
  const delimiter = Uint8Array.from(tokens, (t) => (isDelimiter(t) ? 1 : 0));
  const candidates: number[] = [];
  for (let i = 0; i < seq; i++) if (!special[i] && (causal ? i + 1 : seq) >= MIN_KEYS) candidates.push(i);
  const take = Math.min(candidates.length, MAX_ROWS);
  const rows = new Int32Array(take);
  for (let k = 0; k < take; k++) rows[k] = candidates[Math.floor((k * candidates.length) / take)];
  const seen = new Map<number, number[]>();
  const earlierOf: number[][] = new Array(seq);
  for (let i = 0; i < seq; i++) {
    if (special[i]) continue;
    const list = seen.get(tokens[i].id) ?? [];
    earlierOf[i] = list.slice();
    list.push(i);
    seen.set(tokens[i].id, list);
  }
  return { seq, causal, special, delimiter, rows, earlier: Array.from(rows, (i) => Int32Array.from(earlierOf[i])) };
}

/** Every role's score for one head's [seq, seq] matrix. */
export function scoreHead(m: Float32Array, ctx: RoleContext): RoleScores {
  const { seq, causal, special, delimiter } = ctx;
  if (m.length !== seq * seq) throw new Error(`matrix has ${m.length} values, expected ${seq}×${seq}`);
  const sums: Record<RoleKind, number> = { previous: 0, self: 0, sink: 0, duplicate: 0, induction: 0, local: 0, broad: 0, delimiter: 0 };
  const counts: Record<RoleKind, number> = { previous: 0, self: 0, sink: 0, duplicate: 0, induction: 0, local: 0, broad: 0, delimiter: 0 };
  const add = (k: RoleKind, v: number): void => {
    sums[k] += v;
    counts[k]++;
  };
  ctx.rows.forEach((i, r) => {
    const at = i * seq;
    const last = causal ? i : seq - 1;
    const keys = last + 1;
    add('self', m[at + i]);
    if (i > 0 && !special[i - 1]) add('previous', m[at + i - 1]);
    let sink = 0;
    let entropy = 0;
    let delimMass = 0;
    let delimKeys = 0;
    let plainKeys = 0;
    let localMass = 0;
    let localPeak = 0;
    let localKeys = 0;
    for (let j = 0; j <= last; j++) {
      const w = m[at + j];
      if (w > 0) entropy -= w * Math.log(w);
      if (special[j]) {
        if (j !== i) sink += w;
        continue;
      }
      if (j !== i) {
        plainKeys++;
        if (delimiter[j]) {
          delimKeys++;
          delimMass += w;
        }
      }
      if (Math.abs(i - j) <= LOCAL_WINDOW) {
        localKeys++;
        localMass += w;
        if (w > localPeak) localPeak = w;
      }
    }
    add('sink', sink);
    if (keys >= 4) add('broad', entropy / Math.log(keys));
    if (localKeys >= MIN_KEYS) add('local', localMass - localPeak);
    if (delimKeys > 0 && delimKeys < plainKeys) {
      const chance = delimKeys / plainKeys;
      add('delimiter', Math.max(0, (delimMass - chance) / (1 - chance)));
    }
    const earlier = ctx.earlier[r];
    if (earlier.length > 0) {
      let dup = 0;
      let ind = 0;
      let anyInduction = false;
      for (const j of earlier) {
        if (j <= last) dup += m[at + j];
        const next = j + 1;
        // The token after an earlier occurrence, when it is not the current token itself.
        if (next < i && !special[next]) {
          ind += m[at + next];
          anyInduction = true;
        }
      }
      add('duplicate', dup);
      if (anyInduction) add('induction', ind);
    }
  });
  const out = {} as RoleScores;
  for (const k of ROLE_KINDS) out[k] = counts[k] ? Math.min(1, Math.max(0, sums[k] / counts[k])) : null;
  return out;
}

/** Scores of every head: [layer][head]. */
export function scoreStack(stack: AttentionStack, ctx: RoleContext): RoleScores[][] {
  const n = stack.seq * stack.seq;
  return stack.layers.map((layer) =>
    Array.from({ length: stack.heads }, (_, h) => scoreHead(layer.subarray(h * n, (h + 1) * n), ctx)));
}
