// "Probe heads" in the page: the model runs on the host's fixed probe tokens (headProbe.ts) and
// every head's roles are scored on that run; the scores go back to the host, which caches them per
// model, and label the heads here at once.
import { makeStack } from '../src/shared/attention';
import { roleContext, scoreStack } from '../src/shared/headRoles';
import type { ModelConfig } from '../src/shared/modelConfig';
import type { ProbeMessage, ProbeResultMessage } from '../src/shared/protocol';
import { errorText } from './backend';
import type { Engine } from './inference';

export async function runProbe(msg: ProbeMessage, engine: Promise<Engine>, config: ModelConfig): Promise<ProbeResultMessage> {
  const { probeId } = msg;
  try {
    if (msg.tokens.length > config.max_tokens) throw new Error(`the probe has ${msg.tokens.length} tokens; the model takes ${config.max_tokens}`);
    const result = await (await engine).run(msg.tokens.map((t) => t.id));
    const stack = makeStack(result.outputs.attentions, config.num_heads, msg.tokens.length);
    const scores = scoreStack(stack, roleContext(msg.tokens, config.architecture === 'causal'));
    return { type: 'probeResult', probeId, scores, error: null };
  } catch (e) {
    return { type: 'probeResult', probeId, scores: null, error: `the probe run failed: ${errorText(e)}` };
  }
}
