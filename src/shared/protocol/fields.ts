// Checks of the parts messages share (tokens, windows, variants, probe scores): used by parse.ts.
import type { ProbeScores } from '../headProbe';
import { ROLE_KINDS, RoleScores } from '../headRoles';
import type { ModelConfig } from '../modelConfig';
import type { LineColumn, RunWindow, WindowReads } from '../runWindow';
import type { BackendMeasurement } from '../backendMeasure';
import {
  Check, ValidationError, arrayOf, bool, int, nullable, num, object, oneOf, optional, str,
} from '../validate';
import type { Backend, TokenInfo, Truncation } from './common';
import { MAX_CHUNK_BYTES, MAX_RUNTIME_BYTES, type RunMessage, type VariantInfo } from './toWebview';

export const MAX_TOKENS = 8192;
export const MAX_TEXT = 64 * 1024 * 1024;
/** Variants per comparison: the side-by-side table stays readable. */
export const MAX_VARIANTS = 8;

export const token = object<TokenInfo>({ id: int, text: str, start: int, end: int, special: bool, name: optional(str) });
export const measurement = object<BackendMeasurement>({ backend: oneOf<Backend>('webgpu', 'wasm'), webgpuMs: num, wasmMs: num, tokens: int });
export const lineColumn = object<LineColumn>({ line: int, column: int });
export const runWindow = object<RunWindow>({
  start: lineColumn, end: lineColumn, reads: oneOf<WindowReads>('before-cursor', 'around-cursor', 'selection', 'block'),
  limitedBy: optional(str),
});
export const truncation = object<Truncation>({ totalTokens: int, keptStart: int, keptEnd: int, reason: optional(str) });
export const backend = oneOf<Backend>('webgpu', 'wasm');
export const variantInfo: Check<VariantInfo> = (v, w) => {
  const x = object<VariantInfo>({ label: str, text: str, tokens: arrayOf(token, MAX_TOKENS), wordIds: optional(arrayOf(int, MAX_TOKENS)) })(v, w);
  if (x.wordIds && x.wordIds.length !== x.tokens.length) throw new ValidationError(`${w}.wordIds has ${x.wordIds.length} ids for ${x.tokens.length} tokens`);
  return x;
};
export const roleScores = object<RoleScores>(Object.fromEntries(ROLE_KINDS.map((k) => [k, nullable(num)])) as { [K in keyof RoleScores]-?: Check<RoleScores[K]> });
/** Per layer, per head; at most 1024 of each (no model comes near). */
export const probeScores: Check<ProbeScores> = arrayOf(arrayOf(roleScores, 1024), 1024);

/** One word id per token, when there are word ids at all. */
export function withWordIds(c: Check<RunMessage>): Check<RunMessage> {
  return (v, w) => {
    const m = c(v, w);
    if (m.wordIds && m.wordIds.length !== m.tokens.length) {
      throw new ValidationError(`${w}.wordIds has ${m.wordIds.length} ids for ${m.tokens.length} tokens`);
    }
    return m;
  };
}

export const nonEmpty = <T>(c: Check<T[]>): Check<T[]> => (v, w) => {
  const a = c(v, w);
  if (a.length === 0) throw new ValidationError(`${w} must not be empty`);
  return a;
};

// The model config inside init was already checked by the host (parseModelConfig); here it is
// only checked to be an object with the numbers the webview indexes by.
export const configShape: Check<ModelConfig> = (v, w) => {
  const c = object({ name: str, architecture: oneOf('causal', 'bidirectional'), num_layers: int, num_heads: int, max_tokens: int })(v, w);
  return { ...(v as ModelConfig), ...c };
};

// Bytes cross as a Uint8Array (VS Code transfers typed arrays in webview messages); an ArrayBuffer is taken too.
/** Bytes (a Uint8Array, or an ArrayBuffer as it may arrive) of at most `max`; `what` names the limit in the error. */
export function bytesUpTo(max: number, what: string): Check<Uint8Array> {
  return (v, w) => {
    const b = v instanceof Uint8Array ? v : v instanceof ArrayBuffer ? new Uint8Array(v) : null;
    if (!b) throw new ValidationError(`${w} must be bytes`);
    if (b.length > max) throw new ValidationError(`${w} has ${b.length} bytes; ${what} has at most ${max}`);
    return b;
  };
}
export const chunkBytes: Check<Uint8Array> = bytesUpTo(MAX_CHUNK_BYTES, 'a chunk');
export const runtimeBytes: Check<Uint8Array> = bytesUpTo(MAX_RUNTIME_BYTES, 'a runtime');
/** A SHA-256 in lowercase hex. */
export const sha256Hex: Check<string> = (v, w) => {
  if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)) throw new ValidationError(`${w} must be a SHA-256 in hex`);
  return v;
};
