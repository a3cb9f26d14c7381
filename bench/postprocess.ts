// Post-processing cost on one run's real attention (from the native peer): head aggregation,
// rollout, top-k and the explanation text — the shared pure functions the webview calls.
import { AttentionStack, aggregateHeads, allHeads, rollout, topFrom } from '../src/shared/attention';
import { explain } from '../src/shared/explain';
import { ModelConfig } from '../src/shared/modelConfig';
import { TokenInfo } from '../src/shared/protocol';
import { median, sample } from './stats';

export interface PostprocessTimes {
  /** Mean of all heads, every layer. */
  aggregateMs: number;
  /** Rollout over all layers. */
  rolloutMs: number;
  /** Top targets of the focus token in the last layer's mean. */
  topkMs: number;
  /** The explanation for the focus token (given the rollout, as the webview has it). */
  explainMs: number;
  /** All four in one go: what a run costs after inference. */
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
  const rolled = rollout(stack);
  const top = (): unknown => topFrom(means[means.length - 1], seq, focus, { k: 3, exclude: (i) => tokens[i].special });
  const words = (r: Float32Array[]): unknown => explain({ tokens, stack, config, focus, rollout: r });
  const whole = (): unknown => {
    aggregate();
    const r = rollout(stack);
    top();
    return words(r);
  };
  return {
    aggregateMs: median(await sample(aggregate, warmup, runs)),
    rolloutMs: median(await sample(() => rollout(stack), warmup, runs)),
    topkMs: median(await sample(top, warmup, runs)),
    explainMs: median(await sample(() => words(rolled), warmup, runs)),
    totalMs: median(await sample(whole, warmup, runs)),
  };
}
