// Fused attention operators exposed (src/shared/onnxGraph/fusedAttention.ts): decoders built at
// test time with one GroupQueryAttention (rotary inside, or RotaryEmbedding nodes before it),
// MultiHeadAttention, com.microsoft.Attention or ONNX Attention per layer (make_fused.py) give,
// after the rewriting and run by onnxruntime-node, the attention numpy computes from the same weights.
import * as assert from 'assert';
import * as fs from 'fs';
import * as ort from 'onnxruntime-node';
import * as path from 'path';
import { AttentionGraphError, attentionGraph } from '../../src/shared/attentionGraph';
import { makeFeeds } from '../../src/shared/onnxGraph/feeds';
import { NODE, parseModel } from '../../src/shared/onnxGraph/model';
import { inner } from '../../src/shared/onnxGraph/proto';
import { rewriteGraph } from '../../src/shared/onnxGraph/rewrite';
import { FUSED_KINDS, FusedKind, ensureFusedModels, numpyAttention } from '../fixtures/fusedModels';
import { buildModel } from '../fixtures/onnxBuilder';

const IDS = [5, 9, 13, 200, 7, 42, 3];
const read = (dir: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(dir, 'model.onnx')));

/** What each kind's layers must become in the rewritten graph. */
const SHAPE: Record<FusedKind, { op: string; attr: [string, number] | null; wasmOnly: boolean }> = {
  'gqa-rotary': { op: 'GroupQueryAttention', attr: ['qk_output', 2], wasmOnly: true },
  'gqa-rope': { op: 'GroupQueryAttention', attr: ['qk_output', 2], wasmOnly: true },
  mha: { op: 'MultiHeadAttention', attr: null, wasmOnly: true },
  'ms-attention': { op: 'MultiHeadAttention', attr: null, wasmOnly: true },
  'onnx-attention': { op: 'Attention', attr: ['qk_matmul_output_mode', 3], wasmOnly: false },
};

describe('fused attention operators give their probabilities', function () {
  this.timeout(300_000);
  let dirs: Record<FusedKind, string>;
  before(() => { dirs = ensureFusedModels(); });

  for (const kind of FUSED_KINDS) {
    it(`${kind}: attentions.N equal numpy's softmax(QKᵀ·scale + mask) from the same weights (≤ 1e-5)`, async () => {
      const g = attentionGraph(read(dirs[kind]));
      assert.strictEqual(g.source, 'fused');
      assert.strictEqual(g.layers, 2);
      assert.strictEqual(g.queryKey, false);
      assert.strictEqual(Boolean(g.wasmOnly), SHAPE[kind].wasmOnly, String(g.wasmOnly));
      const nodes = parseModel(g.bytes).nodes.filter((n) => n.opType === SHAPE[kind].op);
      assert.strictEqual(nodes.length, 2, `two ${SHAPE[kind].op} nodes`);
      const attr = SHAPE[kind].attr;
      if (attr) for (const n of nodes) assert.deepStrictEqual(n.ints.get(attr[0]), [attr[1]]);
      // the node's own attributes stay (the floats, scale and softcap, are checked by the numbers below)
      for (const n of nodes) assert.deepStrictEqual(n.ints.get(kind === 'onnx-attention' ? 'q_num_heads' : 'num_heads'), [4]);
      if (kind === 'gqa-rotary') assert.deepStrictEqual(nodes.map((n) => [n.ints.get('do_rotary')?.[0], n.ints.get('local_window_size')?.[0]]), [[1, -1], [1, 3]]);
      if (kind === 'gqa-rotary') assert.deepStrictEqual(g.inputs.map((i) => i.role), ['input_ids', 'attention_mask', 'past', 'past', 'past', 'past'], 'past keys and values fed empty');
      if (kind === 'ms-attention') assert.ok(nodes.every((n) => n.ints.get('unidirectional')?.[0] === 1), 'causal as the Attention node');

      const s = await ort.InferenceSession.create(g.bytes);
      try {
        assert.deepStrictEqual([...s.outputNames].sort(), ['attentions.0', 'attentions.1']);
        const feeds = Object.fromEntries(makeFeeds(g.inputs, IDS).map((f) => [f.name, new ort.Tensor(f.type, f.data, f.dims)]));
        const out = await s.run(feeds);
        const want = numpyAttention(dirs[kind], IDS);
        const S = IDS.length;
        for (let l = 0; l < 2; l++) {
          const t = out[`attentions.${l}`];
          assert.deepStrictEqual(t.dims, [1, 4, S, S]);
          const a = t.data as Float32Array;
          let worst = 0;
          for (let h = 0; h < 4; h++) for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) worst = Math.max(worst, Math.abs(a[(h * S + i) * S + j] - want[l][h][i][j]));
          assert.ok(worst <= 1e-5, `layer ${l}: max |onnxruntime − numpy| = ${worst}`);
          // the reference itself is causal (and windowed in gqa-rotary's layer 1): zeros the page must show
          assert.strictEqual(a[1], 0);
        }
      } finally {
        await s.release();
      }
    });
  }

  it('GroupQueryAttention with smooth_softmax is refused by name: its weights do not sum to 1', () => {
    const g = read(dirs['gqa-rope']);
    const m = parseModel(g);
    const n = m.nodes.find((x) => x.opType === 'GroupQueryAttention')!;
    // the same node with smooth_softmax = 1 added, written in its place
    const raw = inner(g, n.field).filter((f) => f.field === NODE.attribute).map((f) => g.subarray(f.start, f.end));
    const node = { opType: n.opType, domain: n.domain, name: n.name, inputs: n.inputs, outputs: n.outputs, rawAttributes: raw, attributes: [{ name: 'smooth_softmax', int: 1 }] };
    const bytes = rewriteGraph(m, [], [], () => true, { replace: [{ index: n.index, node }] }).bytes;
    assert.throws(() => attentionGraph(bytes), (e: unknown) => {
      assert.ok(e instanceof AttentionGraphError);
      assert.match(e.message, /fuses attention into the com\.microsoft\.GroupQueryAttention operator \(node "gqa_0"\), which uses smooth_softmax/);
      return true;
    });
  });

  it('a fused operator it cannot open keeps its message, naming it and the export that avoids it', () => {
    const bad = buildModel({
      inputs: [{ name: 'input_ids', elem: 7, dims: ['batch', 'seq'] }], outputs: [{ name: 'y', dims: ['batch', 'seq', 4] }],
      initializers: { emb: [[8, 4], Array.from({ length: 32 }, (_, i) => i / 32)] },
      nodes: [{ opType: 'Gather', name: 'g', inputs: ['emb', 'input_ids'], outputs: ['x'] },
        { opType: 'PackedAttention', name: 'packed_0', inputs: ['x'], outputs: ['y'] }],
      domains: [['com.microsoft', 1]], nodeDomains: { 1: 'com.microsoft' },
    });
    assert.throws(() => attentionGraph(bad), (e: unknown) => {
      assert.ok(e instanceof AttentionGraphError);
      assert.strictEqual(e.problem, 'fused-attention');
      assert.match(e.message, /fuses attention into the com\.microsoft\.PackedAttention operator \(node "packed_0"\)/);
      assert.match(e.message, /attn_implementation="eager"/);
      return true;
    });
  });
});
