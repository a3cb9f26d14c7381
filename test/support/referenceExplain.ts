// The explanation the panel should show, computed from attention the tests got elsewhere (the
// model run natively by onnxruntime-node): the same pure functions the page uses — head roles
// scored on the token run (merged with probe scores when given), and in the words view the
// grouping by the run's word ids with rollout on tokens, grouped after.
import { AttentionStack } from '../../src/shared/attention';
import { rolloutRow } from '../../src/shared/rollout';
import { Explanation, explain } from '../../src/shared/explain';
import type { ProbeScores } from '../../src/shared/headProbe';
import { HeadNames, citeRole, runRoles } from '../../src/shared/headLabels';
import { roleContext, scoreStack } from '../../src/shared/headRoles';
import type { ModelConfig } from '../../src/shared/modelConfig';
import type { TokenInfo } from '../../src/shared/protocol';
import { groupRow, groupStack, groupTokens, groupWords } from '../../src/shared/words';

export interface ReferenceOptions {
  /** Explain in words, grouped by these word ids (the run message's). */
  wordIds?: readonly number[];
  /** The probe's scores the panel has for this model, if any. */
  probe?: ProbeScores | null;
}

/** The explanation of token `focus` (a token index; in words, the word holding it). */
export function referenceExplanation(
  tokens: readonly TokenInfo[], stack: AttentionStack, config: ModelConfig & HeadNames, focus: number, opts: ReferenceOptions = {},
): Explanation {
  const roles = runRoles(scoreStack(stack, roleContext(tokens, config.architecture === 'causal')), opts.probe ?? null, config);
  const headRole = (l: number, h: number): string => citeRole(roles.labels[l][h], roles.scores[l][h]);
  if (!opts.wordIds) return explain({ tokens, stack, config, focus, headRole, unit: 'token' });
  const g = groupWords(tokens, opts.wordIds);
  return explain({
    tokens: groupTokens(tokens, g), stack: groupStack(stack, g), config, focus: g.unitOf[focus], headRole, unit: 'word',
    rolloutRow: (u) => groupRow((i) => rolloutRow(stack, i), g, u),
  });
}
