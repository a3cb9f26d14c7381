// The Hub's ONNX forms through the graph rewrite (test/fixtures/make_hub_forms.py builds them from
// the gpt2 and llama fixtures): a merged decoder's no-cache branch is inlined and its Softmax
// exposed; external data stays referenced by name and runs when onnxruntime is given the files;
// quantized graphs (MatMulInteger, MatMulNBits) keep float attention. Each runs in onnxruntime-node
// and must equal the same graph's Softmax outputs (added by the onnx library) within 1e-4.
import * as assert from 'assert';
import * as fs from 'fs';
import * as ort from 'onnxruntime-node';
import * as path from 'path';
import { attentionGraph } from '../../src/shared/attentionGraph';
import { makeFeeds } from '../../src/shared/onnxGraph/feeds';
import { inlineNoCacheBranch, mergedDecoderIf } from '../../src/shared/onnxGraph/mergedDecoder';
import { parseModel } from '../../src/shared/onnxGraph/model';
import { readDescription } from '../../src/models/describe';
import { findModelFiles } from '../../src/models/layout';
import { ModelContractError, graphForPage } from '../../webview/modelGraph';
import { Fixture } from '../fixtures/build';
import { HubForm, ensureHubForms, hubForm } from '../fixtures/hubForms';

const read = (file: string): Uint8Array => new Uint8Array(fs.readFileSync(file));
const IDS = [5, 17, 3, 250, 9, 41, 7, 100, 12, 33, 2];

/** [layer] → the Softmax outputs of the fixture's reference graph, run on IDS. */
async function reference(f: Fixture, kvHeads: number, headDim: number): Promise<Float32Array[]> {
  const s = await ort.InferenceSession.create(f.referenceFile as string);
  try {
    const i64 = (v: (i: number) => number): ort.Tensor => new ort.Tensor('int64', BigInt64Array.from(IDS, (_, i) => BigInt(v(i))), [1, IDS.length]);
    const feeds: Record<string, ort.Tensor> = {};
    for (const n of s.inputNames) {
      if (n === 'input_ids') feeds[n] = i64((i) => IDS[i]);
      else if (n === 'attention_mask') feeds[n] = i64(() => 1);
      else if (n === 'position_ids') feeds[n] = i64((i) => i);
      else feeds[n] = new ort.Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
    }
    const softmax = s.outputNames.filter((n) => /Softmax/.test(n));
    assert.strictEqual(softmax.length, f.info.layers);
    const out = await s.run(feeds, softmax);
    return softmax.map((n) => out[n].data as Float32Array);
  } finally {
    await s.release();
  }
}

interface Case { form: HubForm; graph?: string; merged: boolean; external: string[] }
const CASES: Case[] = [
  { form: 'gpt2-merged', merged: true, external: [] },
  { form: 'llama-merged-external', merged: true, external: ['decoder_model_merged.onnx_data'] },
  { form: 'llama-external', merged: false, external: ['model.onnx_data', 'model.onnx_data_1'] },
  { form: 'gpt2-external', merged: false, external: ['model.onnx.data'] },
  { form: 'gpt2-variants', graph: 'onnx/model_quantized.onnx', merged: false, external: [] },
  { form: 'gpt2-variants', graph: 'onnx/model_q4.onnx', merged: false, external: [] },
  { form: 'gpt2-variants', graph: 'onnx/model_fp16.onnx', merged: false, external: [] },
];

describe('the Hub\'s ONNX forms through the graph rewrite, run in onnxruntime-node', function () {
  this.timeout(300_000);
  let dir: string;
  before(() => { dir = ensureHubForms(); });

  for (const c of CASES) {
    it(`${c.form}${c.graph ? ` ${c.graph}` : ''}: attention exposed${c.merged ? ' from the no-cache branch' : ''}${c.external.length ? `, weights in ${c.external.join(' + ')}` : ''}; equal to the reference within 1e-4`, async () => {
      const f = hubForm(dir, c.form, c.graph);
      const config = JSON.parse(fs.readFileSync(path.join(f.dir, 'config.json'), 'utf8')) as Record<string, number>;
      const heads = f.info.heads;
      const kvHeads = f.info.kv_heads ?? heads;
      const headDim = (config.hidden_size ?? config.n_embd) / heads;
      const g = attentionGraph(read(f.modelFile), { fileName: path.basename(f.modelFile), kvHeads, headDim });
      assert.deepStrictEqual([g.layers, g.source, g.merged, g.externalFiles], [f.info.layers, 'softmax', c.merged, c.external]);
      assert.ok(!g.inputs.some((i) => i.role === 'use_cache_branch'), 'the switch is gone');
      const externalData = c.external.map((p) => ({ path: p, data: read(path.join(path.dirname(f.modelFile), p)) }));
      const s = await ort.InferenceSession.create(g.bytes, { externalData });
      try {
        const feeds = Object.fromEntries(makeFeeds(g.inputs, IDS).map((x) => [x.name, new ort.Tensor(x.type, x.data, x.dims)]));
        const out = await s.run(feeds);
        const ref = await reference(f, kvHeads, headDim);
        let worst = 0;
        ref.forEach((r, l) => {
          const a = out[`attentions.${l}`];
          assert.deepStrictEqual(a.dims, [1, heads, IDS.length, IDS.length]);
          (a.data as Float32Array).forEach((v, i) => { worst = Math.max(worst, Math.abs(v - r[i])); });
        });
        assert.ok(worst <= 1e-4, `max |rewritten − reference| = ${worst}`);
      } finally {
        await s.release();
      }
    });
  }

  it('inlining a merged decoder leaves no If, drops use_cache_branch and the past only the cache branch reads, keeps the past the no-cache branch reads', () => {
    const gpt2 = parseModel(read(hubForm(dir, 'gpt2-merged').modelFile));
    const node = mergedDecoderIf(gpt2);
    assert.ok(node);
    const r = inlineNoCacheBranch(gpt2, node);
    const after = parseModel(r.bytes);
    assert.ok(!after.nodes.some((n) => n.opType === 'If'));
    assert.deepStrictEqual(after.inputs.map((i) => i.name), ['input_ids', 'attention_mask']);
    assert.ok(r.droppedInputs.includes('use_cache_branch') && r.droppedInputs.includes('past_key_values.0.key'));
    // a branch initializer of its own came along to the main graph
    assert.ok(after.initializers.size > gpt2.initializers.size);
    const llama = parseModel(read(hubForm(dir, 'llama-merged-external').modelFile));
    const l = inlineNoCacheBranch(llama, mergedDecoderIf(llama) ?? assert.fail('no If'));
    assert.deepStrictEqual(l.droppedInputs, ['use_cache_branch']);
    assert.ok(parseModel(l.bytes).inputs.some((i) => i.name === 'past_key_values.0.key'));
  });

  it('the page names an external data file the graph needs that did not come with it', async () => {
    const f = hubForm(dir, 'llama-external');
    const config = await readDescription(await findModelFiles(f.dir));
    const bytes = read(f.modelFile);
    assert.throws(() => graphForPage(bytes, config, 'https://x/onnx/model.onnx', ['model.onnx_data']), (e: unknown) => e instanceof ModelContractError
      && /^onnx\/model\.onnx keeps its weights in model\.onnx_data_1 \(ONNX external data\), which did not come with it$/.test(e.message));
    assert.strictEqual(graphForPage(bytes, config, 'https://x/onnx/model.onnx', ['model.onnx_data', 'model.onnx_data_1']).layers, f.info.layers);
  });

  it('a graph without the switch is not a merged decoder', () => {
    assert.strictEqual(mergedDecoderIf(parseModel(read(hubForm(dir, 'gpt2-variants').modelFile))), null);
  });
});
