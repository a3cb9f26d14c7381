// Where the page's runtime .wasm comes from (issue 20): the page's IndexedDB cache, else the host
// by message, else onnxruntime-web's own fetch of wasmPaths through VS Code's resource loader —
// which took seconds for 14 MB on a slow machine. The fetch stays the fallback: for a page the
// host did not mark (data-runtime), a host that answers with an error, or no answer in time.
import type { Backend, RuntimeMessage, ToHost } from '../src/shared/protocol';
import { runtimeSha256 } from '../src/shared/runtimeFiles';
import { cachedRuntime, storeRuntime } from './runtimeCache';

export type RuntimeSource = 'cache' | 'message' | 'fetch';
export interface RuntimeBinary { bytes: ArrayBuffer | null; from: RuntimeSource }

/**
 * How long the page waits for the host's answer before fetching the runtime itself. The host that
 * marks the page (data-runtime) answers every request, with the bytes or an error, so this bounds
 * only a host that fails silently. It was 5 s: in code-server at load 10 on 2 cores the 14 MB answer
 * took 6 s, the page gave up just before it arrived and fetched the same bytes over the same
 * connection (cold 21.2 s; with the answer awaited 13.2 s, bench/README.md). VS Code's resource
 * loader gives a file 30 s.
 */
export const MESSAGE_WAIT_MS = 30_000;

let post: ((m: ToHost) => void) | null = null;
const waiting = new Map<Backend, (m: RuntimeMessage) => void>();

/** main.ts gives the way to ask the host. */
export function setRuntimeRequester(p: (m: ToHost) => void): void {
  post = p;
}

/** The host's answer (an answer nobody waits for any more is dropped: the page fetched meanwhile). */
export function receiveRuntime(m: RuntimeMessage): void {
  const w = waiting.get(m.kind);
  waiting.delete(m.kind);
  w?.(m);
}

/** Whether the host said (in the page's HTML) that it sends the runtime on request. */
export function runtimeByMessage(doc: Document = document): boolean {
  return doc.getElementById('app')?.dataset.runtime === 'message';
}

function ask(kind: Backend, waitMs: number): Promise<RuntimeMessage | null> {
  const request = post;
  if (!request) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiting.delete(kind);
      resolve(null);
    }, waitMs);
    waiting.set(kind, (m) => {
      clearTimeout(timer);
      resolve(m);
    });
    request({ type: 'runtimeRequest', kind });
  });
}

/** The bytes as an ArrayBuffer of their own (a view may sit in a larger buffer). */
function ownBuffer(data: Uint8Array): ArrayBuffer {
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
  return whole ? (data.buffer as ArrayBuffer) : data.slice().buffer;
}

/** The runtime's bytes for onnxruntime-web's `env.wasm.wasmBinary`, or null bytes: let it fetch. */
export async function runtimeBinary(kind: Backend, waitMs = MESSAGE_WAIT_MS): Promise<RuntimeBinary> {
  const sha256 = runtimeSha256(kind);
  if (sha256 === null || !runtimeByMessage()) return { bytes: null, from: 'fetch' };
  const cached = await cachedRuntime(sha256);
  if (cached) return { bytes: cached, from: 'cache' };
  const m = await ask(kind, waitMs);
  if (!m || m.error !== undefined || m.sha256 !== sha256 || m.data.length === 0) {
    const why = !m ? `no answer in ${waitMs} ms` : m.error ?? (m.sha256 !== sha256 ? 'the host has another build' : 'no bytes');
    console.warn(`[attention-lens] the ${kind} runtime did not come by message (${why}); fetching it`);
    return { bytes: null, from: 'fetch' };
  }
  const bytes = ownBuffer(m.data);
  const keep = [runtimeSha256('wasm'), runtimeSha256('webgpu')].filter((k): k is string => k !== null);
  void storeRuntime(sha256, bytes, keep);
  return { bytes, from: 'message' };
}
