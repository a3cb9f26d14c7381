// The labels a head earns from its role scores (headRoles.ts), the probe's scores (headProbe.ts)
// and the heads the model's config names: shown as badges in the panel's grid and head picker, and
// cited by the explanation ("layer 4 head 2, pronoun head"). Pure.

import type { ProbeScores } from './headProbe';
import { ROLES, ROLE_KINDS, RoleKind, RoleScores } from './headRoles';

/** Where a label's score was measured. */
export type RoleSource = 'text' | 'probe' | 'config';

export interface HeadLabel {
  /** A role kind, or the config's name for a named head ("pronoun"). */
  kind: string;
  /** "previous-token", "pronoun head, trained". */
  label: string;
  /** On a badge: "prev", "pronoun". */
  short: string;
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
      kind: n.kind, label, short: n.kind, score: null, source: 'config', trained: n.trained,
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
      kind: k, label: ROLES[k].label, short: ROLES[k].short, score: s, source: source[k], trained: false,
      title: `${ROLES[k].label} ${s.toFixed(2)} ${where}: ${ROLES[k].meaning}`,
    });
  }
  return out;
}

/**
 * How the explanation names a head: its first label ("pronoun head, trained", "previous-token"),
 * or for a head with none its closest role and score ("no clear role, nearest broad 0.41").
 */
export function citeRole(labels: readonly HeadLabel[], scores: RoleScores): string {
  if (labels.length) return labels[0].label;
  let best: RoleKind | null = null;
  for (const k of ROLE_KINDS) if (scores[k] !== null && (best === null || (scores[k] as number) > (scores[best] as number))) best = k;
  return best === null ? 'no clear role' : `no clear role, nearest ${ROLES[best].label} ${(scores[best] as number).toFixed(2)}`;
}

export interface RunRoles {
  /** Per layer, per head: the scores shown (the probe's where measured, else this text's). */
  scores: RoleScores[][];
  /** Per layer, per head: its labels, named heads first, then roles by score. */
  labels: HeadLabel[][][];
}

/** Every head's labels for one run: its own scores merged with the probe's, plus the config's named heads. */
export function runRoles(text: RoleScores[][], probe: ProbeScores | null, config: HeadNames): RunRoles {
  const named = namedHeadInfos(config);
  const scores: RoleScores[][] = [];
  const labels: HeadLabel[][][] = [];
  text.forEach((row, l) => {
    scores.push([]);
    labels.push([]);
    row.forEach((t, h) => {
      const m = mergeScores(t, probe?.[l]?.[h] ?? null);
      scores[l].push(m.scores);
      labels[l].push(headLabels(l, h, m.scores, m.source, named));
    });
  });
  return { scores, labels };
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
