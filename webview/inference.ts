// The model in the page: onnxruntime-web on WebGPU when it can, on WASM when it cannot, and what
// actually ran (and why not WebGPU) said plainly. Only the attention tensors (and queries/keys,
// for the three-steps view) leave a run; logits are never fetched.
// Types only: the runtime itself is imported on demand (webview/runtime.ts).
import type * as ort from 'onnxruntime-web';
import type { ModelConfig } from '../src/shared/modelConfig';
import type { Backend, BackendPreference, ExternalDataRef } from '../src/shared/protocol';
import type { InputPlan } from '../src/shared/attentionGraph';
import { errorText } from './backend';
import { decideWebGpu } from './backendChoice';
import { kernelType, webGpuComputeRefusal } from '../src/shared/onnxGraph/computeType';
import { parseModel } from '../src/shared/onnxGraph/model';
import { ModelContractError, checkRows, feedsFor, graphFileName, graphForPage, queryKeyAgree, sessionError } from './modelGraph';
import { ExternalFileData, FetchProgress, fetchBytes } from './fetchModel';
import { ModelSource, readModel } from './modelSource';
import { OrtModule, startRuntime, sessionOptions } from './runtime';
import type { RuntimeSource } from './runtimeBinary';
import { checkOutputs, checkShapes, outputNames } from './outputChecks';

export interface EngineOptions {
  modelUri: string;
  /** The files the graph keeps its weights in (ONNX external data), fetched after it. */
  externalData?: ExternalDataRef[];
  /** The graph's SHA-256 and size from init: the page's cache key (webview/modelCache.ts). */
  sha256?: string;
  sizeBytes?: number;
  /** Folder URI (ending in '/') that holds ort-wasm-simd-threaded.jsep.{wasm,mjs}. */
  wasmBase: string;
  preference: BackendPreference;
  config: ModelConfig;
  /** WebGPU failed during a run on an earlier page: why (then WASM is used without trying WebGPU). */
  webGpuFailed?: string;
  /** Bytes of the model fetched so far, for the header's progress. */
  onProgress?: FetchProgress;
}

export interface ModelOutputs {
  /** One [heads, seq, seq] array per layer. */
  attentions: Float32Array[];
  /** [heads, seq, head_dim] per layer, when the model exports them. */
  queries: Float32Array[] | null;
  keys: Float32Array[] | null;
  headDim: number | null;
}

export interface RunResult {
  outputs: ModelOutputs;
  inferenceMs: number;
}

export { ModelContractError };

/**
 * WebGPU failed while a run was in flight and that run never settled: onnxruntime-web's WebAssembly
 * runtime (shared by its WebGPU and WASM backends) is now stuck, so only a new page can run again.
 */
export class RuntimeStuckError extends Error {}

/** How long a run may take to settle after its GPU device is lost before the runtime counts as stuck. */
const SETTLE_AFTER_LOSS_MS = 2000;

export function fellBackReason(why: string): string {
  return `WebGPU failed during a run (${why}); fell back to WASM`;
}

/** Where a load's time went, in ms (reported to the host with the first result, for the bench). */
export interface LoadPhases {
  /** Starting the runtime (import, WebAssembly fetch + compile + start), overlapping the model fetch. */
  runtime_start_ms: number;
  model_fetch_ms: number;
  prune_ms: number;
  /** Waiting for the runtime after the model was ready (0 when it was up first). */
  runtime_wait_ms: number;
  session_ms: number;
  /** The short warm-up run after the session was created (WASM; 0 on WebGPU). */
  warmup_ms: number;
  threads: number;
  /** Where the runtime's .wasm came from: the page's cache, the host by message, or a fetch. */
  runtime_from: RuntimeSource;
  /** Where the model's bytes came from: the page's cache or the host. */
  model_from: ModelSource;
}

/**
 * Tokens of the warm-up run. A page's first run is slow while its WebAssembly kernels still run
 * as first compiled (a long run is not moved to optimized code midway); a short run first lets
 * them be optimized. Measured, 512 tokens in a fresh page: first run 2.9-3.0 s alone, 16-token
 * warm-up 0.1-0.25 s + first run 1.1-1.4 s (bench/README.md).
 */
const WARM_UP_TOKENS = 16;

interface GpuDeviceLike {
  lost: Promise<{ reason?: string; message?: string }>;
}

export class Engine {
  private checkedShapes = false;
  /** What each graph input is fed (webview/modelGraph.ts). */
  private inputs: readonly InputPlan[] = [];
  /** Settles with the reason when the WebGPU device is lost (never, on WASM). */
  private deviceLost: Promise<string> = new Promise(() => undefined);
  private lostReason: string | null = null;

  private constructor(
    private session: ort.InferenceSession,
    public backend: Backend,
    /** Why WebGPU is not in use (null when it is). */
    public reason: string | null,
    readonly loadMs: number,
    private readonly config: ModelConfig,
    private readonly fetches: string[],
    /** Cleared when the first run's queries and keys do not give back its attention. */
    public hasQueryKey: boolean,
    /** Kept only while on WebGPU, to start WASM if WebGPU fails in a run. */
    private modelBytes: { bytes: Uint8Array; external: ExternalFileData[] } | null,
    private readonly ort: OrtModule,
    readonly phases: LoadPhases,
  ) {}

  /** Fetches the model and creates a session on the best backend the preference allows. */
  static async load(opts: EngineOptions): Promise<Engine> {
    const t0 = performance.now();
    // Decide the backend first, so the runtime that serves it starts while the model is fetched.
    let reason: string | null = null;
    let tryGpu = false;
    let shaderF16 = false;
    if (opts.webGpuFailed) {
      reason = fellBackReason(opts.webGpuFailed);
    } else if (opts.preference === 'wasm') {
      reason = 'WASM chosen in the attentionLens.backend setting';
    } else {
      // A software adapter (SwiftShader…) is no GPU: auto runs on WASM (webview/backendChoice.ts).
      ({ tryGpu, reason, shaderF16 } = await decideWebGpu(opts.preference));
    }
    const runtime = startRuntime(tryGpu ? 'webgpu' : 'wasm', opts.wasmBase);
    runtime.catch(() => undefined); // awaited below; a failure is thrown there
    const tFetch = performance.now();
    let fetched: Uint8Array | null;
    let external: ExternalFileData[];
    let modelFrom: ModelSource;
    try {
      const fetchGraph = (asBlob: boolean) => fetchBytes(opts.modelUri, opts.onProgress, undefined, asBlob).catch(async (e: unknown) => {
        // VS Code's resource loader answers 408 when a file takes over 30 s to arrive, which an
        // overloaded machine reaches with the runtime's .wasm arriving at the same time: once
        // more, after the runtime is in.
        if (!/^408\b/.test((e as Error).message)) throw e;
        await runtime.catch(() => undefined);
        return fetchBytes(opts.modelUri, opts.onProgress, undefined, asBlob);
      });
      ({ graph: fetched, external, from: modelFrom } = await readModel(opts, fetchGraph, opts.onProgress));
    } catch (e) {
      throw new ModelContractError(`cannot read ${graphFileName(opts.modelUri)} (${(e as Error).message})`);
    }
    // Only what the panel reads is computed: onnxruntime runs every node of a graph, fetched or
    // not, and the logits and the last layer's MLP cost ~40% of a run (bench/README.md).
    const tPrune = performance.now();
    const graph = graphForPage(fetched, opts.config, opts.modelUri, external.map((f) => f.path));
    const bytes = graph.bytes;
    // The WebGPU build runs WASM too: the runtime already started serves it.
    if (tryGpu && graph.wasmOnly) {
      tryGpu = false;
      reason = graph.wasmOnly;
    }
    const f16 = tryGpu ? webGpuComputeRefusal(kernelType(parseModel(fetched)), shaderF16) : null;
    // The graph as fetched is not read past here: let it go before the session copies the cut graph
    // into WASM memory, so one model-sized buffer less is held at the load's peak (bench/README.md).
    fetched = null;
    if (f16) {
      tryGpu = false;
      reason = f16;
    }
    const tWait = performance.now();
    const rt = await runtime;
    const tSession = performance.now();

    let session: ort.InferenceSession | null = null;
    if (tryGpu) {
      try {
        session = await rt.ort.InferenceSession.create(bytes, sessionOptions('webgpu', external));
      } catch (e) {
        reason = `WebGPU session failed: ${errorText(e)}`;
      }
    }
    const backend: Backend = session ? 'webgpu' : 'wasm';
    if (!session) session = await createWasm(rt.ort, bytes, external).catch((e: unknown) => { throw sessionError(e, opts.modelUri) ?? e; });
    const phases: LoadPhases = {
      runtime_start_ms: rt.startMs, model_fetch_ms: tPrune - tFetch, prune_ms: tWait - tPrune,
      runtime_wait_ms: tSession - tWait, session_ms: performance.now() - tSession, warmup_ms: 0, threads: rt.threads, runtime_from: rt.from, model_from: modelFrom,
    };

    const fetches = checkOutputs(session, opts.config);
    const hasQK = fetches.length > opts.config.num_layers;
    if (backend === 'wasm') {
      const tWarm = performance.now();
      await warmUp(session, rt.ort, graph.inputs, fetches, opts.config);
      phases.warmup_ms = performance.now() - tWarm;
    }
    const engine = new Engine(session, backend, reason, performance.now() - t0, opts.config, fetches, hasQK, backend === 'webgpu' ? { bytes, external } : null, rt.ort, phases);
    engine.inputs = graph.inputs;
    if (backend === 'webgpu') engine.watch((await rt.ort.env.webgpu.device) as unknown as GpuDeviceLike | undefined);
    return engine;
  }

  // A lost device does not fail session.run: onnxruntime's pending buffer map rejects where no one
  // listens and the run never settles. So the loss is watched here and ends the run instead.
  private watch(device: GpuDeviceLike | undefined): void {
    if (!device?.lost) return;
    this.deviceLost = device.lost.then((info) => {
      this.lostReason = `GPU device lost (${[info.reason, info.message].filter(Boolean).join(': ') || 'no reason given'})`;
      return this.lostReason;
    });
  }

  private runOnGpu(ids: readonly number[]): Promise<RunResult> {
    if (this.lostReason) return Promise.reject(new Error(this.lostReason));
    const run = this.runOnce(ids);
    const settled = run.then(() => true, () => true);
    const lost = this.deviceLost.then(async (why): Promise<never> => {
      const sleep = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), SETTLE_AFTER_LOSS_MS));
      if (await Promise.race([settled, sleep])) throw new Error(why);
      throw new RuntimeStuckError(why);
    });
    return Promise.race([run, lost]);
  }

  /** Runs the model on token ids; on a WebGPU failure, moves to WASM once and runs again. */
  async run(ids: readonly number[]): Promise<RunResult> {
    if (this.backend === 'wasm') return this.runOnce(ids);
    try {
      return await this.runOnGpu(ids);
    } catch (e) {
      if (!this.modelBytes || e instanceof ModelContractError || e instanceof RuntimeStuckError) throw e;
      const why = errorText(e);
      // not awaited: on a lost device the release may never settle either
      void this.session.release().catch(() => undefined);
      this.session = await createWasm(this.ort, this.modelBytes.bytes, this.modelBytes.external);
      this.modelBytes = null;
      this.backend = 'wasm';
      this.reason = fellBackReason(why);
      return this.runOnce(ids);
    }
  }

  private async runOnce(ids: readonly number[]): Promise<RunResult> {
    const seq = ids.length;
    const feeds = feedsFor(this.ort.Tensor, this.inputs, ids);
    const t0 = performance.now();
    const out = await this.session.run(feeds, this.fetches);
    const inferenceMs = performance.now() - t0;
    for (const t of Object.values(feeds)) t.dispose();
    try {
      if (!this.checkedShapes) {
        if (this.hasQueryKey && !queryKeyAgree(out, this.config, seq)) this.hasQueryKey = false;
        checkShapes(out, this.config, seq, this.hasQueryKey);
        checkRows(outputNames('attentions', this.config.num_layers).map((n) => out[n].data as Float32Array), this.config.num_heads, seq);
        this.checkedShapes = true;
      }
      const L = this.config.num_layers;
      const take = (name: string): Float32Array => {
        const t = out[name];
        if (t.type !== 'float32') throw new ModelContractError(`model.onnx output ${name} is ${t.type}, expected float32`);
        return t.data as Float32Array;
      };
      const attentions = outputNames('attentions', L).map(take);
      const queries = this.hasQueryKey ? outputNames('queries', L).map(take) : null;
      const keys = this.hasQueryKey ? outputNames('keys', L).map(take) : null;
      const headDim = this.hasQueryKey ? out['queries.0'].dims[3] : null;
      return { outputs: { attentions, queries, keys, headDim }, inferenceMs };
    } finally {
      // The typed arrays taken above stay valid; dispose() drops the tensors' own hold (and any GPU buffer).
      for (const t of Object.values(out)) t.dispose();
    }
  }

  /** What a run's data says of this engine's load: its WASM threads and where the model came from. */
  runFacts(): { threads?: number; modelFrom: ModelSource } {
    return { ...(this.backend === 'wasm' ? { threads: this.phases.threads } : {}), modelFrom: this.phases.model_from };
  }

  async release(): Promise<void> {
    this.modelBytes = null;
    await this.session.release();
  }
}

/** One short run whose result is thrown away (see WARM_UP_TOKENS); a failure shows on the user's run instead. */
async function warmUp(session: ort.InferenceSession, rt: OrtModule, inputs: readonly InputPlan[], fetches: string[], config: ModelConfig): Promise<void> {
  const n = Math.max(1, Math.min(WARM_UP_TOKENS, config.max_tokens));
  const feeds = feedsFor(rt.Tensor, inputs, Array.from({ length: n }, (_, i) => i));
  try {
    const out = await session.run(feeds, fetches);
    for (const t of Object.values(out)) t.dispose();
  } catch {
    // the same model fails on the user's run, where its message is shown
  } finally {
    for (const t of Object.values(feeds)) t.dispose();
  }
}

function createWasm(rt: OrtModule, bytes: Uint8Array, external: readonly ExternalFileData[]): Promise<ort.InferenceSession> {
  return rt.InferenceSession.create(bytes, sessionOptions('wasm', external));
}
