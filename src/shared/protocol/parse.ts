// Validation on arrival: every message is checked against its type's table before either side acts on it.
import type { ModelConfig } from '../modelConfig';
import { Check, ValidationError, arrayOf, bool, int, nullable, num, object, oneOf, optional, str } from '../validate';
import type { BackendPreference } from './common';
import {
  MAX_TEXT, MAX_TOKENS, MAX_VARIANTS, backend, chunkBytes, runtimeBytes, sha256Hex, configShape, measurement, nonEmpty, probeScores, runWindow, token,
  truncation, variantInfo, withWordIds,
} from './fields';
import type {
  BackendMeasuredMessage, CacheClearedMessage, ComparisonMessage, ComparisonRow, ErrorMessage, ExplanationMessage, ExportFormat, HighlightMessage,
  HighlightTarget, ModelRequestMessage, Phase, ProbeResultMessage, ProgressMessage, ReadyMessage, ReloadMessage, ResultMessage,
  ResultPhases, RuntimeRequestMessage, SaveMessage, ToHost,
} from './toHost';
import type {
  CancelMessage, ClearCacheMessage, CompareMessage, ExplainMessage, HeadRolesMessage, InitMessage, ModelChunkMessage, PinMessage, ProbeMessage,
  RunMessage, RuntimeMessage, ToWebview,
} from './toWebview';

// transformers.js splits external data in at most 100 chunks
const MAX_EXTERNAL_FILES = 100;

const toWebview: Record<ToWebview['type'], Check<ToWebview>> = {
  init: object<InitMessage>({
    type: oneOf('init'),
    model: object({
      name: str, config: configShape, modelUri: str, sizeBytes: int, sha256: optional(sha256Hex),
      externalData: optional(arrayOf(object({ location: str, uri: str, sizeBytes: int, sha256: optional(sha256Hex) }), MAX_EXTERNAL_FILES)),
    }),
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
  runtime: object<RuntimeMessage>({ type: oneOf('runtime'), kind: backend, sha256: sha256Hex, data: runtimeBytes, error: optional(str) }),
  clearCache: object<ClearCacheMessage>({ type: oneOf('clearCache') }),
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
      runtime_from: optional(oneOf('cache', 'message', 'fetch')), model_from: optional(oneOf('cache', 'host')),
    })),
  }),
  highlight: object<HighlightMessage>({
    type: oneOf('highlight'), runId: int, tokenIndex: nullable(int), tokenEnd: optional(int), direction: oneOf('from', 'to'),
    targets: arrayOf(object<HighlightTarget>({ index: int, weight: num, end: optional(int) }), MAX_TOKENS),
  }),
  explanation: object<ExplanationMessage>({
    type: oneOf('explanation'), runId: int, tokenIndex: int, summary: str, lines: arrayOf(str, 256),
  }),
  error: object<ErrorMessage>({ type: oneOf('error'), runId: nullable(int), message: str, modelUri: optional(str) }),
  reload: object<ReloadMessage>({ type: oneOf('reload'), reason: str }),
  runtimeRequest: object<RuntimeRequestMessage>({ type: oneOf('runtimeRequest'), kind: backend }),
  modelRequest: object<ModelRequestMessage>({ type: oneOf('modelRequest'), key: str }),
  cacheCleared: object<CacheClearedMessage>({ type: oneOf('cacheCleared'), files: int, bytes: int, error: optional(str) }),
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
  // Bytes (a model chunk, a runtime) are checked on their size; spelling them out as JSON would take seconds.
  if (type !== 'modelChunk' && type !== 'runtime' && JSON.stringify(raw).length > MAX_TEXT) throw new ValidationError(`${type} message is too large`);
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
