// Attention exposed from graphs that do not return it: the fixture models (GPT-2-, BERT- and
// Llama-shaped PyTorch exports, built at test time) run natively after the rewriting and give
// PyTorch's own attention probabilities; queries and keys reproduce them; the graph keeps only
// what attention needs. com.microsoft.Attention (the optimizer's fused form) is opened; an input that cannot be filled is refused by name.
import * as assert from 'assert';
import * as fs from 'fs';
import * as ort from 'onnxruntime-node';
import { attentionSteps } from '../../src/shared/attention';
import { AttentionGraphError, attentionGraph, inspectAttentionGraph, unsupportedOperatorMessage } from '../../src/shared/attentionGraph';
import { makeFeeds } from '../../src/shared/onnxGraph/feeds';
import { Fixture, ensureFixtures } from '../fixtures/build';
import { buildModel } from '../fixtures/onnxBuilder';

async function run(bytes: Uint8Array, feeds: ReturnType<typeof makeFeeds>): Promise<{ names: string[]; out: ort.InferenceSession.OnnxValueMapType }> {
  const s = await ort.InferenceSession.create(bytes);
  try {
    const f = Object.fromEntries(feeds.map((x) => [x.name, new ort.Tensor(x.type, x.data, x.dims)]));
    return { names: [...s.outputNames], out: await s.run(f) };
  } finally {
    await s.release();
  }
}

const read = (file: string): Uint8Array => new Uint8Array(fs.readFileSync(file));

describe('attentionGraph on Hugging Face-style exports', function () {
  this.timeout(300_000);
  let fx: Record<string, Fixture>;
  before(() => { fx = ensureFixtures(); });

  for (const name of ['gpt2', 'bert', 'llama']) {
    describe(name, () => {
      it('exposes one Softmax per layer, in graph order, the same nodes the onnx library lists', () => {
        const f = fx[name];
        const g = attentionGraph(read(f.modelFile));
        assert.strictEqual(g.source, 'softmax');
        assert.strictEqual(g.layers, f.info.layers);
        assert.deepStrictEqual(g.softmaxNodes, f.info.softmax?.map((s) => s.node));
        assert.ok(g.queryKey, 'Q and K found');
        assert.ok(g.removedNodes > 0, 'what only fed the logits is cut');
      });

      it('feeds what the graph asks for, by its declared types', () => {
        const g = attentionGraph(read(fx[name].modelFile));
        const want: Record<string, string[]> = {
          gpt2: ['input_ids', 'attention_mask'],
          bert: ['input_ids', 'attention_mask', 'token_type_ids'],
          llama: ['input_ids', 'attention_mask', 'position_ids', 'past', 'past', 'past', 'past'],
        };
        assert.deepStrictEqual(g.inputs.map((i) => i.role), want[name]);
        for (const p of g.inputs.filter((i) => i.role === 'past')) assert.deepStrictEqual(p.emptyShape, [1, 2, 0, 16]);
      });

      it("gives PyTorch's own attention: [1, heads, seq, seq], rows sum to 1, causal zeros", async () => {
        const f = fx[name];
        const ids = f.info.probe_ids ?? [];
        const g = attentionGraph(read(f.modelFile));
        const { names, out } = await run(g.bytes, makeFeeds(g.inputs, ids));
        const L = f.info.layers;
        const H = f.info.heads;
        const S = ids.length;
        const expected = [0, 1].flatMap((l) => ['attentions', 'queries', 'keys'].map((k) => `${k}.${l}`)).sort();
        assert.deepStrictEqual(names.sort(), expected, 'logits and present.* are cut');
        for (let l = 0; l < L; l++) {
          const t = out[`attentions.${l}`];
          assert.deepStrictEqual(t.dims, [1, H, S, S]);
          const a = t.data as Float32Array;
          let worst = 0;
          for (let h = 0; h < H; h++) {
            for (let i = 0; i < S; i++) {
              let sum = 0;
              for (let j = 0; j < S; j++) {
                const v = a[(h * S + i) * S + j];
                sum += v;
                worst = Math.max(worst, Math.abs(v - f.info.probe_attentions![l][h][i][j]));
                if (f.info.causal && j > i) assert.strictEqual(v, 0, `layer ${l} head ${h}: ${i} → ${j}`);
              }
              assert.ok(Math.abs(sum - 1) < 1e-5, `row sums to ${sum}`);
            }
          }
          assert.ok(worst <= 1e-4, `layer ${l} differs from PyTorch by ${worst}`);
        }
      });

      it('queries and keys (post-rotary, per query head) reproduce every row: softmax(q·k/√d)', async () => {
        const f = fx[name];
        const ids = f.info.probe_ids ?? [];
        const g = attentionGraph(read(f.modelFile));
        const { out } = await run(g.bytes, makeFeeds(g.inputs, ids));
        const S = ids.length;
        for (let l = 0; l < f.info.layers; l++) {
          const q = out[`queries.${l}`];
          const k = out[`keys.${l}`];
          const dk = q.dims[3];
          assert.deepStrictEqual(q.dims, [1, f.info.heads, S, dk]);
          assert.deepStrictEqual(k.dims, q.dims);
          const a = out[`attentions.${l}`].data as Float32Array;
          for (let h = 0; h < f.info.heads; h++) {
            for (let i = 0; i < S; i++) {
              const steps = attentionSteps(q.data as Float32Array, k.data as Float32Array, h, S, dk, i, f.info.causal);
              for (let j = 0; j < S; j++) assert.ok(Math.abs(steps.weights[j] - a[(h * S + i) * S + j]) < 1e-4, `layer ${l} head ${h} ${i}→${j}`);
            }
          }
        }
      });
    });
  }

  it('a graph that returns attentions.N is used as it is (only cut)', () => {
    const f = fx.gpt2;
    const once = attentionGraph(read(f.modelFile));
    const again = attentionGraph(once.bytes);
    assert.strictEqual(again.source, 'outputs');
    assert.strictEqual(again.layers, once.layers);
    assert.ok(again.queryKey);
    assert.strictEqual(again.bytes, once.bytes, 'nothing to add or cut');
  });

  it('opens com.microsoft.Attention (the optimizer\'s fused form): its Q and K rebuilt, causal probabilities exposed', async () => {
    const g = attentionGraph(read(fx.fused.modelFile));
    assert.strictEqual(g.source, 'fused');
    assert.strictEqual(g.layers, 1);
    assert.match(g.wasmOnly ?? '', /rebuilt with a MultiHeadAttention, whose scores \(output 3\) onnxruntime-web computes on WASM only/);
    const ids = [5, 9, 13, 200, 7];
    const { out } = await run(g.bytes, makeFeeds(g.inputs, ids));
    const a = out['attentions.0'];
    assert.deepStrictEqual(a.dims, [1, 2, 5, 5]);
    // unidirectional=1 in the node: causal rows that sum to 1 (the values: fusedAttention.test.ts, against numpy)
    const p = a.data as Float32Array;
    for (let r = 0; r < 10; r++) {
      const row = p.subarray(r * 5, r * 5 + 5);
      assert.ok(Math.abs(row.reduce((x, y) => x + y, 0) - 1) < 1e-5, `row ${r}`);
      for (let j = (r % 5) + 1; j < 5; j++) assert.strictEqual(row[j], 0, `row ${r} → ${j}`);
    }
  });

  it('names the input it cannot fill', () => {
    assert.throws(() => inspectAttentionGraph(read(fx.unfillable.modelFile)), (e: unknown) => {
      assert.ok(e instanceof AttentionGraphError);
      assert.strictEqual(e.problem, 'input');
      assert.strictEqual(e.subject, 'encoder_hidden_states');
      assert.match(e.message, /input named encoder_hidden_states \(float32 \[batch_size, encoder_sequence_length, 16\]\) that Attention Lens cannot fill/);
      return true;
    });
  });

  it('says which operator onnxruntime does not know or has no kernel for (its own error texts)', async () => {
    assert.strictEqual(unsupportedOperatorMessage("Could not find an implementation for FancyOp(7) node with name 'n1'"),
      'model.onnx uses the operator FancyOp (opset 7, node "n1"), which onnxruntime-web cannot run');
    assert.strictEqual(unsupportedOperatorMessage('some other failure'), null);
    const cases: [string | undefined, RegExp][] = [
      [undefined, /^model\.onnx uses the operator FooBar \(opset 14, node "n1"\), which onnxruntime-web cannot run$/],
      ['com.microsoft', /^model\.onnx uses the operator com\.microsoft\.FooBar \(not a registered operator\)/],
    ];
    for (const [domain, pattern] of cases) {
      const bytes = buildModel({ inputs: [{ name: 'x', dims: [2] }], outputs: [{ name: 'y' }], nodes: [{ opType: 'FooBar', name: 'n1', inputs: ['x'], outputs: ['y'] }],
        domains: domain ? [[domain, 1]] : [], nodeDomains: domain ? { 0: domain } : undefined });
      const err = await ort.InferenceSession.create(bytes).then(() => null, (e: Error) => e.message);
      assert.ok(err, 'onnxruntime refuses the operator');
      assert.match(unsupportedOperatorMessage(err) ?? `unrecognised: ${err}`, pattern);
    }
  });
});
