// Where WebGPU is a real GPU, "auto" times a model's first run on both backends and keeps the
// faster for that model (a small model can run faster on WASM than a GPU round trip takes). The
// host remembers the outcome per model across windows; the header says what was measured.
import type { Backend } from './protocol/common';

export interface BackendMeasurement {
  /** The faster backend, which auto then uses for this model. */
  backend: Backend;
  /** A warm run of the same input on each backend, in ms. */
  webgpuMs: number;
  wasmMs: number;
  /** The input's length (tokens) the runs had. */
  tokens: number;
}

/** The faster backend; a tie keeps WebGPU (it leaves the CPU to the editor). */
export function fasterBackend(webgpuMs: number, wasmMs: number): Backend {
  return wasmMs < webgpuMs ? 'wasm' : 'webgpu';
}

export function measure(webgpuMs: number, wasmMs: number, tokens: number): BackendMeasurement {
  return { backend: fasterBackend(webgpuMs, wasmMs), webgpuMs, wasmMs, tokens };
}

const ms = (v: number): string => `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ms`;

/** For the header, beside the backend that ran: "measured for this model: WebGPU 3.1 ms, WASM 9.8 ms (24 tokens)". */
export function measurementNote(m: BackendMeasurement): string {
  const [first, second] = m.backend === 'webgpu'
    ? [`WebGPU ${ms(m.webgpuMs)}`, `WASM ${ms(m.wasmMs)}`]
    : [`WASM ${ms(m.wasmMs)}`, `WebGPU ${ms(m.webgpuMs)}`];
  return `faster for this model as measured: ${first}, ${second} (${m.tokens} tokens)`;
}
