// The words for "what does this token attend to": pure functions over one run's attention.
// Layers and heads are numbered from 1 in every text here (the config and the arrays are 0-based).
// Percentages are the weights themselves, rounded to whole percent — never renormalised.

import { AttentionStack, aggregateHeads, allHeads, headMatrix, row, topTargets } from './attention';
import { rolloutRow } from './rollout';
import type { ModelConfig } from './modelConfig';
import type { Target, TokenInfo } from './protocol/common';

/** How many targets each line names. */
export const TARGETS_PER_LINE = 3;

/** How a token is written in the explanation: its text without surrounding whitespace. */
export function tokenLabel(t: Pick<TokenInfo, 'text' | 'special'>, index: number): string {
  if (t.special) return index === 0 ? '<bos>' : '<special>';
  const trimmed = t.text.trim();
  if (trimmed) return trimmed;
  // A whitespace-only token still needs something visible.
  return t.text.replace(/\r/g, '').replace(/\n/g, '↵').replace(/\t/g, '⇥').replace(/ /g, '␣') || '␣';
}

/** A weight as a whole percent; a non-zero weight that rounds to 0 is "<1%". */
export function percent(w: number): string {
  const p = Math.round(w * 100);
  return p === 0 && w > 0 ? '<1%' : `${p}%`;
}

export interface HeadWeight { layer: number; head: number; weight: number }

export interface Explanation {
  focus: number;
  /** One line: "it → animal 51%, it 31%, street 19%" (rollout over all layers). */
  summary: string;
  lines: string[];
  /** Top targets of the mean of heads, per layer (special tokens left out). */
  perLayer: Target[][];
  /** Top targets of the rollout over all layers (special tokens left out). */
  rollout: Target[];
  /** The token the head ranking is about, or null when there is none. */
  topTarget: number | null;
  /** The three heads with the most weight on topTarget (0-based layer and head). */
  topHeads: HeadWeight[];
}

export interface ExplainInput {
  tokens: readonly Pick<TokenInfo, 'text' | 'special'>[];
  stack: AttentionStack;
  config: Pick<ModelConfig, 'heads'>;
  focus: number;
  /** The rollout matrices (one per layer) when the caller has them already. */
  rollout?: Float32Array[];
  /** The mean of all heads of a layer, when the caller keeps them. */
  layerMean?: (layer: number) => Float32Array;
  /**
   * The focus's row of the rollout over all layers, when the caller computes it otherwise: in
   * the words view it is the rollout on tokens grouped into words (src/shared/words.ts).
   */
  rolloutRow?: (focus: number) => Float32Array;
  /** What a head does ("previous-token", "pronoun head, trained"), cited after it; else the config's names. */
  headRole?: (layer: number, head: number) => string;
  /** 'word': the units are words (the first line says how their numbers are made). */
  unit?: 'token' | 'word';
  /**
   * The model card's head for this kind of token (the pronoun head for a pronoun, src/shared/focusKind.ts)
   * and how it is named ("pronoun head, trained"): the headline cites what it attends to.
   */
  cite?: { layer: number; head: number; label: string };
}

/**
 * Explains what token `focus` attends to: (a) the mean of the heads of each layer, (b) rollout
 * over all layers, (c) the three heads that put the most weight on the top target, and the
 * heads the model card names (config.heads), when there are any.
 *
 * Special tokens (<bos>) are left out of the rankings — they soak up much of the attention in
 * most heads and carry no source text — but their share is written after each line, so the
 * numbers shown still add up to what the model computed.
 *
 * Each line ranks the targets other than the focus token itself (rollout adds the identity at
 * every layer, so a token's own share is inflated by construction) and prints its own share
 * beside, as it does <bos>'s: `it → street 8%, because 7% (itself 11%, <bos> 19%)`.
 */
export function explain(input: ExplainInput): Explanation {
  const { tokens, stack, config, focus } = input;
  const { seq, heads } = stack;
  if (tokens.length !== seq) throw new Error(`${tokens.length} tokens but attention for ${seq}`);
  if (!Number.isInteger(focus) || focus < 0 || focus >= seq) throw new Error(`token ${focus} is outside 0..${seq - 1}`);
  const label = (i: number): string => tokenLabel(tokens[i], i);
  const special = (i: number): boolean => tokens[i].special;
  // A line leads with what the focus attends to other than itself; its own share and the special
  // tokens' are written beside, so the numbers still add up to what the model computed.
  const top = (w: ArrayLike<number>): Target[] => topTargets(w, { k: TARGETS_PER_LINE, exclude: (i) => special(i) || i === focus });
  const describe = (w: ArrayLike<number>, targets: Target[]): string => {
    let specialShare = 0;
    for (let i = 0; i < seq; i++) if (special(i) && i !== focus) specialShare += w[i];
    const beside = [
      ...(!special(focus) && w[focus] > 0 ? [`itself ${percent(w[focus])}`] : []),
      ...(specialShare > 0 ? [`<bos> ${percent(specialShare)}`] : []),
    ];
    if (!targets.length) return `${label(focus)} → ${beside.join(', ') || '(nothing)'}`;
    const named = targets.map((t) => `${label(t.index)} ${percent(t.weight)}`).join(', ');
    return `${label(focus)} → ${named}${beside.length ? ` (${beside.join(', ')})` : ''}`;
  };

  const words = input.unit === 'word'
    ? ' In words: attention to a word is the sum over its tokens, from a word the mean over its tokens.'
    : '';
  const lines: string[] = [
    `What "${label(focus)}" attends to. Layers and heads are numbered from 1; percentages are attention weights, rounded.${words}`,
  ];
  const all = allHeads(heads);
  const perLayer: Target[][] = [];
  stack.layers.forEach((layer, l) => {
    const mean = input.layerMean ? input.layerMean(l) : aggregateHeads(layer, seq, all, 'mean');
    const w = row(mean, seq, focus);
    const targets = top(w);
    perLayer.push(targets);
    lines.push(`Layer ${l + 1}, mean of ${heads} heads: ${describe(w, targets)}`);
  });

  // Only the focus token's row of the rollout is needed: rolloutRow computes it without the
  // full matrix products (which cost most of a first overlay at 512 tokens, bench/README.md).
  const rw = input.rollout ? row(input.rollout[input.rollout.length - 1], seq, focus)
    : input.rolloutRow ? input.rolloutRow(focus) : rolloutRow(stack, focus, undefined, input.layerMean);
  const rolloutTargets = top(rw);
  const rolloutLine = describe(rw, rolloutTargets);
  lines.push(`Rollout over layers 1–${stack.layers.length} (Abnar & Zuidema 2020, each layer 0.5·A + 0.5·I): ${rolloutLine}`);
  let summary = rolloutLine;
  if (input.cite && input.cite.layer < stack.layers.length && input.cite.head < heads) {
    const { layer, head, label: name } = input.cite;
    const first = top(row(headMatrix(stack.layers[layer], head, seq), seq, focus))[0];
    if (first) summary += `; layer ${layer + 1} head ${head + 1}, ${name}: ${label(first.index)} ${percent(first.weight)}`;
  }

  const named = namedHeads(config);
  const nameOf = (l: number, h: number): string => {
    if (input.headRole) {
      const role = input.headRole(l, h);
      return role ? `, ${role}` : '';
    }
    const n = named.find((x) => x.layer === l && x.head === h);
    return n ? `, ${n.kind} head` : '';
  };
  const topTarget = rolloutTargets.length ? rolloutTargets[0].index : null;
  let topHeads: HeadWeight[] = [];
  if (topTarget === null) {
    lines.push(`No token before "${label(focus)}" other than <bos> to rank heads by.`);
  } else {
    topHeads = headsOnTarget(stack, focus, topTarget).slice(0, 3);
    const list = topHeads.map((x) => `layer ${x.layer + 1} head ${x.head + 1}${nameOf(x.layer, x.head)}: ${percent(x.weight)}`);
    lines.push(`Heads with the most weight on "${label(topTarget)}": ${list.join('; ')}`);
  }
  for (const n of named) {
    const w = row(headMatrix(stack.layers[n.layer], n.head, seq), seq, focus);
    lines.push(`The model card's ${n.kind} head, layer ${n.layer + 1} head ${n.head + 1}: ${describe(w, top(w))}`);
  }
  return { focus, summary, lines, perLayer, rollout: rolloutTargets, topTarget, topHeads };
}

/** Every (layer, head) by the weight it puts from `from` on `to`, largest first. */
export function headsOnTarget(stack: AttentionStack, from: number, to: number): HeadWeight[] {
  const { seq, heads } = stack;
  const out: HeadWeight[] = [];
  stack.layers.forEach((layer, l) => {
    for (let h = 0; h < heads; h++) out.push({ layer: l, head: h, weight: layer[(h * seq + from) * seq + to] });
  });
  return out.sort((a, b) => b.weight - a.weight || a.layer - b.layer || a.head - b.head);
}

export interface NamedHead { kind: string; layer: number; head: number }

/** The heads config.json names ("pronoun", "code"), 0-based. */
export function namedHeads(config: Pick<ModelConfig, 'heads'>): NamedHead[] {
  const out: NamedHead[] = [];
  for (const [kind, lh] of Object.entries(config.heads ?? {})) {
    if (lh) out.push({ kind, layer: lh[0], head: lh[1] });
  }
  return out;
}
