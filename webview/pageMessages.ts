// The page's message handling: protocol messages from the host in (init, run, cancel, pin,
// explain), model runs serialized with the newest winning, and progress / result / error out.
import { makeStack } from '../src/shared/attention';
import { modelFacts } from '../src/shared/modelSummary';
import { graphLabel } from '../src/shared/graphVariant';
import { graphFileName } from './modelGraph';
import type { CompareMessage, InitMessage, ProbeMessage, RunMessage, ToHost, ToWebview } from '../src/shared/protocol';
import { errorText } from './backend';
import { awaitEngine, yieldToMessages } from './engineWait';
import { BackendAuto } from './backendTrial';
import { runCompare } from './compareRun';
import type { Header } from './header';
import { Engine, ModelContractError, RuntimeStuckError, fellBackReason } from './inference';
import type { PageState } from './pageState';
import type { PageViews } from './pageViews';
import { runProbe } from './probeRunner';
import type { RunData } from './runData';
import { RunQueue } from './runQueue';


export interface MessageDeps {
  state: PageState;
  views: PageViews;
  header: Header;
  post: (msg: ToHost) => void;
  fail: (runId: number, text: string) => void;
  /** Shows a finished run (App.render: the bench calls it too). */
  render: (data: RunData) => void;
}

export class PageMessages {
  private readonly queue = new RunQueue();
  private readonly auto = new BackendAuto();
  private init: InitMessage | null = null;
  private engine: Promise<Engine> | null = null;
  private engineKey = '';
  /** The engine whose load time the next result reports (cleared once reported). */
  private freshEngine: Engine | null = null;
  private waitingForInit: RunMessage | CompareMessage | null = null;

  constructor(private readonly d: MessageDeps) {}

  handle(msg: ToWebview): void {
    const { state, views } = this.d;
    switch (msg.type) {
      case 'init': return this.onInit(msg);
      case 'run': return this.onRun(msg);
      case 'compare': return this.onCompare(msg);
      case 'cancel':
        this.queue.cancel(msg.runId);
        return;
      case 'probe': return this.onProbe(msg);
      case 'headRoles':
        state.roles.setProbe(msg.probe);
        views.showRoles();
        return;
      case 'pin':
        if (state.current?.run.runId === msg.runId) views.pin(msg.tokenIndex, true);
        else state.later(msg.runId, { pin: msg.tokenIndex });
        return;
      case 'explain':
        if (state.current?.run.runId === msg.runId) views.explainToken(msg.tokenIndex, true);
        else state.later(msg.runId, { explain: msg.tokenIndex });
        return;
    }
  }

  private onInit(msg: InitMessage): void {
    const { header, post, state } = this.d;
    this.init = msg;
    header.model(msg.model.name, `${modelFacts(msg.model.config)} · ${graphLabel(graphFileName(msg.model.modelUri))}`);
    const key = JSON.stringify([msg.model.modelUri, msg.wasmBase, msg.backend, msg.model.config.num_layers, msg.model.config.num_heads]);
    if (key !== this.engineKey) {
      this.engineKey = key;
      const old = this.engine;
      // Release the old session only after the runs queued on it are done.
      if (old) void this.queue.enqueue(() => old.then((e) => e.release()).catch(() => undefined));
      header.busy(`Loading ${msg.model.name} (${(msg.model.sizeBytes / 1e6).toFixed(1)} MB)…`);
      post({ type: 'progress', runId: null, phase: 'loading-model', detail: `loading ${msg.model.name}` });
      const loading: Promise<Engine> = Engine.load({
        modelUri: msg.model.modelUri, externalData: msg.model.externalData, sha256: msg.model.sha256, sizeBytes: msg.model.sizeBytes, wasmBase: msg.wasmBase, preference: this.auto.preference(msg), config: msg.model.config,
        webGpuFailed: state.saved?.webGpuFailed,
        onProgress: (loaded, total) => {
          if (this.engine !== loading) return;
          const text = loadingText(msg.model.name, loaded, total);
          header.busy(text);
          post({ type: 'progress', runId: null, phase: 'loading-model', detail: text });
        },
      });
      this.engine = loading;
      loading.then(
        (e) => {
          if (this.engine !== loading) return;
          this.auto.loaded(e, msg);
          this.freshEngine = e;
          if (!state.current && !this.waitingForInit) header.idle(`Model ready on ${e.backend === 'webgpu' ? 'WebGPU' : 'WASM'}. Select text and run a command.`);
        },
        (e: unknown) => {
          if (this.engine !== loading) return;
          const text = `Cannot load ${msg.model.name}: ${errorText(e)}`;
          header.error(text);
          post({ type: 'error', runId: null, message: text, modelUri: msg.model.modelUri });
        },
      );
    }
    const waiting = this.waitingForInit;
    this.waitingForInit = null;
    if (waiting) this.handle(waiting);
  }

  /** Probe heads: after the runs queued before it, on the loaded model; the scores label the heads at once. */
  private onProbe(msg: ProbeMessage): void {
    const { post, state, views } = this.d;
    const init = this.init;
    const engine = this.engine;
    if (!init || !engine) {
      post({ type: 'probeResult', probeId: msg.probeId, scores: null, error: 'no model is loaded in the panel yet' });
      return;
    }
    void this.queue.enqueue(async () => {
      const result = await runProbe(msg, engine, init.model.config);
      if (result.scores && this.engine === engine) {
        state.roles.setProbe(result.scores);
        views.showRoles();
      }
      post(result);
    });
  }

  private onRun(msg: RunMessage): void {
    this.queue.begin(msg.runId);
    if (!this.init || !this.engine) {
      this.waitingForInit = msg;
      return;
    }
    const init = this.init;
    const engine = this.engine;
    void this.queue.enqueue(() => this.execute(msg, init, engine));
  }

  /** Compare with an edit: the base and its variants, as one run (compareRun.ts). */
  private onCompare(msg: CompareMessage): void {
    this.queue.begin(msg.runId);
    if (!this.init || !this.engine) {
      this.waitingForInit = msg;
      return;
    }
    const { state, header, post, fail, views } = this.d;
    const init = this.init;
    const engine = this.engine;
    void this.queue.enqueue(() => runCompare(msg, init, engine, {
      state, header, post, fail, render: this.d.render,
      isLive: (id) => this.queue.isLive(id),
      takeLoadMs: (e) => {
        const ms = this.freshEngine === e ? e.loadMs : 0;
        this.freshEngine = null;
        return ms;
      },
      showCompare: (session, focus) => views.showCompare(session, focus),
    }));
  }

  private async execute(msg: RunMessage, init: InitMessage, enginePromise: Promise<Engine>): Promise<void> {
    const { header, post, fail, state, views } = this.d;
    const { runId } = msg;
    // Let messages already on their way (a newer run, a cancel) land first: a WASM run completes
    // in microtasks, so without this yield nothing could overtake it.
    await yieldToMessages();
    if (!this.queue.isLive(runId)) return;
    const config = init.model.config;
    if (msg.tokens.length === 0 || msg.tokens.length > config.max_tokens) {
      fail(runId, `the run has ${msg.tokens.length} tokens; the model takes 1 to ${config.max_tokens}`);
      return;
    }
    const loaded = await awaitEngine(runId, init, enginePromise, { header, post, fail });
    if (!loaded) return;
    let engine: Engine = loaded;
    if (!this.queue.isLive(runId)) return;
    header.busy(`Running ${msg.tokens.length} tokens on ${engine.backend === 'webgpu' ? 'WebGPU' : 'WASM'}…`);
    post({ type: 'progress', runId, phase: 'running', detail: `${msg.tokens.length} tokens on ${engine.backend}` });
    let result;
    try {
      result = await engine.run(msg.tokens.map((t) => t.id));
    } catch (e) {
      if (e instanceof RuntimeStuckError) {
        // Only a new page can run again: remember why, so it starts on WASM and says so.
        state.save({ webGpuFailed: e.message });
        header.busy(`${fellBackReason(e.message)}: reloading the panel…`);
        post({ type: 'reload', reason: fellBackReason(e.message) });
        return;
      }
      fail(runId, e instanceof ModelContractError
        ? `${init.model.name} breaks the model contract: ${errorText(e)}`
        : `the model failed on this input: ${errorText(e)}`);
      return;
    }
    // A newer run or a cancel came in while this one ran: its numbers are not shown. On WASM the
    // run blocked the page, so what came in meanwhile is still queued: let it land first.
    await yieldToMessages();
    if (!this.queue.isLive(runId)) return;
    // Auto on a real GPU, a model's first run: both backends timed, the faster kept (and remembered by the host).
    const trial = await this.auto.afterRun(engine, init, msg.tokens.map((t) => t.id), () => {
      header.busy('Timing WASM against WebGPU for this model (once)…');
      return Engine.load({ modelUri: init.model.modelUri, externalData: init.model.externalData, sha256: init.model.sha256, sizeBytes: init.model.sizeBytes, wasmBase: init.wasmBase, preference: 'wasm', config });
    });
    if (trial) {
      post({ type: 'backendMeasured', measurement: trial.measurement });
      if (trial.engine !== engine && this.engine === enginePromise) this.engine = Promise.resolve(trial.engine);
      engine = trial.engine;
      result = trial.result;
      if (!this.queue.isLive(runId)) return;
    }
    const loadMs = this.freshEngine === engine ? engine.loadMs : 0;
    this.freshEngine = null;
    const data: RunData = {
      runId,
      message: msg,
      tokens: msg.tokens,
      config,
      modelName: init.model.name,
      stack: makeStack(result.outputs.attentions, config.num_heads, msg.tokens.length),
      outputs: result.outputs,
      backend: engine.backend,
      backendReason: engine.reason,
      backendNote: this.auto.note(engine),
      loadMs: engine.loadMs,
      inferenceMs: result.inferenceMs,
      ...engine.runFacts(),
    };
    post({ type: 'progress', runId, phase: 'rendering', detail: '' });
    const r0 = performance.now();
    this.d.render(data);
    // for benchmarks: the last render's duration (DOM built, grid drawn), one entry kept
    performance.clearMeasures('attention-lens:render');
    performance.measure('attention-lens:render', { start: r0, end: performance.now() });
    post({
      type: 'result', runId, backend: data.backend, backendReason: data.backendReason, loadMs, inferenceMs: data.inferenceMs,
      ...(data.backendNote ? { backendNote: data.backendNote } : {}),
      phases: { ...(loadMs > 0 ? engine.phases : {}), render_ms: performance.now() - r0 },
    });
    post({ type: 'progress', runId, phase: 'done', detail: '' });

    const later = state.takePending(runId);
    const focus = later && 'pin' in later ? later.pin ?? null : msg.focus;
    if (focus !== null && focus >= 0 && focus < msg.tokens.length) views.pin(focus, true);
    if (msg.explain && msg.focus !== null) views.explainToken(msg.focus, true);
    if (later?.explain !== undefined) views.explainToken(later.explain, true);
  }
}

/** "Loading gpt2: 120 of 498 MB (24%)…" while a model's bytes arrive. */
export function loadingText(name: string, loaded: number, total: number | null): string {
  const mb = (n: number): string => (n / 1e6).toFixed(0);
  return total ? `Loading ${name}: ${mb(loaded)} of ${mb(total)} MB (${Math.floor((100 * loaded) / total)}%)…` : `Loading ${name}: ${mb(loaded)} MB…`;
}
