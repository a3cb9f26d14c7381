// Pruning the model to the outputs the panel reads: the attention numbers stay exactly those of
// the whole model, and the work that only fed the logits is gone.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { parseModelConfig } from '../../src/shared/modelConfig';
import { OnnxFormatError, isAttentionOutput, pruneOnnx } from '../../src/shared/onnxPrune';

const MODEL = path.resolve(__dirname, '../../../models/default');

describe('pruneOnnx', function () {
  this.timeout(60_000);
  const bytes = new Uint8Array(fs.readFileSync(path.join(MODEL, 'model.onnx')));
  const config = parseModelConfig(fs.readFileSync(path.join(MODEL, 'config.json'), 'utf8'));

  it('keeps attentions, queries and keys, drops logits and the nodes only it needed', async () => {
    const p = pruneOnnx(bytes, isAttentionOutput);
    assert.strictEqual(p.unchanged, null);
    assert.deepStrictEqual(p.removedOutputs, ['logits']);
    assert.ok(p.removedNodes > 0);
    assert.ok(p.bytes.length < bytes.length, 'the vocabulary projection weights are dropped too');
    const s = await ort.InferenceSession.create(p.bytes);
    try {
      assert.deepStrictEqual([...s.outputNames].sort(), [...p.keptOutputs].sort());
      assert.ok(!s.outputNames.includes('logits'));
    } finally {
      await s.release();
    }
  });

  it('gives exactly the whole model\'s attentions, queries and keys', async () => {
    const full = await ort.InferenceSession.create(bytes);
    const pruned = await ort.InferenceSession.create(pruneOnnx(bytes, isAttentionOutput).bytes);
    try {
      const seq = 40;
      const ids = BigInt64Array.from({ length: seq }, (_, i) => BigInt(i === 0 ? 0 : (i * 131) % config.vocab_size!));
      const feeds = { input_ids: new ort.Tensor('int64', ids, [1, seq]) };
      const names = pruned.outputNames;
      const a = await full.run(feeds, names);
      const b = await pruned.run(feeds);
      for (const n of names) {
        assert.deepStrictEqual(b[n].dims, a[n].dims, n);
        const x = a[n].data as Float32Array;
        const y = b[n].data as Float32Array;
        let worst = 0;
        for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
        assert.ok(worst <= 1e-6, `${n} differs by ${worst}`);
      }
    } finally {
      await full.release();
      await pruned.release();
    }
  });

  it('keeping fewer outputs removes more: attentions.0 alone needs only the first layer', () => {
    const all = pruneOnnx(bytes, isAttentionOutput);
    const first = pruneOnnx(bytes, (n) => n === 'attentions.0');
    assert.deepStrictEqual(first.keptOutputs, ['attentions.0']);
    assert.ok(first.removedNodes > all.removedNodes);
    assert.ok(first.bytes.length < all.bytes.length);
  });

  it('returns the very same bytes when every output is kept', () => {
    const p = pruneOnnx(bytes, () => true);
    assert.strictEqual(p.bytes, bytes);
    assert.strictEqual(p.unchanged, 'every output is used');
  });

  it('refuses a cut that leaves no output, and bytes that are not a whole model', () => {
    assert.throws(() => pruneOnnx(bytes, () => false), OnnxFormatError);
    assert.throws(() => pruneOnnx(bytes.subarray(0, bytes.length - 1000), isAttentionOutput), OnnxFormatError);
    assert.throws(() => pruneOnnx(new TextEncoder().encode('{"not": "onnx"}'), isAttentionOutput), OnnxFormatError);
  });
});
