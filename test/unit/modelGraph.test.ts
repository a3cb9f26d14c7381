// The page's checks on what a run gives back (webview/modelGraph.ts), with real tensors.
import * as assert from 'assert';
import * as ort from 'onnxruntime-node';
import type { ModelConfig } from '../../src/shared/modelConfig';
import { ModelContractError, checkRows, graphFileName, queryKeyAgree } from '../../webview/modelGraph';

const config: ModelConfig = { name: 't', architecture: 'causal', num_layers: 1, num_heads: 1, max_tokens: 8, special_tokens: {} };

/** One head, 3 tokens, d 2: q, k and the causal softmax(q·k/√2) they give. */
function outputs(scaleQ = 1): ort.InferenceSession.OnnxValueMapType {
  const q = [1, 0, 0.5, 1, -1, 2];
  const k = [0.3, 0.2, 1, -1, 2, 0.5];
  const a: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = [0, 1, 2].map((j) => (j > i ? -Infinity : (q[i * 2] * k[j * 2] + q[i * 2 + 1] * k[j * 2 + 1]) / Math.SQRT2));
    const m = Math.max(...s);
    const e = s.map((x) => Math.exp(x - m));
    const z = e.reduce((x, y) => x + y, 0);
    a.push(...e.map((x) => x / z));
  }
  return {
    'queries.0': new ort.Tensor('float32', Float32Array.from(q, (x) => x * scaleQ), [1, 1, 3, 2]),
    'keys.0': new ort.Tensor('float32', Float32Array.from(k), [1, 1, 3, 2]),
    'attentions.0': new ort.Tensor('float32', Float32Array.from(a), [1, 1, 3, 3]),
  };
}

describe('webview/modelGraph', () => {
  it('names the graph as the user knows it', () => {
    assert.strictEqual(graphFileName('https://file+.vscode-resource.vscode-cdn.net/home/u/tiny-llama/onnx/model_quantized.onnx'), 'onnx/model_quantized.onnx');
    assert.strictEqual(graphFileName('http://127.0.0.1:9/fixtures/gpt2/model.onnx'), 'model.onnx');
    assert.strictEqual(graphFileName('http://127.0.0.1:9/m/my%20model.onnx'), 'my model.onnx');
    // a large model's chunked transfer key (src/models/modelTransfer.ts): size-mtime-path, URI-encoded
    assert.strictEqual(graphFileName(`attention-lens-chunks:${encodeURIComponent('498938357-1764249-/home/u/gpt2/onnx/model.onnx')}`), 'onnx/model.onnx');
    assert.strictEqual(graphFileName(`attention-lens-chunks:${encodeURIComponent('5-1-C:\\models\\gpt2\\model.onnx')}`), 'model.onnx');
  });

  it('keeps queries and keys only when they give back the attention', () => {
    assert.strictEqual(queryKeyAgree(outputs(), config, 3), true);
    assert.strictEqual(queryKeyAgree(outputs(0.5), config, 3), false, 'Q scaled elsewhere: the three steps would be wrong');
    assert.strictEqual(queryKeyAgree(outputs(), { ...config, num_heads: 2 }, 3), false, 'not one pair per query head');
  });

  it('accepts rows that sum to 1 and names the first that does not', () => {
    const a = outputs()['attentions.0'].data as Float32Array;
    checkRows([a], 1, 3);
    const bad = Float32Array.from(a);
    bad[4] += 0.5;
    assert.throws(() => checkRows([bad], 1, 3), (e: unknown) => e instanceof ModelContractError && /layer 0, head 0, token 1: the weights sum to 1\.5000/.test(e.message));
  });
});
