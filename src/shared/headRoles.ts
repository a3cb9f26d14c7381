// What a head does, read from its attention: one score in [0, 1] per role, and the labels a head
// earns. Pure functions over one run's attention (no DOM, no I/O); the webview scores every head
// of a run, and the "Probe heads" command scores them on a fixed probe input (headProbe.ts).
//
// Every score is a mean over the query rows that can show the role, so it reads as "this head puts
// on average S of its attention where the role says". A row counts only when it has at least
// MIN_KEYS keys it may attend to: the first tokens of a causal model have almost no choice, and
// their rows would make every head look like a self or start-token head. Long runs are scored on
// at most MAX_ROWS rows, evenly spaced, which keeps scoring all heads cheap.

import type { AttentionStack } from './attention';
import type { TokenInfo } from './protocol';

export type RoleKind = 'previous' | 'self' | 'sink' | 'duplicate' | 'induction' | 'local' | 'broad' | 'delimiter';

export interface RoleInfo {
  /** Shown on the badge: "previous-token". */
  label: string;
  /** What a score means, for the tooltip. */
  meaning: string;
  /** The score from which a head is labelled with the role. */
  threshold: number;
}

/** How far "local" reaches on either side. */
export const LOCAL_WINDOW = 4;

export const ROLES: Readonly<Record<RoleKind, RoleInfo>> = {
  previous: { label: 'previous-token', meaning: 'share of attention on the token just before', threshold: 0.5 },
  self: { label: 'self', meaning: 'share of attention on the token itself', threshold: 0.5 },
  sink: { label: 'start/sink', meaning: 'share of attention on the start token (a resting place when nothing else matters)', threshold: 0.6 },
  duplicate: { label: 'duplicate-token', meaning: 'share of attention on earlier occurrences of the same token', threshold: 0.3 },
  induction: { label: 'induction', meaning: 'share of attention on the token that followed an earlier occurrence of the current one', threshold: 0.3 },
  local: { label: 'local window', meaning: `share of attention spread over the ${LOCAL_WINDOW} tokens on either side, beyond its single largest weight there`, threshold: 0.45 },
  broad: { label: 'broad', meaning: 'entropy of the attention relative to uniform over every token it may see (1 = evenly spread)', threshold: 0.7 },
  delimiter: { label: 'delimiter', meaning: 'attention on punctuation and line breaks beyond their share of the text (0 = no more than chance)', threshold: 0.35 },
};

export const ROLE_KINDS = Object.keys(ROLES) as RoleKind[];

/** A role's score, or null where the text cannot show it (no repeated token: no induction). */
export type RoleScores = Record<RoleKind, number | null>;

const MIN_KEYS = 3;
const MAX_ROWS = 256;

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

/** Where a label's score was measured. */
export type RoleSource = 'text' | 'probe' | 'config';

export interface HeadLabel {
  /** A role kind, or the config's name for a named head ("pronoun"). */
  kind: string;
  /** "previous-token", "pronoun head". */
  label: string;
  /** null for a head the config names (no score is measured for it). */
  score: number | null;
  source: RoleSource;
  /** A named head the model was trained to have (the config marks it). */
  trained: boolean;
  /** Tooltip: the score and what it means. */
  title: string;
}

/** Per role: the probe's score where the probe measured it, else the text's. */
export function mergeScores(text: RoleScores, probe: RoleScores | null): { scores: RoleScores; source: Record<RoleKind, RoleSource> } {
  const scores = {} as RoleScores;
  const source = {} as Record<RoleKind, RoleSource>;
  for (const k of ROLE_KINDS) {
    const p = probe?.[k];
    const fromProbe = p !== null && p !== undefined;
    scores[k] = fromProbe ? p : text[k];
    source[k] = fromProbe ? 'probe' : 'text';
  }
  return { scores, source };
}

export interface NamedHeadInfo { kind: string; layer: number; head: number; trained: boolean }

/**
 * One head's labels: the config's named heads first, then every role whose score reaches its
 * threshold, highest score first.
 */
export function headLabels(
  layer: number, head: number, scores: RoleScores, source: Record<RoleKind, RoleSource>, named: readonly NamedHeadInfo[],
): HeadLabel[] {
  const out: HeadLabel[] = [];
  for (const n of named) {
    if (n.layer !== layer || n.head !== head) continue;
    const label = `${n.kind} head${n.trained ? ', trained' : ''}`;
    out.push({
      kind: n.kind, label, score: null, source: 'config', trained: n.trained,
      title: `${label}: named by the model's config.json${n.trained ? ' (the model was trained to have it)' : ''}`,
    });
  }
  const roles = ROLE_KINDS
    .filter((k) => scores[k] !== null && (scores[k] as number) >= ROLES[k].threshold)
    .sort((a, b) => (scores[b] as number) - (scores[a] as number));
  for (const k of roles) {
    const s = scores[k] as number;
    const where = source[k] === 'probe' ? 'on the probe input' : 'on this text';
    out.push({
      kind: k, label: ROLES[k].label, score: s, source: source[k], trained: false,
      title: `${ROLES[k].label} ${s.toFixed(2)} ${where}: ${ROLES[k].meaning}`,
    });
  }
  return out;
}

/** "pronoun head, trained" / "previous-token" / "" — how the explanation names a head's role. */
export function roleName(labels: readonly HeadLabel[]): string {
  return labels.length ? labels[0].label : '';
}

/** The parts of the model config that name heads (config.json's heads / trained_heads, attention-lens.json's named_heads). */
export interface HeadNames {
  heads?: { [kind: string]: readonly [number, number] | undefined };
  trained_heads?: readonly string[];
  named_heads?: readonly { name: string; layer: number; head: number; trained?: boolean }[];
}

/** Every head the config names, 0-based, with whether it was trained for its role. */
export function namedHeadInfos(config: HeadNames): NamedHeadInfo[] {
  const out: NamedHeadInfo[] = [];
  for (const [kind, lh] of Object.entries(config.heads ?? {})) {
    if (lh) out.push({ kind, layer: lh[0], head: lh[1], trained: config.trained_heads?.includes(kind) ?? false });
  }
  for (const n of config.named_heads ?? []) {
    if (!out.some((o) => o.kind === n.name && o.layer === n.layer && o.head === n.head)) {
      out.push({ kind: n.name, layer: n.layer, head: n.head, trained: n.trained === true });
    }
  }
  return out;
}
