// Fused attention in the real page (Chromium, onnxruntime-web): decoders whose attention is one
// GroupQueryAttention (rotary inside; or RotaryEmbedding nodes before it), MultiHeadAttention,
// com.microsoft.Attention or ONNX Attention per layer (test/fixtures/make_fused.py, built at test
// time) show the attention numpy computes from the same weights. GroupQueryAttention's
// probabilities exist on WASM only, so there the WebGPU pass runs on WASM and the header says why.
// Needs `npm run build` first (dist/webview).
import * as assert from 'assert';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import * as tk from 'tokenizers';
import { TokenInfo, ToWebview } from '../../src/shared/protocol';
import { readDescription } from '../../src/models/describe';
import { findModelFiles } from '../../src/models/layout';
import { FUSED_KINDS, ensureFusedModels, fusedCacheDir, numpyAttention } from '../fixtures/fusedModels';
import { PageServer, Panel, is, launchBrowser, openPanel, startServer } from './harness';

const TEXT = "The animal didn't cross the street because it was too tired.";
const GQA = /GroupQueryAttention gives its attention probabilities \(qk_output\) on WASM only/;
const MHA = /MultiHeadAttention, whose scores \(output 3\) onnxruntime-web computes on WASM only/;

async function tokens(dir: string): Promise<TokenInfo[]> {
  const e = await tk.Tokenizer.fromFile(path.join(dir, 'tokenizer.json')).encode(TEXT);
  const special = e.getSpecialTokensMask();
  return e.getIds().map((id, i) => {
    const [start, end] = e.getOffsets()[i];
    return { id, text: special[i] ? '' : TEXT.slice(start, end), start, end, special: special[i] === 1 };
  });
}

async function exportJson(panel: Panel): Promise<{ attentions: number[][][][] }> {
  const from = await panel.count();
  await panel.page.click('vscode-button[data-export="json"]');
  const save = await panel.waitFor(is.save, { from });
  return JSON.parse(save.data) as { attentions: number[][][][] };
}

function suite(backend: 'wasm' | 'webgpu'): void {
  describe(`fused attention in the page (${backend === 'wasm' ? 'WASM' : 'WebGPU preferred, SwiftShader'}) against numpy`, function () {
    this.timeout(300_000);
    let dirs: Record<string, string>;
    let server: PageServer;
    let browser: Browser;
    before(async () => {
      dirs = ensureFusedModels();
      server = await startServer({ extraMounts: [['/fused/', fusedCacheDir()]] });
      browser = await launchBrowser({ webgpu: backend === 'webgpu' });
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });

    for (const kind of FUSED_KINDS) {
      // The operators whose probabilities onnxruntime-web gives on WASM only, and what the header says.
      const why = { 'gqa-rotary': GQA, 'gqa-rope': GQA, mha: MHA, 'ms-attention': MHA, 'onnx-attention': null }[kind];
      it(`${kind}: the page's attention equals numpy's softmax(QKᵀ·scale + mask) (≤ 1e-4)${why && backend === 'webgpu' ? '; runs on WASM, and the header says why' : ''}`, async () => {
        const dir = dirs[kind];
        const config = await readDescription(await findModelFiles(dir));
        const toks = await tokens(dir);
        const ids = toks.map((t) => t.id);
        const want = numpyAttention(dir, ids);
        const panel = await openPanel(browser, server);
        try {
          await panel.waitFor(is.ready);
          const init: ToWebview = {
            type: 'init', backend, wasmBase: `${server.origin}/dist/webview/`,
            model: { name: `${kind} fixture`, config, modelUri: `${server.origin}/fused/${kind}/model.onnx`, sizeBytes: 1 },
          };
          await panel.send(init);
          await panel.send({ type: 'run', runId: 1, source: { fileName: 'story.txt', languageId: 'plaintext' }, tokens: toks, truncation: null, focus: null, explain: false });
          const result = await panel.waitFor(is.result, { timeoutMs: 150_000 });
          assert.strictEqual(result.backend, why ? 'wasm' : backend);
          if (backend === 'webgpu' && why) {
            assert.match(result.backendReason ?? '', why);
            assert.match((await panel.page.textContent('body')) ?? '', new RegExp(`not WebGPU: [^)]*${why.source}`));
          }
          const json = await exportJson(panel);
          assert.strictEqual(json.attentions.length, 2);
          let worst = 0;
          json.attentions.forEach((heads, l) => {
            assert.strictEqual(heads.length, 4);
            // rows are cut after their last non-zero weight: a causal row i has at most i + 1
            heads.forEach((rows, h) => rows.forEach((r, i) => {
              assert.ok(r.length <= i + 1, `layer ${l} head ${h} row ${i} has weight on a later token`);
              want[l][h][i].forEach((v, j) => { worst = Math.max(worst, Math.abs((r[j] ?? 0) - v)); });
            }));
          });
          console.log(`      ${kind} on ${result.backend}${result.backendReason ? ` (${result.backendReason.slice(0, 400)})` : ''}: ${ids.length} tokens, `
            + `load ${result.loadMs.toFixed(0)} ms, inference ${result.inferenceMs.toFixed(1)} ms, max |page − numpy| = ${worst.toExponential(2)}`);
          assert.ok(worst <= 1e-4, `max diff ${worst}`);
        } finally {
          await panel.close();
        }
      });
    }
  });
}

suite('wasm');
suite('webgpu');
