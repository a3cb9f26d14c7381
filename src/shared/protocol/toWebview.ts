// Messages from the extension host to the webview.
import type { ProbeScores } from '../headProbe';
import type { ModelConfig } from '../modelConfig';
import type { RunWindow } from '../runWindow';
import type { BackendMeasurement } from '../backendMeasure';
import type { Backend, BackendPreference, TokenInfo, Truncation } from './common';

/** A file the graph keeps weights in (ONNX external data): fetched like the graph, given to onnxruntime as `location`. */
export interface ExternalDataRef {
  location: string;
  uri: string;
  sizeBytes: number;
  /** The file's SHA-256: the page's cache key for its bytes (absent: the page does not cache it). */
  sha256?: string;
}

export interface InitMessage {
  type: 'init';
  model: {
    name: string; config: ModelConfig; modelUri: string; sizeBytes: number; externalData?: ExternalDataRef[];
    /** The graph file's SHA-256: the page keeps its bytes under it, so a later panel or window need not move them again. */
    sha256?: string;
  };
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
export const MAX_CHUNK_BYTES = 64 * 1024 * 1024;

/**
 * A runtime's .wasm, asked for with runtimeRequest (webview/runtimeBinary.ts): given to
 * onnxruntime-web as `env.wasm.wasmBinary`, so it is not fetched through the resource loader.
 * sha256 is the build's (src/shared/runtimeFiles.ts); with error, data is empty and the page fetches.
 */
export interface RuntimeMessage { type: 'runtime'; kind: Backend; sha256: string; data: Uint8Array; error?: string }
export const MAX_RUNTIME_BYTES = 64 * 1024 * 1024;

/** "Clear the panel's cache": the page empties its model and runtime caches and answers cacheCleared. */
export interface ClearCacheMessage { type: 'clearCache' }

export type ToWebview =
  | InitMessage | RunMessage | PinMessage | ExplainMessage | CancelMessage | CompareMessage | ProbeMessage | HeadRolesMessage
  | ModelChunkMessage | RuntimeMessage | ClearCacheMessage;
