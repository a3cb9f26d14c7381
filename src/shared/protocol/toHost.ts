// Messages from the webview to the extension host.
import type { ProbeScores } from '../headProbe';
import type { BackendMeasurement } from '../backendMeasure';
import type { Backend, Target } from './common';

export interface ReadyMessage { type: 'ready' }

/** The page has no cached copy of this runtime's .wasm: the host answers with a RuntimeMessage. */
export interface RuntimeRequestMessage { type: 'runtimeRequest'; kind: Backend }

export type Phase = 'loading-model' | 'running' | 'rendering' | 'done';
export interface ProgressMessage { type: 'progress'; runId: number | null; phase: Phase; detail: string }

export interface ResultMessage {
  type: 'result';
  runId: number;
  backend: Backend;
  /** Why WebGPU was not used, when the backend is WASM. */
  backendReason: string | null;
  /** Fetching the model and creating the session, as far as this run waited for it (0 when it was ready). */
  loadMs: number;
  inferenceMs: number;
  /** Auto's measurement behind the backend that ran, in words (webview/backendTrial.ts). */
  backendNote?: string;
  /** Where the page's time went, for the benchmark (bench/vscode/); the load's parts only when it loaded. */
  phases?: ResultPhases;
}

/** Page timings in ms (threads: the WASM threads in use). See webview/inference.ts LoadPhases. */
export interface ResultPhases {
  runtime_start_ms?: number;
  model_fetch_ms?: number;
  prune_ms?: number;
  runtime_wait_ms?: number;
  session_ms?: number;
  warmup_ms?: number;
  threads?: number;
  render_ms?: number;
  runtime_from?: 'cache' | 'message' | 'fetch';
  /** Where the model's bytes came from: the page's cache, or the host (a resource fetch or chunks). */
  model_from?: 'cache' | 'host';
}

/** A highlighted target: token `index`, or in the words view tokens [index, end) — one word. */
export interface HighlightTarget extends Target { end?: number }

/** What the hovered or pinned token attends to (direction 'from') or is attended by ('to'). */
export interface HighlightMessage {
  type: 'highlight';
  runId: number;
  tokenIndex: number | null;
  /** In the words view: the hovered word is tokens [tokenIndex, tokenEnd). */
  tokenEnd?: number;
  direction: 'from' | 'to';
  targets: HighlightTarget[];
}

export interface ExplanationMessage {
  type: 'explanation';
  runId: number;
  tokenIndex: number;
  /** One line, e.g. "it → animal 51%, it 31%, street 19%". */
  summary: string;
  /** The full text: mean of heads per layer, rollout, top heads. */
  lines: string[];
}

export interface ErrorMessage {
  type: 'error'; runId: number | null; message: string;
  /** A model that could not be loaded: init's modelUri, so the host can tell an earlier model's failure from the current one's. */
  modelUri?: string;
}

export type ExportFormat = 'json' | 'png' | 'svg' | 'html';
export interface SaveMessage {
  type: 'save';
  format: ExportFormat;
  fileName: string;
  data: string;
  encoding: 'utf8' | 'base64';
}

/**
 * The page cannot go on and asks to be loaded again (set webview.html anew; it then sends ready).
 * Sent when WebGPU failed in the middle of a run: onnxruntime-web's WebAssembly runtime stays
 * stuck after that, and VS Code webviews cannot reload themselves. The new page starts on WASM.
 */
export interface ReloadMessage { type: 'reload'; reason: string }

/** One row of the comparison as the panel shows it: its label and weight in the base and each variant. */
export interface ComparisonRow { label: string; edited: boolean; weights: number[] }

/** What the panel shows for a comparison and the pinned (focus) token. */
export interface ComparisonMessage {
  type: 'comparison';
  runId: number;
  /** The focus: its first token in the base. */
  tokenIndex: number;
  /** What the rows are: tokens, or words (the panel's words view). */
  unit: 'token' | 'word';
  /** Versions shown side by side: the base and the variants. */
  labels: string[];
  /** The view the rows are for ("layer 4, head 2"). */
  view: string;
  rows: ComparisonRow[];
  /** One line per variant: "it: animal 51% → 12%, street 19% → 63%; layer 4 head 2 flips". */
  summaries: string[];
  lines: string[];
  /** A causal model and a focus before every edit: its attention cannot change. */
  beforeEdit: boolean;
  /** Why there is no comparison for this token (it is part of the edit), else null. */
  problem: string | null;
}

/** The probe's outcome: every head's role scores, or why there are none. */
export interface ProbeResultMessage {
  type: 'probeResult';
  probeId: number;
  scores: ProbeScores | null;
  error: string | null;
}

/** The page asks for the chunks of the model init named by a CHUNK_SCHEME URI. */
export interface ModelRequestMessage { type: 'modelRequest'; key: string }

/** Auto timed both backends on this model's first run: the host remembers it for the model. */
export interface BackendMeasuredMessage { type: 'backendMeasured'; measurement: BackendMeasurement }

/** What the page's caches held when it emptied them (models: files, bytes: models' and runtimes' together). */
export interface CacheClearedMessage { type: 'cacheCleared'; files: number; bytes: number; error?: string }

export type ToHost =
  | BackendMeasuredMessage | ReadyMessage | ProgressMessage | ResultMessage | HighlightMessage | ExplanationMessage | ErrorMessage | SaveMessage
  | ReloadMessage | ComparisonMessage | ProbeResultMessage | ModelRequestMessage | RuntimeRequestMessage | CacheClearedMessage;
