// The explanation the panel should show, computed from attention the tests got elsewhere (the
// model run natively by onnxruntime-node): the same pure functions the page uses — head roles
// scored on the token run (merged with probe scores when given), and in the words view the
// grouping by the run's word ids with rollout on tokens, grouped after.
import { AttentionStack } from '../../src/shared/attention';
import { rolloutRow } from '../../src/shared/rollout';
import { ExplainInput, Explanation, explain } from '../../src/shared/explain';
import { cardHead, focusKind } from '../../src/shared/focusKind';
import type { ProbeScores } from '../../src/shared/headProbe';
import { HeadNames, citeRole, runRoles } from '../../src/shared/headLabels';
import { roleContext, scoreStack } from '../../src/shared/headRoles';
import type { ModelConfig } from '../../src/shared/modelConfig';
import type { TokenInfo } from '../../src/shared/protocol';
import { groupRow, groupStack, groupTokens, groupWords } from '../../src/shared/words';
import { isProse } from '../../webview/units';

export interface ReferenceOptions {
  /** Explain in words, grouped by these word ids (the run message's). */
  wordIds?: readonly number[];
  /** The probe's scores the panel has for this model, if any. */
  probe?: ProbeScores | null;
  /** The run's document language (default plaintext): code cites the card's code head for an identifier. */
  languageId?: string;
}

/** The explanation of token `focus` (a token index; in words, the word holding it). */
export function referenceExplanation(
  tokens: readonly TokenInfo[], stack: AttentionStack, config: ModelConfig & HeadNames, focus: number, opts: ReferenceOptions = {},
): Explanation {
  const roles = runRoles(scoreStack(stack, roleContext(tokens, config.architecture === 'causal')), opts.probe ?? null, config);
  const headRole = (l: number, h: number): string => citeRole(roles.labels[l][h], roles.scores[l][h]);
  // As the page does: the card's head for the kind of the focus (its word, in words) is cited.
  const inCode = !isProse(opts.languageId ?? 'plaintext');
  const cite = (text: string): Pick<ExplainInput, 'cite'> => {
    const card = cardHead(config, focusKind(text, inCode));
    return card ? { cite: { layer: card[0], head: card[1], label: headRole(card[0], card[1]) } } : {};
  };
  if (!opts.wordIds) return explain({ tokens, stack, config, focus, headRole, unit: 'token', ...cite(tokens[focus].text) });
  const g = groupWords(tokens, opts.wordIds);
  const words = groupTokens(tokens, g);
  const unit = g.unitOf[focus];
  return explain({
    tokens: words, stack: groupStack(stack, g), config, focus: unit, headRole, unit: 'word',
    rolloutRow: (u) => groupRow((i) => rolloutRow(stack, i), g, u), ...cite(words[unit].text),
  });
}
