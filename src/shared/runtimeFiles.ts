// The onnxruntime-web runtime files (.wasm) the page runs, by backend, and the SHA-256 of each as
// esbuild.js baked it into this build. Host and page both read them: the host sends a runtime's
// bytes by message, the page caches them under their hash (webview/runtimeCache.ts).
import type { Backend } from './protocol/common';

declare const __ORT_RUNTIME_SHA256__: Record<Backend, string> | undefined;

/** The .wasm each runtime build loads (esbuild.js copies them into dist/webview/). */
export const RUNTIME_WASM: Record<Backend, string> = {
  wasm: 'ort-wasm-simd-threaded.wasm',
  webgpu: 'ort-wasm-simd-threaded.jsep.wasm',
};

/** The runtime's SHA-256 (hex) in this build; null where the code was not bundled (tsc output in unit tests). */
export function runtimeSha256(kind: Backend): string | null {
  return typeof __ORT_RUNTIME_SHA256__ === 'undefined' ? null : __ORT_RUNTIME_SHA256__[kind];
}
