// How many tokens a run may have: the user's maxTokens, the model's context, and the attention
// memory budget. The page holds every layer's probabilities at once (layers × heads × seq² × 4
// bytes), so a deep model at a long window is what would exhaust the panel's memory; the window
// shrinks to fit the budget instead, and the panel says why. Pure.

export const DEFAULT_ATTENTION_BUDGET_MB = 256;
const MB = 1024 * 1024;

/** Bytes of the attention probabilities of one run. */
export function attentionBytes(layers: number, heads: number, tokens: number): number {
  return layers * heads * tokens * tokens * 4;
}

/** The most tokens whose attention fits in `budgetMB` (at least 2: a run needs something to attend to). */
export function tokensWithin(budgetMB: number, layers: number, heads: number): number {
  const n = Math.floor(Math.sqrt((budgetMB * MB) / (layers * heads * 4)));
  return Math.max(2, n);
}

export type LimitedBy = 'setting' | 'model' | 'memory';

export interface TokenLimit {
  tokens: number;
  by: LimitedBy;
  /** Said to the user when the budget, not the setting or the model, set the limit. */
  reason: string | null;
}

export interface LimitInputs {
  /** attentionLens.maxTokens. */
  setting: number;
  /** The model's max_tokens. */
  model: number;
  layers: number;
  heads: number;
  /** attentionLens.attentionMemoryMB. */
  budgetMB: number;
}

export function tokenLimit(i: LimitInputs): TokenLimit {
  const setting = Math.max(2, Math.floor(i.setting));
  const memory = tokensWithin(i.budgetMB, i.layers, i.heads);
  const tokens = Math.min(setting, i.model, memory);
  if (memory === tokens && memory < setting && memory < i.model) {
    const wanted = Math.min(setting, i.model);
    const mb = (n: number): string => `${Math.round(n / MB)} MB`;
    return {
      tokens,
      by: 'memory',
      reason: `${wanted} tokens of ${i.layers} layers × ${i.heads} heads would need ${mb(attentionBytes(i.layers, i.heads, wanted))} of attention, more than the attentionLens.attentionMemoryMB budget (${i.budgetMB} MB); the window is ${tokens} tokens`,
    };
  }
  return { tokens, by: setting <= i.model ? 'setting' : 'model', reason: null };
}
