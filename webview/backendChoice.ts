// Whether "auto" should run on WebGPU here. A WebGPU adapter can be a software renderer on the CPU
// (SwiftShader, llvmpipe, WARP: a fallback adapter), where a run is many times slower than on
// WASM (1.8 s against 60 ms, measured): that is no GPU, so auto means WASM, and the header says why.
// An explicit `webgpu` setting still uses such an adapter.
import type { BackendPreference } from '../src/shared/protocol';
import { errorText } from './backend';

/** What an adapter says about itself (GPUAdapterInfo, and the older isFallbackAdapter flag). */
export interface AdapterFacts {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

const SOFTWARE: [RegExp, string][] = [
  [/swiftshader/i, 'SwiftShader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/lavapipe/i, 'lavapipe'],
  [/softpipe/i, 'softpipe'],
  [/basic render driver|\bwarp\b/i, 'WARP'],
];

/** The software renderer behind an adapter ("SwiftShader", "a fallback adapter"), or null for a GPU. */
export function softwareAdapter(f: AdapterFacts): string | null {
  const text = [f.vendor, f.architecture, f.device, f.description].filter(Boolean).join(' ');
  for (const [re, name] of SOFTWARE) if (re.test(text)) return name;
  if (f.isFallbackAdapter) return 'a fallback adapter';
  return null;
}

/** "google swiftshader (SwiftShader Device)": how the adapter names itself, for logs and the header. */
export function adapterName(f: AdapterFacts): string {
  const main = [f.vendor, f.architecture].filter(Boolean).join(' ');
  const more = f.description || f.device;
  return (main && more ? `${main} (${more})` : main || more || 'unnamed adapter').slice(0, 120);
}

export interface GpuDecision {
  /** Create a WebGPU session (else WASM straight away). */
  tryGpu: boolean;
  /** Why not WebGPU (null when it will be tried). */
  reason: string | null;
  /** The adapter's facts, when there is one. */
  adapter: AdapterFacts | null;
  /** Whether the adapter offers float16 shaders (needed by an fp16 graph). */
  shaderF16: boolean;
}

interface AdapterLike {
  features?: { has(name: string): boolean };
  info?: AdapterFacts;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<AdapterFacts>;
}

interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

export async function adapterFacts(adapter: AdapterLike): Promise<AdapterFacts> {
  let info = adapter.info;
  if (!info && typeof adapter.requestAdapterInfo === 'function') info = await adapter.requestAdapterInfo().catch(() => undefined);
  return {
    vendor: info?.vendor, architecture: info?.architecture, device: info?.device, description: info?.description,
    isFallbackAdapter: adapter.isFallbackAdapter ?? info?.isFallbackAdapter,
  };
}

/** The backend decision for a preference, from the page's WebGPU adapter (if any). */
export async function decideWebGpu(preference: BackendPreference, nav: Navigator = navigator): Promise<GpuDecision> {
  if (preference === 'wasm') return { tryGpu: false, reason: 'WASM chosen in the attentionLens.backend setting', adapter: null, shaderF16: false };
  const gpu = (nav as Navigator & { gpu?: GpuLike }).gpu;
  if (!gpu) return { tryGpu: false, reason: 'navigator.gpu missing', adapter: null, shaderF16: false };
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    return { tryGpu: false, reason: `requestAdapter() failed: ${errorText(e)}`, adapter: null, shaderF16: false };
  }
  if (!adapter) return { tryGpu: false, reason: 'no GPU adapter', adapter: null, shaderF16: false };
  const facts = await adapterFacts(adapter);
  const software = softwareAdapter(facts);
  if (software && preference === 'auto') {
    return {
      tryGpu: false,
      reason: `the WebGPU adapter is ${software}, a software renderer on the CPU, slower than WASM (set attentionLens.backend to webgpu to use it anyway)`,
      adapter: facts,
      shaderF16: false,
    };
  }
  return { tryGpu: true, reason: null, adapter: facts, shaderF16: adapter.features?.has('shader-f16') ?? false };
}
