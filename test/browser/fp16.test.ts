// An fp16 export (onnx/model_fp16.onnx as the Hub ships it: float16 weights and float16 kernels,
// built at test time by make_hub_forms.py + onnx_fp16.py) in the real page (Chromium) asked to run
// on WebGPU. Chromium's WebGPU adapter without a GPU (SwiftShader) has no shader-f16 feature: that
// is the real case, not a stand-in, and the test first checks the adapter says so. The page must
// run the graph on WASM, say why in its header, and show the attention onnxruntime-node computes on
// the same graph. The float32 graph of the same folder runs on WebGPU there (the refusal is the
// graph's, not the adapter's). Needs `npm run build` first (dist/webview).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { readDescription } from '../../src/models/describe';
import { findModelFiles } from '../../src/models/layout';
import type { ToHost, ToWebview } from '../../src/shared/protocol';
import { ensureHubForms, hubForm } from '../fixtures/hubForms';
import { hubReference, maxAbsDiff } from '../support/hubReference';
import { nativeTokens } from '../support/nativeTokens';
import { PageServer, is, launchBrowser, openPanel, startServer } from './harness';

const TEXT = "The animal didn't cross the street because it was too tired.";
/** A few float16 steps at 1.0 (2^-10 each): the page and onnxruntime-node may round kernels differently. */
const FP16_TOLERANCE = 2e-3;
const REASON = 'the graph computes in float16 and the WebGPU adapter lacks shader-f16';

type Result = Extract<ToHost, { type: 'result' }>;

describe('an fp16 graph (model_fp16.onnx) asked to run on WebGPU, on an adapter without shader-f16 (SwiftShader)', function () {
  this.timeout(300_000);
  let forms: string;
  let server: PageServer;
  let browser: Browser;

  before(async () => {
    forms = ensureHubForms();
    server = await startServer({ extraMounts: [['/hub/', forms]] });
    browser = await launchBrowser({ webgpu: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function run(graph: string): Promise<{ result: Result; facts: string; modelFacts: string; attentions: number[][][][]; ids: number[]; adapterF16: boolean }> {
    const f = hubForm(forms, 'gpt2-variants', graph);
    const config = await readDescription(await findModelFiles(f.modelFile));
    const toks = await nativeTokens(f.dir, TEXT);
    const url = `${server.origin}/hub/gpt2-variants/${graph}`;
    const init: ToWebview = {
      type: 'init', backend: 'webgpu', wasmBase: `${server.origin}/dist/webview/`,
      model: { name: 'gpt2-variants fixture', config, modelUri: url, sizeBytes: fs.statSync(f.modelFile).size },
    };
    const panel = await openPanel(browser, server);
    try {
      await panel.waitFor(is.ready);
      const adapterF16 = await panel.page.evaluate(async () => {
        const a = await (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ features: Set<string> } | null> } }).gpu?.requestAdapter();
        if (!a) throw new Error('no WebGPU adapter: Chromium was started without --enable-unsafe-webgpu?');
        return a.features.has('shader-f16');
      });
      await panel.send(init);
      await panel.send({ type: 'run', runId: 1, source: { fileName: 'story.txt', languageId: 'plaintext' }, tokens: toks, truncation: null, focus: null, explain: false });
      const result = await panel.waitFor(is.result, { timeoutMs: 200_000 });
      const facts = (await panel.page.textContent('.facts')) ?? '';
      const modelFacts = (await panel.page.textContent('.model-facts')) ?? '';
      const from = await panel.count();
      await panel.page.click('vscode-button[data-export="json"]');
      const save = await panel.waitFor(is.save, { from });
      const { attentions } = JSON.parse(save.data) as { attentions: number[][][][] };
      return { result, facts, modelFacts, attentions, ids: toks.map((t) => t.id), adapterF16 };
    } finally {
      await panel.close();
    }
  }

  it(`runs on WASM, the header says "${REASON}", and the attention equals onnxruntime-node's on the same graph within ${FP16_TOLERANCE}`, async () => {
    const graph = 'onnx/model_fp16.onnx';
    const r = await run(graph);
    assert.strictEqual(r.adapterF16, false, 'this adapter offers shader-f16: the fallback cannot be seen on it');
    assert.strictEqual(r.result.backend, 'wasm');
    assert.strictEqual(r.result.backendReason, REASON);
    assert.match(r.facts, new RegExp(`Backend: WASM \\(not WebGPU: ${REASON}`));
    assert.match(r.modelFacts, /· onnx\/model_fp16\.onnx \(fp16\)$/);
    const f = hubForm(forms, 'gpt2-variants', graph);
    const hf = JSON.parse(fs.readFileSync(path.join(f.dir, 'config.json'), 'utf8')) as { n_embd: number; n_head: number };
    const native = await hubReference(f.referenceFile as string, r.ids, hf.n_head, hf.n_embd / hf.n_head);
    const worst = maxAbsDiff(r.attentions, native, r.ids.length);
    console.log(`      fp16 → ${r.result.backend} (${r.result.backendReason}); ${r.ids.length} tokens, load ${r.result.loadMs.toFixed(0)} ms, `
      + `inference ${r.result.inferenceMs.toFixed(1)} ms; max |page − onnxruntime-node| = ${worst.toExponential(2)}`);
    assert.ok(worst <= FP16_TOLERANCE, `max diff ${worst}`);
  });

  it('the float32 graph of the same folder runs on WebGPU on that adapter (the refusal is the graph\'s)', async () => {
    const r = await run('onnx/model.onnx');
    assert.strictEqual(r.result.backend, 'webgpu');
    assert.strictEqual(r.result.backendReason, null);
    assert.match(r.modelFacts, /· onnx\/model\.onnx \(fp32\)$/);
  });
});
