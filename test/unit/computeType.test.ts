// An fp16 export (model_fp16.onnx) on a WebGPU adapter without shader-f16 runs on WASM, and the
// reason names both: computeType reads the graph's weights, webGpuComputeRefusal decides.
import * as assert from 'assert';
import { computeType, kernelType, webGpuComputeRefusal } from '../../src/shared/onnxGraph/computeType';
import { ELEM, parseModel } from '../../src/shared/onnxGraph/model';
import { decideWebGpu } from '../../webview/backendChoice';
import { buildModel } from '../fixtures/onnxBuilder';

const ONE_HALF = 0x3c00;

function matMulModel(weight: [number[], number[]] | [number[], number[], 'float16'], elem: number): Uint8Array {
  return buildModel({
    inputs: [{ name: 'x', elem, dims: [1, 2] }],
    outputs: [{ name: 'y', elem, dims: [1, 2] }],
    nodes: [{ opType: 'MatMul', name: 'mm', inputs: ['x', 'w'], outputs: ['y'], attributes: [] }],
    initializers: { w: weight },
  });
}

describe('the float type a graph computes in, and WebGPU without shader-f16', () => {
  it('a graph whose weights are float16 computes in float16', () => {
    const m = parseModel(matMulModel([[2, 2], [ONE_HALF, 0, 0, ONE_HALF], 'float16'], ELEM.float16));
    assert.strictEqual(computeType(m), ELEM.float16);
  });

  it('float16 weights cast to float before use (the bundled models) run float kernels, which WebGPU runs without shader-f16', () => {
    const bytes = buildModel({
      inputs: [{ name: 'x', elem: ELEM.float, dims: [1, 2] }],
      outputs: [{ name: 'y', elem: ELEM.float, dims: [1, 2] }],
      nodes: [
        { opType: 'Cast', name: 'up', inputs: ['w'], outputs: ['w32'], attributes: [{ name: 'to', int: ELEM.float }] },
        { opType: 'MatMul', name: 'mm', inputs: ['x', 'w32'], outputs: ['y'], attributes: [] },
      ],
      initializers: { w: [[2, 2], [ONE_HALF, 0, 0, ONE_HALF], 'float16'] },
    });
    assert.strictEqual(kernelType(parseModel(bytes)), ELEM.float);
    assert.strictEqual(kernelType(parseModel(matMulModel([[2, 2], [ONE_HALF, 0, 0, ONE_HALF], 'float16'], ELEM.float16))), ELEM.float16);
  });

  it('float16 weights used as they are with the outputs cast back to float (onnxconverter_common\'s keep_io_types, transformers.js\'s model_fp16.onnx) run float16 kernels', () => {
    const bytes = buildModel({
      inputs: [{ name: 'x', elem: ELEM.float16, dims: [1, 2] }],
      outputs: [{ name: 'y', elem: ELEM.float, dims: [1, 2] }],
      nodes: [
        { opType: 'MatMul', name: 'mm', inputs: ['x', 'w'], outputs: ['y16'], attributes: [] },
        { opType: 'Cast', name: 'graph_output_cast_y', inputs: ['y16'], outputs: ['y'], attributes: [{ name: 'to', int: ELEM.float }] },
      ],
      initializers: { w: [[2, 2], [ONE_HALF, 0, 0, ONE_HALF], 'float16'] },
    });
    assert.strictEqual(kernelType(parseModel(bytes)), ELEM.float16);
    assert.match(webGpuComputeRefusal(kernelType(parseModel(bytes)), false) ?? '', /lacks shader-f16/);
  });

  it('a float32 graph computes in float', () => {
    const m = parseModel(matMulModel([[2, 2], [1, 0, 0, 1]], ELEM.float));
    assert.strictEqual(computeType(m), ELEM.float);
  });

  it('fp16 on an adapter without shader-f16 is refused with the reason; with it, or in float32, it is not', () => {
    assert.match(webGpuComputeRefusal(ELEM.float16, false) ?? '', /float16 .*lacks shader-f16/);
    assert.strictEqual(webGpuComputeRefusal(ELEM.float16, true), null);
    assert.strictEqual(webGpuComputeRefusal(ELEM.float, false), null);
  });
});

describe('the WebGPU decision reads the adapter\'s shader-f16 feature', () => {
  const nav = (features: string[]): Navigator => ({
    gpu: { requestAdapter: () => Promise.resolve({ info: { vendor: 'nvidia', architecture: 'ada' }, features: new Set(features) }) },
  }) as unknown as Navigator;

  it('an adapter with shader-f16 says so; one without does not', async () => {
    assert.strictEqual((await decideWebGpu('auto', nav(['shader-f16']))).shaderF16, true);
    const without = await decideWebGpu('auto', nav([]));
    assert.strictEqual(without.tryGpu, true);
    assert.strictEqual(without.shaderF16, false);
  });
});
