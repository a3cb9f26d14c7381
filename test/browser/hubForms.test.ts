// The Hugging Face Hub's ONNX forms in the real page (Chromium, onnxruntime-web): a merged decoder
// (If on use_cache_branch), weights in external data files (model.onnx_data + _1, model.onnx.data,
// both at once), and quantized variants (MatMulInteger, MatMulNBits), built at test time by
// test/fixtures/make_hub_forms.py. The page must show the attention onnxruntime-node computes on
// the same graph with its Softmax outputs added by the onnx library, and its header names the graph
// file and its dtype. Needs `npm run build` first (dist/webview).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { readDescription } from '../../src/models/describe';
import { findModelFiles } from '../../src/models/layout';
import { externalLocations } from '../../src/models/externalData';
import type { ToWebview } from '../../src/shared/protocol';
import { HubForm, ensureHubForms, hubForm } from '../fixtures/hubForms';
import { PageServer, is, launchBrowser, openPanel, startServer } from './harness';
import { nativeTokens } from '../support/nativeTokens';
import { hubReference, maxAbsDiff } from '../support/hubReference';

const TEXT = "The animal didn't cross the street because it was too tired.";


interface Case { form: HubForm; graph?: string; label: string; what: string }
const CASES: Case[] = [
  { form: 'gpt2-merged', label: 'onnx/model.onnx (fp32)', what: 'merged decoder (If on use_cache_branch)' },
  { form: 'llama-merged-external', label: 'onnx/decoder_model_merged.onnx (fp32)', what: 'merged decoder with external data' },
  { form: 'llama-external', label: 'onnx/model.onnx (fp32)', what: 'external data in model.onnx_data + model.onnx_data_1' },
  { form: 'gpt2-external', label: 'model.onnx (fp32)', what: 'external data in model.onnx.data' },
  { form: 'gpt2-variants', graph: 'onnx/model_quantized.onnx', label: 'onnx/model_quantized.onnx (q8)', what: 'q8: DynamicQuantizeLinear + MatMulInteger' },
  { form: 'gpt2-variants', graph: 'onnx/model_q4.onnx', label: 'onnx/model_q4.onnx (q4)', what: 'q4: MatMulNBits' },
];

/** See test/browser/anyModel.test.ts: WGSL's sin/cos (Llama's rotary) allow 2^-11. */
const tolerance = (backend: 'wasm' | 'webgpu', form: string): number => (backend === 'webgpu' && form.startsWith('llama') ? 5e-3 : 1e-4);

function suite(backend: 'wasm' | 'webgpu'): void {
  describe(`the Hub's ONNX forms in the page (${backend === 'wasm' ? 'WASM' : 'WebGPU, SwiftShader'}) against onnxruntime-node`, function () {
    this.timeout(300_000);
    let forms: string;
    let server: PageServer;
    let browser: Browser;
    before(async () => {
      forms = ensureHubForms();
      server = await startServer({ extraMounts: [['/hub/', forms]] });
      browser = await launchBrowser({ webgpu: backend === 'webgpu' });
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });

    for (const c of CASES) {
      it(`${c.form}${c.graph ? ` ${c.graph}` : ''} (${c.what}): attention equals onnxruntime-node's within ${tolerance(backend, c.form)}; the header says ${c.label}`, async () => {
        const f = hubForm(forms, c.form, c.graph);
        const config = await readDescription(await findModelFiles(f.dir));
        const toks = await nativeTokens(f.dir, TEXT);
        const ids = toks.map((t) => t.id);
        const kvHeads = config.num_kv_heads ?? config.num_heads;
        const hf = JSON.parse(fs.readFileSync(path.join(f.dir, 'config.json'), 'utf8')) as Record<string, number>;
        const native = await hubReference(f.referenceFile as string, ids, kvHeads, (hf.hidden_size ?? hf.n_embd) / config.num_heads);
        const url = (file: string): string => `${server.origin}/hub/${c.form}/${path.relative(f.dir, file).split(path.sep).join('/')}`;
        const externalData = (await externalLocations(f.modelFile)).map((location) => {
          const file = path.join(path.dirname(f.modelFile), location);
          return { location, uri: url(file), sizeBytes: fs.statSync(file).size };
        });
        const init: ToWebview = {
          type: 'init',
          model: { name: `${c.form} fixture`, config, modelUri: url(f.modelFile), sizeBytes: fs.statSync(f.modelFile).size, ...(externalData.length ? { externalData } : {}) },
          wasmBase: `${server.origin}/dist/webview/`,
          backend,
        };
        const panel = await openPanel(browser, server);
        try {
          await panel.waitFor(is.ready);
          await panel.send(init);
          const run = (runId: number): ToWebview => ({ type: 'run', runId, source: { fileName: 'story.txt', languageId: 'plaintext' }, tokens: toks, truncation: null, focus: null, explain: false });
          await panel.send(run(1));
          const first = await panel.waitFor(is.result, { timeoutMs: 150_000 });
          assert.strictEqual(first.backend, backend);
          const from = await panel.count();
          await panel.send(run(2));
          const second = await panel.waitFor(is.result, { from, timeoutMs: 150_000 });
          assert.match((await panel.page.textContent('.model-facts')) ?? '', new RegExp(`· ${c.label.replace(/[().]/g, '\\$&')}$`));
          const from2 = await panel.count();
          await panel.page.click('vscode-button[data-export="json"]');
          const save = await panel.waitFor(is.save, { from: from2 });
          const json = JSON.parse(save.data) as { attentions: number[][][][] };
          const S = ids.length;
          const worst = maxAbsDiff(json.attentions, native, S);
          console.log(`      ${c.form}${c.graph ? ` ${c.graph}` : ''} (${backend}): ${S} tokens: load ${first.loadMs.toFixed(0)} ms, first ${first.inferenceMs.toFixed(1)} ms, `
            + `second ${second.inferenceMs.toFixed(1)} ms; max |page − onnxruntime-node| = ${worst.toExponential(2)}`);
          assert.ok(worst <= tolerance(backend, c.form), `max diff ${worst}`);
        } finally {
          await panel.close();
        }
      });
    }
  });
}

suite('wasm');
suite('webgpu');
