// onnxruntime-web in the page: which build is loaded, set up, and started as early as possible.
// Two builds ship (esbuild.js copies both): the plain WASM runtime (ort-wasm-simd-threaded.wasm,
// 14 MB) and the WebGPU-capable one (.jsep, 28 MB, which also runs WASM). The page loads only the
// one it will use, as its own code-split chunk, so a page on WASM fetches and compiles half the
// bytes. Starting a runtime = importing its chunk and creating a session on a one-node model, which
// makes onnxruntime fetch, compile (streaming) and start its WebAssembly while the model is fetched.
import type * as Ort from 'onnxruntime-web';
import type { Backend } from '../src/shared/protocol';
import { identityModel } from '../src/shared/tinyOnnx';
import type { ExternalFileData } from './fetchModel';
import { RuntimeSource, runtimeBinary } from './runtimeBinary';

export type OrtModule = typeof Ort;
export type RuntimeKind = Backend;

export interface Runtime {
  ort: OrtModule;
  kind: RuntimeKind;
  /** WASM threads in use: more than 1 only where the page is cross-origin isolated. */
  threads: number;
  /** Import + WebAssembly fetch, compile and start, in ms. */
  startMs: number;
  /** Where the .wasm came from (webview/runtimeBinary.ts). */
  from: RuntimeSource;
}

/** The header's words for the WASM threads a run had, and why no more. */
export function threadsFact(threads: number): string {
  return threads > 1
    ? `${threads} WASM threads (the panel is cross-origin isolated)`
    : '1 WASM thread (the panel is not cross-origin isolated: vscode.dev/?vscode-coi=on or code --enable-coi gives it threads)';
}

/**
 * WASM threads for this page. Threads need SharedArrayBuffer, which only a cross-origin isolated
 * page has (VS Code webviews are only when VS Code itself runs isolated: `code --enable-coi`);
 * then onnxruntime's own default, half the cores up to 4.
 */
export function wasmThreads(crossOriginIsolated: boolean, cores: number): number {
  return crossOriginIsolated ? Math.max(1, Math.min(4, Math.ceil(cores / 2))) : 1;
}

/**
 * The folder dist/webview/ (where the runtimes' .wasm and .mjs files are), from the page's own
 * script, so a runtime can start before the host's init message arrives; null outside the page.
 */
export function runtimeBase(doc: Document = document): string | null {
  const src = doc.querySelector<HTMLScriptElement>('script[type="module"][src]')?.src;
  return src ? new URL('./', src).href : null;
}

const started = new Map<string, Promise<Runtime>>();

/** The build that runs `backend`: WASM runs on either, so the plain one is chosen unless WebGPU will be tried. */
export function startRuntime(kind: RuntimeKind, wasmBase: string): Promise<Runtime> {
  // One base per page (the host's wasmBase and the script's folder are the same folder).
  const key = kind;
  let p = started.get(key);
  if (!p) {
    p = start(kind, wasmBase);
    started.set(key, p);
    // A failed start may be retried by a later load (say, after the page's network hiccup).
    p.catch(() => started.delete(key));
  }
  return p;
}

async function start(kind: RuntimeKind, wasmBase: string): Promise<Runtime> {
  const t0 = performance.now();
  // Two separate chunks: a page imports only the one it uses.
  // onnxruntime-web's main entry is the .jsep build (WebGPU + WASM); its '/webgpu' entry is the
  // asyncify build, which needs files esbuild.js does not ship.
  const [ort, binary] = await Promise.all([
    (kind === 'webgpu' ? import('onnxruntime-web') : import('onnxruntime-web/wasm')) as Promise<OrtModule>,
    runtimeBinary(kind),
  ]);
  const threads = wasmThreads(self.crossOriginIsolated === true, navigator.hardwareConcurrency || 1);
  // The .mjs glue is still loaded from wasmBase; the .wasm too unless its bytes are here already.
  ort.env.wasm.wasmPaths = wasmBase;
  if (binary.bytes) ort.env.wasm.wasmBinary = binary.bytes;
  ort.env.wasm.numThreads = threads;
  // The proxy worker would copy every attention tensor across threads; runs are short and serialized.
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  const warm = await ort.InferenceSession.create(identityModel(), { executionProviders: ['wasm'] });
  await warm.release();
  return { ort, kind, threads, startMs: performance.now() - t0, from: binary.from };
}

/** Session options for the attention graphs (see bench/README.md for what was measured). */
export function sessionOptions(backend: Backend, externalData: readonly ExternalFileData[] = []): Ort.InferenceSession.SessionOptions {
  // One provider per attempt: a list would fall back silently and hide which one ran.
  return { executionProviders: [backend], ...(externalData.length > 0 ? { externalData } : {}) };
}

/**
 * Starts, as the page's script starts and before the host's init arrives, the runtime a page
 * without WebGPU will use; with a WebGPU adapter the choice waits for init's backend preference.
 */
export async function preloadRuntime(unavailable: () => Promise<string | null>): Promise<void> {
  const base = runtimeBase();
  if (!base || (await unavailable()) === null) return;
  startRuntime('wasm', base).catch(() => undefined);
}
