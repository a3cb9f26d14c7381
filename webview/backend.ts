// Can this page use WebGPU? Asked before onnxruntime-web is, so the reason it cannot is ours to
// report in words ("navigator.gpu missing", "no GPU adapter") rather than a backend error.

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/** null when WebGPU has an adapter here; otherwise why not. */
export async function webGpuUnavailable(nav: Navigator = navigator): Promise<string | null> {
  const gpu = (nav as Navigator & { gpu?: GpuLike }).gpu;
  if (!gpu) return 'navigator.gpu missing';
  try {
    const adapter = await gpu.requestAdapter();
    return adapter ? null : 'no GPU adapter';
  } catch (e) {
    return `requestAdapter() failed: ${errorText(e)}`;
  }
}

export function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  // onnxruntime's messages can run to several lines of stack; the first line says what happened.
  return text.split('\n')[0].trim().slice(0, 300) || 'unknown error';
}
