// What the user has chosen to look at: layer, heads, how heads are combined, direction. Plain data,
// saved with vscode.setState so a reloaded panel comes back the same.
import type { ModelConfig } from '../src/shared/modelConfig';

/**
 * head: one head. heads: the selected heads, each in its colour (intensity by their mean).
 * mean / max: the selected heads combined into one matrix. rollout: attention rollout over
 * layers 1..layer (every head, as Abnar & Zuidema define it).
 */
export type Mode = 'head' | 'heads' | 'mean' | 'max' | 'rollout';
export type Direction = 'from' | 'to';

export const MODES: readonly { mode: Mode; label: string }[] = [
  { mode: 'head', label: 'One head' },
  { mode: 'heads', label: 'Several heads' },
  { mode: 'mean', label: 'Mean' },
  { mode: 'max', label: 'Max' },
  { mode: 'rollout', label: 'Rollout' },
];

export interface ViewState {
  layer: number;
  /** The head shown in 'head' mode. */
  head: number;
  /** The heads used by 'heads', 'mean' and 'max' (sorted, never empty). */
  heads: number[];
  mode: Mode;
  direction: Direction;
}

/** The first view of a model: the head the model card names for pronouns, else the last layer's mean. */
export function defaultView(config: Pick<ModelConfig, 'num_layers' | 'num_heads' | 'heads'>): ViewState {
  const all = Array.from({ length: config.num_heads }, (_, h) => h);
  const named = config.heads?.pronoun ?? config.heads?.code;
  if (named) return { layer: named[0], head: named[1], heads: all, mode: 'head', direction: 'from' };
  return { layer: config.num_layers - 1, head: 0, heads: all, mode: 'mean', direction: 'from' };
}

/**
 * The view for explaining a token whose kind has a card head (`head`, from src/shared/focusKind.ts):
 * that head, while the view is one of the card's heads (as the panel opens); a view the user chose
 * otherwise is kept.
 */
export function viewForFocus(v: ViewState, config: Pick<ModelConfig, 'heads'>, head: [number, number] | null): ViewState {
  if (!head || v.mode !== 'head') return v;
  const onCardHead = Object.values(config.heads ?? {}).some((lh) => lh && lh[0] === v.layer && lh[1] === v.head);
  if (!onCardHead || (v.layer === head[0] && v.head === head[1])) return v;
  return { ...v, layer: head[0], head: head[1] };
}

/** A saved view if it fits this model (layers, heads), else the default. */
export function restoreView(saved: unknown, config: Pick<ModelConfig, 'num_layers' | 'num_heads' | 'heads'>): ViewState {
  const d = defaultView(config);
  if (typeof saved !== 'object' || saved === null) return d;
  const s = saved as Partial<ViewState>;
  const inRange = (v: unknown, n: number): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < n;
  if (!inRange(s.layer, config.num_layers) || !inRange(s.head, config.num_heads)) return d;
  if (!Array.isArray(s.heads) || s.heads.length === 0 || !s.heads.every((h) => inRange(h, config.num_heads))) return d;
  if (!MODES.some((m) => m.mode === s.mode) || (s.direction !== 'from' && s.direction !== 'to')) return d;
  return { layer: s.layer, head: s.head, heads: [...new Set(s.heads)].sort((a, b) => a - b), mode: s.mode as Mode, direction: s.direction };
}

/** The heads whose numbers the view shows. */
export function shownHeads(v: ViewState, numHeads: number): number[] {
  if (v.mode === 'head') return [v.head];
  if (v.mode === 'rollout') return Array.from({ length: numHeads }, (_, h) => h);
  return v.heads;
}

/** A short description: "layer 3, head 2" / "layer 3, mean of heads 1, 2, 5" (1-based). */
export function describeView(v: ViewState, numHeads: number): string {
  const layer = `layer ${v.layer + 1}`;
  const list = v.heads.length === numHeads ? 'all heads' : `heads ${v.heads.map((h) => h + 1).join(', ')}`;
  switch (v.mode) {
    case 'head': return `${layer}, head ${v.head + 1}`;
    case 'heads': return `${layer}, ${list} (intensity: their mean)`;
    case 'mean': return `${layer}, mean of ${list}`;
    case 'max': return `${layer}, max of ${list}`;
    case 'rollout': return `rollout over layers 1–${v.layer + 1}`;
  }
}
