// The unit the panel shows: tokens, or words (src/shared/words.ts). In the words view every view
// (token view, hovers, grid, explanation, exports) reads a run whose "tokens" are words and whose
// attention is grouped; what needs tokens (the model's own queries and keys, the host's token
// indices, head roles) reads the token run kept beside it.
//
// Rollout in words is the rollout on tokens, grouped afterwards — not the rollout of the grouped
// matrices: the residual connection that rollout adds as the identity runs per token, so a word's
// representation is its tokens' representations, and grouping before rolling out would mix
// tokens of one word at every layer as if the model did.
import { rolloutSpanRow } from '../src/shared/rollout';
import { Grouping, Unit, groupColumns, groupMatrix, groupStack, groupTokens, groupWords, tokenGrouping } from '../src/shared/words';
import type { HighlightTarget, Target } from '../src/shared/protocol';
import { joinUnits } from '../src/shared/focusGroup';
import { Matrices, RunData } from './runData';

export type UnitKind = 'token' | 'word';

/** Language ids read as prose: words by default. Everything else is code: tokens by default. */
const PROSE = new Set(['markdown', 'plaintext', 'latex', 'tex', 'restructuredtext', 'asciidoc', 'text', 'git-commit', 'org', 'mdx']);

export function isProse(languageId: string): boolean {
  return PROSE.has(languageId);
}

/** The user's choice per kind of text; the defaults are words for prose, tokens for code. */
export interface UnitChoice { prose: UnitKind; code: UnitKind }
export const DEFAULT_UNITS: UnitChoice = { prose: 'word', code: 'token' };

/** The unit for a run: the choice for its kind of text, tokens when the run has no word ids. */
export function unitFor(data: RunData, choice: UnitChoice): UnitKind {
  if (!data.message.wordIds) return 'token';
  return isProse(data.message.source.languageId) ? choice.prose : choice.code;
}

/** A causal model puts exactly 0 on later tokens: grouping skips them. */
const causal = (run: RunData): boolean => run.config.architecture === 'causal';

/** The matrices of a run in the chosen unit, with the way back to tokens. */
export class UnitMatrices extends Matrices {
  /** The token-level matrices (this object itself in the tokens view). */
  readonly tokens: Matrices;
  private rolledWords: Float32Array[] | null = null;
  private readonly rolloutRows = new Map<number, Float32Array>();

  private constructor(readonly tokenRun: RunData, readonly grouping: Grouping, readonly unit: UnitKind) {
    super(unit === 'word'
      ? { ...tokenRun, tokens: groupTokens(tokenRun.tokens, grouping), stack: groupStack(tokenRun.stack, grouping, causal(tokenRun)) }
      : tokenRun);
    this.tokens = unit === 'word' ? new Matrices(tokenRun) : this;
  }

  static of(data: RunData, unit: UnitKind): UnitMatrices {
    const ids = data.message.wordIds;
    const word = unit === 'word' && ids !== undefined;
    const { focus, focusEnd } = data.message;
    // A selection of several words explained together is one unit (src/shared/focusGroup.ts).
    const grouping = word
      ? (focus !== null && focusEnd !== undefined ? joinUnits(groupWords(data.tokens, ids), focus, focusEnd) : groupWords(data.tokens, ids))
      : tokenGrouping(data.tokens.length);
    return new UnitMatrices(data, grouping, word ? 'word' : 'token');
  }

  /** Whether this run can be shown in words at all (the host sent word ids). */
  get hasWords(): boolean {
    return this.tokenRun.message.wordIds !== undefined;
  }

  override rollout(): Float32Array[] {
    if (this.unit === 'token') return super.rollout();
    if (!this.rolledWords) {
      const seq = this.tokenRun.stack.seq;
      this.rolledWords = this.tokens.rollout().map((m) => groupMatrix(m, seq, this.grouping, causal(this.tokenRun)));
    }
    return this.rolledWords;
  }

  /**
   * Unit u's row of the rollout over all layers (rollout on tokens, then grouped): the mean of its
   * tokens' rows, carried through the layers once (a selection of 500 tokens explained as one unit
   * took 500 rows, 0.8 s, per explanation). Kept per unit: a run's explanation is asked for more than once.
   */
  rolloutRow(u: number): Float32Array {
    let row = this.rolloutRows.get(u);
    if (!row) {
      const mean = (l: number): Float32Array => this.tokens.layerMean(l);
      const { first, end } = this.grouping.units[u];
      const tokens = rolloutSpanRow(this.tokenRun.stack, first, end, undefined, mean);
      row = this.unit === 'token' ? tokens : groupColumns(tokens, this.grouping);
      this.rolloutRows.set(u, row);
    }
    return row;
  }

  /** The unit holding token i. */
  unitOf(token: number): number {
    return this.grouping.unitOf[token];
  }

  /** The tokens [first, end) of unit u. */
  span(u: number): Unit {
    return this.grouping.units[u];
  }

  /** The token that stands for unit u where a token is needed (the three steps): its last, which has seen the whole word. */
  lastToken(u: number): number {
    return this.grouping.units[u].end - 1;
  }
}

/** A unit-level highlight as the host reads it: token indices, with the word's token span [index, end). */
export function hostHighlight(
  m: UnitMatrices, active: number | null, targets: readonly Target[],
): { tokenIndex: number | null; tokenEnd?: number; targets: HighlightTarget[] } {
  const toTokens = (t: Target): HighlightTarget => {
    const { first, end } = m.span(t.index);
    return end - first > 1 ? { index: first, end, weight: t.weight } : { index: first, weight: t.weight };
  };
  if (active === null) return { tokenIndex: null, targets: [] };
  const { first, end } = m.span(active);
  return end - first > 1
    ? { tokenIndex: first, tokenEnd: end, targets: targets.map(toTokens) }
    : { tokenIndex: first, targets: targets.map(toTokens) };
}
