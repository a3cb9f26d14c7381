// Post-processing cost on one run's real attention (from the native peer), with the shared pure
// functions the webview calls: head aggregation, rollout, top-k and the explanation text.
import { AttentionStack, aggregateHeads, allHeads, topFrom } from '../src/shared/attention';
import { rollout, rolloutRow } from '../src/shared/rollout';
import { explain } from '../src/shared/explain';
import { ModelConfig } from '../src/shared/modelConfig';
import { TokenInfo } from '../src/shared/protocol';
import { median, sample } from './stats';

export interface PostprocessTimes {
  /** Mean of all heads, every layer (the webview keeps these). */
  aggregateMs: number;
  /** The focus token's row of the rollout over all layers (what the explanation needs). */
  rolloutRowMs: number;
  /** The full rollout matrices, every layer (only when the user picks the rollout view). */
  rolloutFullMs: number;
  /** Top targets of the focus token in the last layer's mean. */
  topkMs: number;
  /** The explanation for the focus token, given the layer means. */
  explainMs: number;
  /** What pinning a token costs after inference: means, top-k, explanation (with its rollout row). */
  totalMs: number;
}

/** Medians of each step for `focus` (the last token: the longest row). */
export async function measurePostprocess(
  stack: AttentionStack, tokens: readonly TokenInfo[], config: ModelConfig, warmup: number, runs: number,
): Promise<PostprocessTimes> {
  const { seq, heads } = stack;
  const focus = seq - 1;
  const all = allHeads(heads);
  const aggregate = (): Float32Array[] => stack.layers.map((l) => aggregateHeads(l, seq, all, 'mean'));
  const means = aggregate();
  const top = (m: Float32Array[]): unknown => topFrom(m[m.length - 1], seq, focus, { k: 3, exclude: (i) => tokens[i].special });
  const words = (m: Float32Array[]): unknown => explain({ tokens, stack, config, focus, layerMean: (l) => m[l] });
  const whole = (): unknown => {
    const m = aggregate();
    top(m);
    return words(m);
  };
  return {
    aggregateMs: median(await sample(aggregate, warmup, runs)),
    rolloutRowMs: median(await sample(() => rolloutRow(stack, focus, undefined, (l) => means[l]), warmup, runs)),
    rolloutFullMs: median(await sample(() => rollout(stack), warmup, runs)),
    topkMs: median(await sample(() => top(means), warmup, runs)),
    explainMs: median(await sample(() => words(means), warmup, runs)),
    totalMs: median(await sample(whole, warmup, runs)),
  };
}
