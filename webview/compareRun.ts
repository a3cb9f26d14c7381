// A comparison run in the page: the base text and every variant through the same engine, one
// after the other (the run queue's newest-wins rules apply to the whole comparison), then the
// base shown like any run and the variants beside it (compareView.ts).
import { alignTokens } from '../src/shared/alignVariants';
import { makeStack } from '../src/shared/attention';
import type { CompareMessage, InitMessage, RunMessage, ToHost, VariantInfo } from '../src/shared/protocol';
import { errorText } from './backend';
import { awaitEngine, yieldToMessages } from './engineWait';
import type { CompareSession } from './compareView';
import type { Header } from './header';
import { Engine, ModelContractError, RuntimeStuckError, fellBackReason } from './inference';
import type { PageState } from './pageState';
import type { RunData } from './runData';

export interface CompareRunDeps {
  state: PageState;
  header: Header;
  post: (msg: ToHost) => void;
  fail: (runId: number, text: string) => void;
  /** Still the newest run, not cancelled. */
  isLive: (runId: number) => boolean;
  /** The engine's load time when this is the first run to use it (then 0). */
  takeLoadMs: (engine: Engine) => number;
  render: (data: RunData) => void;
  showCompare: (session: CompareSession, focus: number | null) => void;
}

export async function runCompare(msg: CompareMessage, init: InitMessage, enginePromise: Promise<Engine>, d: CompareRunDeps): Promise<void> {
  const { runId } = msg;
  const { header, post, fail } = d;
  await yieldToMessages();
  if (!d.isLive(runId)) return;
  const config = init.model.config;
  const versions: VariantInfo[] = [msg.base, ...msg.variants];
  const bad = versions.find((v) => v.tokens.length === 0 || v.tokens.length > config.max_tokens);
  if (bad) {
    fail(runId, `"${bad.label}" has ${bad.tokens.length} tokens; the model takes 1 to ${config.max_tokens}`);
    return;
  }
  try {
    // Checked here so that a bad message fails before the model runs (the view aligns again, in its unit).
    for (const v of msg.variants) alignTokens(msg.base.text, msg.base.tokens, v.text, v.tokens);
  } catch (e) {
    fail(runId, `cannot align the variants: ${errorText(e)}`);
    return;
  }
  const engine = await awaitEngine(runId, init, enginePromise, d);
  if (!engine) return;
  const runs: RunData[] = [];
  let inferenceMs = 0;
  for (const [k, v] of versions.entries()) {
    if (!d.isLive(runId)) return;
    const what = `${k === 0 ? 'the base' : `variant ${k} of ${msg.variants.length} (${v.label})`}: ${v.tokens.length} tokens on ${engine.backend}`;
    header.busy(`Comparing: ${what}…`);
    post({ type: 'progress', runId, phase: 'running', detail: what });
    let result;
    try {
      result = await engine.run(v.tokens.map((t) => t.id));
    } catch (e) {
      if (e instanceof RuntimeStuckError) {
        d.state.save({ webGpuFailed: e.message });
        header.busy(`${fellBackReason(e.message)}: reloading the panel…`);
        post({ type: 'reload', reason: fellBackReason(e.message) });
        return;
      }
      fail(runId, e instanceof ModelContractError
        ? `${init.model.name} breaks the model contract: ${errorText(e)}`
        : `the model failed on "${v.label}": ${errorText(e)}`);
      return;
    }
    inferenceMs += result.inferenceMs;
    const message: RunMessage = {
      type: 'run', runId, source: msg.source, tokens: v.tokens, truncation: k === 0 ? msg.truncation : null,
      focus: k === 0 ? msg.focus : null, explain: false, ...(v.wordIds ? { wordIds: v.wordIds } : {}),
    };
    runs.push({
      runId, message, tokens: v.tokens, config, modelName: init.model.name,
      stack: makeStack(result.outputs.attentions, config.num_heads, v.tokens.length), outputs: result.outputs,
      backend: engine.backend, backendReason: engine.reason, loadMs: engine.loadMs, inferenceMs: result.inferenceMs,
      ...engine.runFacts(),
    });
    await yieldToMessages();
  }
  if (!d.isLive(runId)) return;
  const loadMs = d.takeLoadMs(engine);
  post({ type: 'progress', runId, phase: 'rendering', detail: '' });
  // The base is shown like a run; the comparison view reads the page's current matrices for it.
  d.render(runs[0]);
  if (d.state.current?.run.runId !== runId) return;
  const session: CompareSession = { runId, labels: msg.variants.map((v) => v.label), texts: versions.map((v) => v.text), runs };
  post({ type: 'result', runId, backend: engine.backend, backendReason: engine.reason, loadMs, inferenceMs });
  post({ type: 'progress', runId, phase: 'done', detail: '' });
  const later = d.state.takePending(runId);
  const focus = later && 'pin' in later ? later.pin ?? null : msg.focus;
  d.showCompare(session, focus !== null && focus >= 0 && focus < msg.base.tokens.length ? focus : null);
}
