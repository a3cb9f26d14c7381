// The graph rewriting on small synthetic graphs: which Softmax counts as attention (key axis,
// feeds the product with V, opset defaults), Q and K found and exposed per head, the messages for
// fused, custom and nested graphs, and what each declared input is fed.
import * as assert from 'assert';
import * as ort from 'onnxruntime-node';
import { attentionSteps } from '../../src/shared/attention';
import { AttentionGraphError, attentionGraph, inspectAttentionGraph } from '../../src/shared/attentionGraph';
import { makeFeeds } from '../../src/shared/onnxGraph/feeds';
import { ELEM } from '../../src/shared/onnxGraph/model';
import { encodeField, message } from '../../src/shared/onnxGraph/proto';
import { NewNode } from '../../src/shared/onnxGraph/rewrite';
import { ModelSpec, ValueSpec, buildModel } from '../fixtures/onnxBuilder';

const V = 20;
const D = 8;
const H = 2;
const rand = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(seed * 97 + i * 13.7) * 0.8);

/** One self-attention layer with H heads: ids → embed → Q, K, V → softmax(QKᵀ/√d) V → logits. */
type ScaleAt = 'scores' | 'sdpa' | 'query' | 'hidden-rank';

function attentionSpec(o: { softmaxAxis?: number | null; opset?: number; inputs?: ValueSpec[]; probsToOutput?: boolean; scaleAt?: ScaleAt } = {}): ModelSpec {
  const heads = (x: string, out: string): NewNode[] => [
    { opType: 'Reshape', name: `${out}/reshape`, inputs: [x, 'shape4'], outputs: [`${out}_r`] },
    { opType: 'Transpose', name: `${out}/t`, inputs: [`${out}_r`], outputs: [out], attributes: [{ name: 'perm', ints: [0, 2, 1, 3] }] },
  ];
  const axis = o.softmaxAxis === undefined ? -1 : o.softmaxAxis;
  // Where the 1/√d scale is applied: to the scores (GPT-2, BERT), to Q before the product
  // (DistilBERT), or √ of it to Q and Kᵀ both (torch's scaled_dot_product_attention export).
  const scaling: Record<ScaleAt, NewNode[]> = {
    scores: [
      { opType: 'MatMul', name: 'scores', inputs: ['q', 'kt'], outputs: ['s'] },
      { opType: 'Div', name: 'scale', inputs: ['s', 'scale'], outputs: ['s2'] },
    ],
    query: [
      { opType: 'Div', name: 'q_scale', inputs: ['q', 'scale'], outputs: ['qs'] },
      { opType: 'MatMul', name: 'scores', inputs: ['qs', 'kt'], outputs: ['s2'] },
    ],
    // Kᵀ through an op that hides its rank: K is then taken back with an Einsum, not a Transpose
    'hidden-rank': [
      { opType: 'Identity', name: 'k_t_copy', inputs: ['kt'], outputs: ['kt_copy'] },
      { opType: 'MatMul', name: 'scores', inputs: ['q', 'kt_copy'], outputs: ['s'] },
      { opType: 'Div', name: 'scale', inputs: ['s', 'scale'], outputs: ['s2'] },
    ],
    sdpa: [
      { opType: 'Sqrt', name: 'sqrt_scale', inputs: ['inv_scale'], outputs: ['root'] },
      { opType: 'Mul', name: 'q_scale', inputs: ['q', 'root'], outputs: ['qs'] },
      { opType: 'Mul', name: 'k_scale', inputs: ['kt', 'root'], outputs: ['kts'] },
      { opType: 'MatMul', name: 'scores', inputs: ['qs', 'kts'], outputs: ['s2'] },
    ],
  };
  return {
    opset: o.opset,
    inputs: o.inputs ?? [{ name: 'input_ids', elem: ELEM.int64, dims: ['batch', 'seq'] }],
    outputs: [{ name: o.probsToOutput ? 'p' : 'logits' }],
    initializers: {
      emb: [[V, D], rand(V * D, 1)], wq: [[D, D], rand(D * D, 2)], wk: [[D, D], rand(D * D, 3)], wv: [[D, D], rand(D * D, 4)],
      wo: [[D, V], rand(D * V, 5)], scale: [[], [Math.sqrt(D / H)]], inv_scale: [[], [1 / Math.sqrt(D / H)]], shape4: [[4], [1, -1, H, D / H], 'int64'],
    },
    nodes: [
      { opType: 'Gather', name: 'embed', inputs: ['emb', 'input_ids'], outputs: ['x'] },
      { opType: 'MatMul', name: 'q_proj', inputs: ['x', 'wq'], outputs: ['q0'] },
      { opType: 'MatMul', name: 'k_proj', inputs: ['x', 'wk'], outputs: ['k0'] },
      { opType: 'MatMul', name: 'v_proj', inputs: ['x', 'wv'], outputs: ['v0'] },
      ...heads('q0', 'q'), ...heads('k0', 'k'), ...heads('v0', 'v'),
      { opType: 'Transpose', name: 'k_t', inputs: ['k'], outputs: ['kt'], attributes: [{ name: 'perm', ints: [0, 1, 3, 2] }] },
      ...scaling[o.scaleAt ?? 'scores'],
      { opType: 'Softmax', name: 'attn_softmax', inputs: ['s2'], outputs: ['p'], attributes: axis === null ? [] : [{ name: 'axis', int: axis }] },
      { opType: 'MatMul', name: 'context', inputs: ['p', 'v'], outputs: ['c'] },
      { opType: 'Transpose', name: 'merge', inputs: ['c'], outputs: ['c2'], attributes: [{ name: 'perm', ints: [0, 2, 1, 3] }] },
      { opType: 'Reshape', name: 'merge/reshape', inputs: ['c2', 'shape3'], outputs: ['c3'] },
      { opType: 'MatMul', name: 'lm_head', inputs: ['c3', 'wo'], outputs: ['logits'] },
    ],
  };
}

function withShape3(s: ModelSpec): ModelSpec {
  return { ...s, initializers: { ...s.initializers, shape3: [[3], [1, -1, D], 'int64'] } };
}
const model = (o: Parameters<typeof attentionSpec>[0] = {}): Uint8Array => buildModel(withShape3(attentionSpec(o)));

function problem(bytes: Uint8Array, kind: string, pattern: RegExp, opts = {}): void {
  assert.throws(() => inspectAttentionGraph(bytes, opts), (e: unknown) => {
    assert.ok(e instanceof AttentionGraphError, String(e));
    assert.strictEqual(e.problem, kind, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('attentionGraph on synthetic graphs', function () {
  this.timeout(60_000); // onnxruntime sessions, on a machine that may be busy
  const cases: Record<ScaleAt, string> = {
    scores: 'scale applied to the scores', query: 'scale applied to Q', sdpa: 'scale applied to Q and Kᵀ, as SDPA exports do',
    'hidden-rank': 'Kᵀ of unknown rank, turned back by an Einsum',
  };
  for (const scaleAt of Object.keys(cases) as ScaleAt[]) {
    it(`exposes the Softmax and Q/K of a 2-head layer (${cases[scaleAt]}); onnxruntime runs it and q·k/√d gives the attention back`, async () => {
      const g = attentionGraph(model({ scaleAt }));
      assert.deepStrictEqual([g.layers, g.source, g.queryKey, g.softmaxNodes], [1, 'softmax', true, ['attn_softmax']]);
      const s = await ort.InferenceSession.create(g.bytes);
      try {
        assert.deepStrictEqual([...s.outputNames].sort(), ['attentions.0', 'keys.0', 'queries.0']);
        const ids = [3, 7, 1, 19, 4];
        const feeds = Object.fromEntries(makeFeeds(g.inputs, ids).map((f) => [f.name, new ort.Tensor(f.type, f.data, f.dims)]));
        const out = await s.run(feeds);
        assert.deepStrictEqual(out['attentions.0'].dims, [1, H, 5, 5]);
        assert.deepStrictEqual(out['keys.0'].dims, [1, H, 5, D / H]);
        const a = out['attentions.0'].data as Float32Array;
        for (let h = 0; h < H; h++) {
          for (let i = 0; i < 5; i++) {
            const st = attentionSteps(out['queries.0'].data as Float32Array, out['keys.0'].data as Float32Array, h, 5, D / H, i, false);
            for (let j = 0; j < 5; j++) assert.ok(Math.abs(st.weights[j] - a[(h * 5 + i) * 5 + j]) < 1e-5, `${h} ${i}→${j}`);
          }
        }
      } finally {
        await s.release();
      }
    });
  }

  it('a Softmax over another axis, or one not multiplied by V, is not attention', () => {
    problem(model({ softmaxAxis: 1 }), 'no-attention', /has no attention Softmax/);
    problem(buildModel(withShape3({ ...attentionSpec({ probsToOutput: true }), nodes: attentionSpec().nodes.slice(0, 14) })), 'no-attention', /has no attention Softmax/);
  });

  it("follows the opset's default axis: -1 from opset 13, 1 before", () => {
    assert.strictEqual(inspectAttentionGraph(model({ softmaxAxis: null, opset: 14 })).layers, 1);
    problem(model({ softmaxAxis: null, opset: 12 }), 'no-attention', /no attention Softmax/);
    assert.strictEqual(inspectAttentionGraph(model({ softmaxAxis: 3, opset: 12 })).layers, 1);
  });

  it('names a fused operator it cannot open (PackedAttention) and an operator from an unknown domain', () => {
    const packed = attentionSpec();
    packed.nodes.push({ opType: 'PackedAttention', name: 'packed_0', inputs: ['x'], outputs: ['unused'] });
    problem(buildModel(withShape3({ ...packed, domains: [['com.microsoft', 1]], nodeDomains: { [packed.nodes.length - 1]: 'com.microsoft' } })),
      'fused-attention', /fuses attention into the com\.microsoft\.PackedAttention operator \(node "packed_0"\)/);
    const custom = attentionSpec();
    custom.nodes.push({ opType: 'FancyNorm', name: 'norm_0', inputs: ['x'], outputs: ['unused'] });
    problem(buildModel(withShape3({ ...custom, domains: [['ai.onnx.contrib', 1]], nodeDomains: { [custom.nodes.length - 1]: 'ai.onnx.contrib' } })),
      'custom-operator', /uses the operator ai\.onnx\.contrib\.FancyNorm \(node "norm_0"\), which onnxruntime-web does not have/);
  });

  it('names the files its weights are in (ONNX external data), and says so when an initializer names none', () => {
    const spec = withShape3(attentionSpec());
    const { wo: _, ...rest } = spec.initializers ?? {};
    const g = inspectAttentionGraph(buildModel({ ...spec, initializers: rest, external: { wo: [[D, V], 'model.onnx_data'], wq2: [[D, D], 'model.onnx_data_1'] } }));
    assert.deepStrictEqual(g.externalFiles, ['model.onnx_data', 'model.onnx_data_1']);
    problem(buildModel({ ...spec, initializers: rest, external: { wo: [[D, V], ''] } }), 'external-data', /outside the file .* without naming the file/);
  });

  const ifNode = (cond: string, branch: string): Uint8Array => {
    const body = message([encodeField(2, branch)]);
    const attr = message([encodeField(1, branch), encodeField(6, body), encodeField(20, 5)]);
    return encodeField(1, message([encodeField(1, cond), encodeField(2, 'y'), encodeField(3, 'if_0'), encodeField(4, 'If'), encodeField(5, attr)]));
  };
  const withIf = (cond: 'use_cache_branch', branch: string): Uint8Array => {
    const spec = attentionSpec({ softmaxAxis: 1, inputs: [{ name: 'input_ids', elem: ELEM.int64, dims: ['b', 's'] }, { name: cond, elem: ELEM.bool, dims: [1] }] });
    return buildModel(withShape3({ ...spec, rawNodes: [ifNode(cond, branch)] }));
  };

  it('says so when the layers are inside a subgraph that is not a merged decoder', () => {
    // an If on another value than the cache switch
    const spec = attentionSpec({ softmaxAxis: 1, inputs: [{ name: 'input_ids', elem: ELEM.int64, dims: ['b', 's'] }] });
    problem(buildModel(withShape3({ ...spec, rawNodes: [ifNode('input_ids', 'then_branch')] })), 'no-attention', /keeps its layers inside a If subgraph/);
  });

  it('names the If of a merged decoder (on use_cache_branch) that has no no-cache branch', () => {
    problem(withIf('use_cache_branch', 'then_branch'), 'format', /the If node "if_0" on use_cache_branch has no else_branch/);
  });

  it('a graph that returns attentions.N is used as it is: only cut to them', () => {
    const spec = withShape3(attentionSpec());
    spec.nodes.push({ opType: 'Identity', name: 'out', inputs: ['p'], outputs: ['attentions.0'] });
    spec.outputs.push({ name: 'attentions.0' });
    const g = attentionGraph(buildModel(spec));
    assert.deepStrictEqual([g.source, g.layers, g.queryKey], ['outputs', 1, false]);
    assert.ok(g.removedNodes >= 2, 'the context product and lm_head are cut');
  });

  describe('inputs', () => {
    const past = (elem: number, dims: (number | string)[]): ValueSpec => ({ name: 'past_key_values.0.key', elem, dims });
    const ids32 = { name: 'input_ids', elem: ELEM.int32, dims: ['batch', 'seq'] };

    it('feeds the types the graph declares (int32 ids, float mask, bool switch, float16 past)', () => {
      const inputs = [ids32, { name: 'attention_mask', elem: ELEM.float, dims: ['batch', 'seq'] }, { name: 'use_cache_branch', elem: ELEM.bool, dims: [1] },
        past(ELEM.float16, ['batch', 4, 'past', 2]), { name: 'position_ids', elem: ELEM.int64, dims: ['batch', 'seq'] }];
      const g = inspectAttentionGraph(model({ inputs }));
      const feeds = makeFeeds(g.inputs, [5, 6, 7]);
      const by = Object.fromEntries(feeds.map((f) => [f.name, f]));
      assert.ok(by.input_ids.data instanceof Int32Array);
      assert.deepStrictEqual([...by.input_ids.data as Int32Array], [5, 6, 7]);
      assert.deepStrictEqual([...by.attention_mask.data as Float32Array], [1, 1, 1]);
      assert.deepStrictEqual([by.use_cache_branch.type, [...by.use_cache_branch.data as Uint8Array], by.use_cache_branch.dims], ['bool', [0], [1]]);
      assert.deepStrictEqual([by['past_key_values.0.key'].type, by['past_key_values.0.key'].dims, by['past_key_values.0.key'].data.length], ['float16', [1, 4, 0, 2], 0]);
      assert.deepStrictEqual([...by.position_ids.data as BigInt64Array], [0n, 1n, 2n]);
    });

    it("shapes an empty past from config.json's sizes when the graph leaves them symbolic, else names the input", () => {
      const inputs = [ids32, past(ELEM.float, ['batch', 'kv_heads', 'past', 'head_dim'])];
      const g = inspectAttentionGraph(model({ inputs }), { kvHeads: 2, headDim: 16 });
      assert.deepStrictEqual(g.inputs[1].emptyShape, [1, 2, 0, 16]);
      problem(model({ inputs }), 'input', /axis 1 of past_key_values\.0\.key .*num_key_value_heads/);
    });

    it('refuses an input it cannot fill, a fixed sequence length and a wrong type, naming the input', () => {
      problem(model({ inputs: [ids32, { name: 'pixel_values', elem: ELEM.float, dims: ['b', 3, 8, 8] }] }), 'input',
        /an input named pixel_values \(float32 \[b, 3, 8, 8\]\) that Attention Lens cannot fill/);
      problem(model({ inputs: [{ name: 'input_ids', elem: ELEM.int64, dims: [1, 128] }] }), 'input', /fixed sequence length \(input_ids int64 \[1, 128\]\)/);
      problem(model({ inputs: [{ name: 'input_ids', elem: ELEM.float, dims: ['b', 's'] }] }), 'input', /declares input_ids as float32 \[b, s\]; Attention Lens feeds it as int64 or int32/);
    });
  });
});
