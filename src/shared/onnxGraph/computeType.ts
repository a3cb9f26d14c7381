// The float type a graph computes in, and what that asks of a WebGPU adapter: float16 kernels need
// the adapter's `shader-f16` feature, without which onnxruntime-web's WebGPU session fails or the
// page would have no GPU path for an fp16 export (model_fp16.onnx) — WASM runs it instead.
import { ELEM, GRAPH, OnnxModel, initializerName } from './model';
import { inner, intField } from './proto';

/** float16 when the graph's weights are all float16 (an fp16 export), else float. */
export function computeType(m: OnnxModel): typeof ELEM.float | typeof ELEM.float16 {
  const TENSOR_DATA_TYPE = 2;
  let half = false;
  for (const f of m.graphFields.filter((x) => x.field === GRAPH.initializer && x.wire === 2)) {
    const t = intField(m.bytes, inner(m.bytes, f), TENSOR_DATA_TYPE);
    if (t === ELEM.float) return ELEM.float;
    if (t === ELEM.float16) half = true;
  }
  return half ? ELEM.float16 : ELEM.float;
}

/**
 * The type the graph's kernels run in: float16 when a float16 weight feeds a node other than a Cast
 * (an fp16 export: onnxconverter_common's, whose float outputs are cast back to float at the end, or
 * a whole-fp16 one with float16 outputs). Weights stored as float16 and cast to float before use (as
 * the bundled models keep them, half the download) run float kernels, which need no shader-f16.
 */
export function kernelType(m: OnnxModel): typeof ELEM.float | typeof ELEM.float16 {
  if (computeType(m) === ELEM.float16 && !m.outputs.some((o) => o.elemType === ELEM.float)) return ELEM.float16;
  const TENSOR_DATA_TYPE = 2;
  const half = new Set<string>();
  for (const f of m.graphFields.filter((x) => x.field === GRAPH.initializer && x.wire === 2)) {
    if (intField(m.bytes, inner(m.bytes, f), TENSOR_DATA_TYPE) === ELEM.float16) half.add(initializerName(m.bytes, f));
  }
  return m.nodes.some((n) => n.opType !== 'Cast' && n.inputs.some((x) => half.has(x))) ? ELEM.float16 : ELEM.float;
}

/** Why WebGPU cannot run the graph on this adapter (fp16 without shader-f16), or null when it can. */
export function webGpuComputeRefusal(type: number, adapterHasShaderF16: boolean): string | null {
  if (type === ELEM.float16 && !adapterHasShaderF16) {
    return 'the graph computes in float16 and the WebGPU adapter lacks shader-f16';
  }
  return null;
}
