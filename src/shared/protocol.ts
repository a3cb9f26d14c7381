// The one message protocol between the extension host and the webview. Both sides import this
// module; every message that arrives is checked with parseToWebview / parseToHost and dropped
// (and logged) when it does not match.
import type { ProbeScores } from './headProbe';
import { ROLE_KINDS, RoleScores } from './headRoles';
import { ModelConfig } from './modelConfig';
import type { LineColumn, RunWindow, WindowReads } from './runWindow';
import type { BackendMeasurement } from './backendMeasure';
import {
  Check, ValidationError, arrayOf, bool, int, nullable, num, object, oneOf, optional, str,
} from './validate';

export type Backend = 'webgpu' | 'wasm';
export type BackendPreference = 'auto' | Backend;

/** One token of the analysed text. start/end are UTF-16 offsets into the analysed text. */
export interface TokenInfo {
  id: number;
  /** The exact source text of the token ('' for a special token such as bos). */
  text: string;
  start: number;
  end: number;
  special: boolean;
}

export interface Truncation {
  /** Tokens the whole selection had. */
  totalTokens: number;
  /** The character range of the analysed window inside the selection. */
  keptStart: number;
  keptEnd: number;
  /** Why the window is smaller than attentionLens.maxTokens asks (the attention memory budget). */
  reason?: string;
}

// ---- host → webview --------------------------------------------------------

export interface InitMessage {
  type: 'init';
  model: { name: string; config: ModelConfig; modelUri: string; sizeBytes: number };
  /** Folder (webview URI, ending in '/') holding onnxruntime-web's .wasm and .mjs files. */
  wasmBase: string;
  backend: BackendPreference;
  /** Auto on a real GPU: both backends timed on this model's first run (in an earlier window too): the faster is used. */
  measured?: BackendMeasurement;
}

export interface RunMessage {
  type: 'run';
  runId: number;
  source: { fileName: string; languageId: string };
  tokens: TokenInfo[];
  truncation: Truncation | null;
  /** Token to pin when the result is shown (the token at the cursor), or null. */
  focus: number | null;
  /** Write the explanation for `focus` ("Explain attention here"). */
  explain: boolean;
  /**
   * Per token, the index of the tokenizer's own pre-tokenized word it belongs to (every special
   * token a word of its own): the words view groups by it. Absent: the panel shows tokens only.
   */
  wordIds?: number[];
  /** Where the analysed text starts and ends in the document, and how it was chosen. */
  window?: RunWindow;
  /** With a selection explained: the end (exclusive) of its tokens, which start at `focus`; they are pinned together. */
  focusEnd?: number;
}

export interface PinMessage { type: 'pin'; runId: number; tokenIndex: number | null }
export interface ExplainMessage { type: 'explain'; runId: number; tokenIndex: number }
export interface CancelMessage { type: 'cancel'; runId: number }

/** One version of the text in a comparison: what it is called, its text, and its tokens (offsets into text). */
export interface VariantInfo {
  /** "base", or how it differs: "tired → wide", "the document as edited". */
  label: string;
  text: string;
  tokens: TokenInfo[];
  /** Per token, its word (as RunMessage.wordIds): the panel compares words when it shows words. */
  wordIds?: number[];
}

/**
 * "Compare with an edit": run the base (the last run's text) and every variant on the same model,
 * show the base like a run, and the variants side by side for the focus token. runId is a run id
 * like any other (newest wins, cancel applies).
 */
export interface CompareMessage {
  type: 'compare';
  runId: number;
  source: { fileName: string; languageId: string };
  base: VariantInfo;
  variants: VariantInfo[];
  truncation: Truncation | null;
  /** The base token whose attention is compared, or null (the page waits for a pin). */
  focus: number | null;
}

/** "Probe heads": run the model on the fixed probe tokens and score every head's roles. */
export interface ProbeMessage { type: 'probe'; probeId: number; tokens: TokenInfo[] }

/** The cached probe scores of the loaded model (null: never probed); the panel labels heads with them. */
export interface HeadRolesMessage { type: 'headRoles'; probe: ProbeScores | null }

/**
 * A piece of a large model's graph, sent after the page asked with modelRequest: init's modelUri
 * is then `CHUNK_SCHEME` + key instead of a resource URI (src/models/modelTransfer.ts says why).
 */
export interface ModelChunkMessage {
  type: 'modelChunk'; key: string; offset: number; total: number; data: Uint8Array;
  /** The host could not read the model (then data is empty): the page's load fails with this. */
  error?: string;
}
export const CHUNK_SCHEME = 'attention-lens-chunks:';
const MAX_CHUNK_BYTES = 64 * 1024 * 1024;

export type ToWebview =
  | InitMessage | RunMessage | PinMessage | ExplainMessage | CancelMessage | CompareMessage | ProbeMessage | HeadRolesMessage
  | ModelChunkMessage;

// ---- webview → host --------------------------------------------------------

export interface ReadyMessage { type: 'ready' }

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
}

export interface Target { index: number; weight: number }

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

export interface ErrorMessage { type: 'error'; runId: number | null; message: string }

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

export type ToHost =
  | BackendMeasuredMessage | ReadyMessage | ProgressMessage | ResultMessage | HighlightMessage | ExplanationMessage | ErrorMessage | SaveMessage
  | ReloadMessage | ComparisonMessage | ProbeResultMessage | ModelRequestMessage;

// ---- validation ------------------------------------------------------------

const MAX_TOKENS = 8192;
const MAX_TEXT = 64 * 1024 * 1024;
/** Variants per comparison: the side-by-side table stays readable. */
export const MAX_VARIANTS = 8;

const token = object<TokenInfo>({ id: int, text: str, start: int, end: int, special: bool });
const measurement = object<BackendMeasurement>({ backend: oneOf<Backend>('webgpu', 'wasm'), webgpuMs: num, wasmMs: num, tokens: int });
const lineColumn = object<LineColumn>({ line: int, column: int });
const runWindow = object<RunWindow>({
  start: lineColumn, end: lineColumn, reads: oneOf<WindowReads>('before-cursor', 'around-cursor', 'selection', 'block'),
  limitedBy: optional(str),
});
const truncation = object<Truncation>({ totalTokens: int, keptStart: int, keptEnd: int, reason: optional(str) });
const backend = oneOf<Backend>('webgpu', 'wasm');
const variantInfo: Check<VariantInfo> = (v, w) => {
  const x = object<VariantInfo>({ label: str, text: str, tokens: arrayOf(token, MAX_TOKENS), wordIds: optional(arrayOf(int, MAX_TOKENS)) })(v, w);
  if (x.wordIds && x.wordIds.length !== x.tokens.length) throw new ValidationError(`${w}.wordIds has ${x.wordIds.length} ids for ${x.tokens.length} tokens`);
  return x;
};
const roleScores = object<RoleScores>(Object.fromEntries(ROLE_KINDS.map((k) => [k, nullable(num)])) as { [K in keyof RoleScores]-?: Check<RoleScores[K]> });
/** Per layer, per head; at most 1024 of each (no model comes near). */
const probeScores: Check<ProbeScores> = arrayOf(arrayOf(roleScores, 1024), 1024);

/** One word id per token, when there are word ids at all. */
function withWordIds(c: Check<RunMessage>): Check<RunMessage> {
  return (v, w) => {
    const m = c(v, w);
    if (m.wordIds && m.wordIds.length !== m.tokens.length) {
      throw new ValidationError(`${w}.wordIds has ${m.wordIds.length} ids for ${m.tokens.length} tokens`);
    }
    return m;
  };
}

const nonEmpty = <T>(c: Check<T[]>): Check<T[]> => (v, w) => {
  const a = c(v, w);
  if (a.length === 0) throw new ValidationError(`${w} must not be empty`);
  return a;
};

// The model config inside init was already checked by the host (parseModelConfig); here it is
// only checked to be an object with the numbers the webview indexes by.
const configShape: Check<ModelConfig> = (v, w) => {
  const c = object({ name: str, architecture: oneOf('causal', 'bidirectional'), num_layers: int, num_heads: int, max_tokens: int })(v, w);
  return { ...(v as ModelConfig), ...c };
};

// Bytes cross as a Uint8Array (VS Code transfers typed arrays in webview messages); an ArrayBuffer is taken too.
const chunkBytes: Check<Uint8Array> = (v, w) => {
  const b = v instanceof Uint8Array ? v : v instanceof ArrayBuffer ? new Uint8Array(v) : null;
  if (!b) throw new ValidationError(`${w} must be bytes`);
  if (b.length > MAX_CHUNK_BYTES) throw new ValidationError(`${w} has ${b.length} bytes; a chunk has at most ${MAX_CHUNK_BYTES}`);
  return b;
};

const toWebview: Record<ToWebview['type'], Check<ToWebview>> = {
  init: object<InitMessage>({
    type: oneOf('init'),
    model: object({ name: str, config: configShape, modelUri: str, sizeBytes: int }),
    wasmBase: str,
    backend: oneOf<BackendPreference>('auto', 'webgpu', 'wasm'),
    measured: optional(measurement),
  }),
  run: withWordIds(object<RunMessage>({
    type: oneOf('run'),
    runId: int,
    source: object({ fileName: str, languageId: str }),
    tokens: arrayOf(token, MAX_TOKENS),
    truncation: nullable(truncation),
    focus: nullable(int),
    explain: bool,
    wordIds: optional(arrayOf(int, MAX_TOKENS)),
    window: optional(runWindow),
    focusEnd: optional(int),
  })),
  pin: object<PinMessage>({ type: oneOf('pin'), runId: int, tokenIndex: nullable(int) }),
  explain: object<ExplainMessage>({ type: oneOf('explain'), runId: int, tokenIndex: int }),
  cancel: object<CancelMessage>({ type: oneOf('cancel'), runId: int }),
  modelChunk: object<ModelChunkMessage>({ type: oneOf('modelChunk'), key: str, offset: int, total: int, data: chunkBytes, error: optional(str) }),
  probe: object<ProbeMessage>({ type: oneOf('probe'), probeId: int, tokens: arrayOf(token, MAX_TOKENS) }),
  headRoles: object<HeadRolesMessage>({ type: oneOf('headRoles'), probe: nullable(probeScores) }),
  compare: object<CompareMessage>({
    type: oneOf('compare'),
    runId: int,
    source: object({ fileName: str, languageId: str }),
    base: variantInfo,
    variants: nonEmpty(arrayOf(variantInfo, MAX_VARIANTS)),
    truncation: nullable(truncation),
    focus: nullable(int),
  }),
};

const toHost: Record<ToHost['type'], Check<ToHost>> = {
  backendMeasured: object<BackendMeasuredMessage>({ type: oneOf('backendMeasured'), measurement }),
  ready: object<ReadyMessage>({ type: oneOf('ready') }),
  progress: object<ProgressMessage>({
    type: oneOf('progress'), runId: nullable(int), phase: oneOf<Phase>('loading-model', 'running', 'rendering', 'done'), detail: str,
  }),
  result: object<ResultMessage>({
    type: oneOf('result'), runId: int, backend, backendReason: nullable(str), loadMs: num, inferenceMs: num, backendNote: optional(str),
    phases: optional(object<ResultPhases>({
      runtime_start_ms: optional(num), model_fetch_ms: optional(num), prune_ms: optional(num), runtime_wait_ms: optional(num),
      session_ms: optional(num), warmup_ms: optional(num), threads: optional(int), render_ms: optional(num),
    })),
  }),
  highlight: object<HighlightMessage>({
    type: oneOf('highlight'), runId: int, tokenIndex: nullable(int), tokenEnd: optional(int), direction: oneOf('from', 'to'),
    targets: arrayOf(object<HighlightTarget>({ index: int, weight: num, end: optional(int) }), MAX_TOKENS),
  }),
  explanation: object<ExplanationMessage>({
    type: oneOf('explanation'), runId: int, tokenIndex: int, summary: str, lines: arrayOf(str, 256),
  }),
  error: object<ErrorMessage>({ type: oneOf('error'), runId: nullable(int), message: str }),
  reload: object<ReloadMessage>({ type: oneOf('reload'), reason: str }),
  modelRequest: object<ModelRequestMessage>({ type: oneOf('modelRequest'), key: str }),
  probeResult: object<ProbeResultMessage>({
    type: oneOf('probeResult'), probeId: int, scores: nullable(probeScores), error: nullable(str),
  }),
  comparison: object<ComparisonMessage>({
    type: oneOf('comparison'), runId: int, tokenIndex: int, unit: oneOf('token', 'word'),
    labels: arrayOf(str, MAX_VARIANTS + 1), view: str,
    rows: arrayOf(object<ComparisonRow>({ label: str, edited: bool, weights: arrayOf(num, MAX_VARIANTS + 1) }), MAX_TOKENS),
    summaries: arrayOf(str, MAX_VARIANTS), lines: arrayOf(str, 1024), beforeEdit: bool, problem: nullable(str),
  }),
  save: object<SaveMessage>({
    type: oneOf('save'), format: oneOf<ExportFormat>('json', 'png', 'svg', 'html'), fileName: str, data: str,
    encoding: oneOf('utf8', 'base64'),
  }),
};

function parseWith<T extends { type: string }>(table: Record<string, Check<T>>, raw: unknown, side: string): T {
  if (typeof raw !== 'object' || raw === null) throw new ValidationError(`${side} message must be an object`);
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(table, type)) {
    throw new ValidationError(`unknown ${side} message type ${JSON.stringify(type)}`);
  }
  const msg = table[type](raw, type);
  // A model chunk's size is checked on its bytes; spelling them out as JSON would take seconds.
  if (type !== 'modelChunk' && JSON.stringify(raw).length > MAX_TEXT) throw new ValidationError(`${type} message is too large`);
  return msg;
}

/** Checks a message arriving in the webview; throws ValidationError when it is not one. */
export function parseToWebview(raw: unknown): ToWebview {
  return parseWith(toWebview, raw, 'host→webview');
}

/** Checks a message arriving in the host; throws ValidationError when it is not one. */
export function parseToHost(raw: unknown): ToHost {
  return parseWith(toHost, raw, 'webview→host');
}
