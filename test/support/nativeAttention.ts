// The model run natively (onnxruntime-node, CPU) on the same token ids: the reference that the
// webview page (browser tests) and the panel in VS Code (VS Code tests) must match.
import * as ort from 'onnxruntime-node';
import * as path from 'path';
import { AttentionStack, makeStack } from '../../src/shared/attention';

export async function nativeAttention(modelDir: string, ids: readonly number[], layers: number, heads: number): Promise<AttentionStack> {
  const session = await ort.InferenceSession.create(path.join(modelDir, 'model.onnx'));
  try {
    const input = new ort.Tensor('int64', BigInt64Array.from(ids, (i) => BigInt(i)), [1, ids.length]);
    const names = Array.from({ length: layers }, (_, l) => `attentions.${l}`);
    const out = await session.run({ input_ids: input }, names);
    return makeStack(names.map((n) => Float32Array.from(out[n].data as Float32Array)), heads, ids.length);
  } finally {
    await session.release();
  }
}
