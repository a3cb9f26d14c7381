// Backend auto on a real GPU: the faster backend per model, and how the header states it.
import * as assert from 'assert';
import { fasterBackend, measure, measurementNote } from '../../src/shared/backendMeasure';

describe('backend measurement', () => {
  it('keeps the faster backend; a tie keeps WebGPU', () => {
    assert.strictEqual(fasterBackend(40, 12), 'wasm');
    assert.strictEqual(fasterBackend(3, 12), 'webgpu');
    assert.strictEqual(fasterBackend(5, 5), 'webgpu');
  });

  it('states both times, the kept backend first', () => {
    assert.strictEqual(measurementNote(measure(40.4, 9.84, 24)), 'faster for this model as measured: WASM 9.8 ms, WebGPU 40 ms (24 tokens)');
    assert.strictEqual(measurementNote(measure(3.14, 12, 7)), 'faster for this model as measured: WebGPU 3.1 ms, WASM 12 ms (7 tokens)');
  });
});
