// Models as people bring them, in the real page (Chromium, onnxruntime-web on WASM): GPT-2-,
// BERT- and Llama-shaped exports that return only logits / last_hidden_state (built at test time,
// test/fixtures/). The page exposes each layer's Softmax and must show exactly the attention that
// onnxruntime-node computes on the same graph with the Softmax outputs added by the onnx library.
// A graph with an input the page cannot fill gives its message (fused attention: fusedAttention.test.ts).
// Needs `npm run build` first (dist/webview).
import * as assert from 'assert';
import * as fs from 'fs';
import * as ort from 'onnxruntime-node';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { ModelConfig } from '../../src/shared/modelConfig';
import { TokenInfo, ToHost, ToWebview } from '../../src/shared/protocol';
import { readDescription } from '../../src/models/describe';
import { findModelFiles } from '../../src/models/layout';
import { Fixture, defaultCacheDir, ensureFixtures } from '../fixtures/build';
import { PageServer, Panel, is, launchBrowser, openPanel, startServer } from './harness';
import { nativeTokens } from '../support/nativeTokens';

const TEXT = "The animal didn't cross the street because it was too tired.";

/**
 * How far the page may be from onnxruntime-node. On WASM the kernels are the CPU's: 1e-4. WGSL
 * allows sin and cos an absolute error of 2^-11, and rotary positions (Llama) go through them:
 * in PyTorch, cos/sin off by that much move this fixture's attention by up to 3e-3 (SwiftShader
 * was seen 5e-4 off). A wrong layer, head or token would be off by far more.
 */
function tolerance(backend: 'wasm' | 'webgpu', name: string): number {
  return backend === 'webgpu' && name === 'llama' ? 5e-3 : 1e-4;
}


/** onnxruntime-node on the graph with its Softmax outputs added (fixture _reference/model.onnx): [layer][head][i][j]. */
async function reference(f: Fixture, ids: number[]): Promise<number[][][][]> {
  assert.ok(f.referenceFile && f.info.softmax);
  const s = await ort.InferenceSession.create(f.referenceFile);
  try {
    const S = ids.length;
    const i64 = (v: (i: number) => number, n = S): ort.Tensor => new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(v(i))), [1, n]);
    const feeds: Record<string, ort.Tensor> = { input_ids: i64((i) => ids[i]) };
    for (const name of s.inputNames) {
      if (name === 'attention_mask') feeds[name] = i64(() => 1);
      else if (name === 'token_type_ids') feeds[name] = i64(() => 0);
      else if (name === 'position_ids') feeds[name] = i64((i) => i);
      else if (name.startsWith('past_key_values.')) feeds[name] = new ort.Tensor('float32', new Float32Array(0), [1, f.info.kv_heads ?? 1, 0, 16]);
    }
    const names = f.info.softmax.map((x) => x.output);
    const out = await s.run(feeds, names);
    const H = f.info.heads;
    return names.map((n) => {
      assert.deepStrictEqual(out[n].dims, [1, H, S, S]);
      const a = out[n].data as Float32Array;
      return Array.from({ length: H }, (_, h) => Array.from({ length: S }, (_, i) => Array.from(a.subarray((h * S + i) * S, (h * S + i + 1) * S))));
    });
  } finally {
    await s.release();
  }
}

interface ExportedJson { attentions: number[][][][] }

async function exportJson(panel: Panel): Promise<ExportedJson> {
  const from = await panel.count();
  await panel.page.click('vscode-button[data-export="json"]');
  const save = await panel.waitFor(is.save, { from });
  return JSON.parse(save.data) as ExportedJson;
}

function init(server: PageServer, name: string, f: Fixture, config: ModelConfig, backend: 'wasm' | 'webgpu' = 'wasm'): ToWebview {
  const rel = path.relative(f.dir, f.modelFile).split(path.sep).join('/');
  return {
    type: 'init',
    model: { name: `${name} fixture`, config, modelUri: `${server.origin}/fixtures/${name}/${rel}`, sizeBytes: fs.statSync(f.modelFile).size },
    wasmBase: `${server.origin}/dist/webview/`,
    backend,
  };
}

/** The first error the page posts from `from` on. */
async function errorPosted(panel: Panel, from: number): Promise<string> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const err = (await panel.posted(from)).find((m): m is Extract<ToHost, { type: 'error' }> => m.type === 'error');
    if (err) return err.message;
    if (Date.now() > deadline) throw new Error(`no error posted; console: ${panel.console.slice(-5).join(' | ')}`);
    await panel.page.waitForTimeout(100);
  }
}

const run = (runId: number, toks: TokenInfo[], focus: number | null = null): ToWebview => ({
  type: 'run', runId, source: { fileName: 'story.txt', languageId: 'plaintext' }, tokens: toks, truncation: null, focus, explain: focus !== null,
});

/** The three-steps table the panel shows for the explained token: [token, q·k, ÷√d, softmax %, model %] per row. */
async function stepRows(panel: Panel): Promise<{ caption: string; rows: string[][] }> {
  return panel.page.evaluate(() => ({
    caption: document.querySelector('.steps p')?.textContent ?? '',
    rows: [...document.querySelectorAll('.steps tr')].slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
  }));
}

function suite(backend: 'wasm' | 'webgpu'): void {
  describe(`models people bring, in the page (${backend === 'wasm' ? 'WASM' : 'WebGPU, SwiftShader'}) against onnxruntime-node`, function () {
    this.timeout(300_000);
    let fx: Record<string, Fixture>;
    let server: PageServer;
    let browser: Browser;

    before(async () => {
      fx = ensureFixtures();
      server = await startServer({ extraMounts: [['/fixtures/', defaultCacheDir()]] });
      browser = await launchBrowser({ webgpu: backend === 'webgpu' });
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });

    for (const name of ['gpt2', 'bert', 'llama']) {
      it(`${name}: the page's attention equals onnxruntime-node's on the graph with its Softmax outputs (≤ ${tolerance(backend, name)}); rows sum to 1${name === 'bert' ? '' : '; no weight on later tokens'}`, async () => {
        const f = fx[name];
        const config = await readDescription(await findModelFiles(f.dir));
        const toks = await nativeTokens(f.dir, TEXT);
        const ids = toks.map((t) => t.id);
        const native = await reference(f, ids);
        const panel = await openPanel(browser, server);
        try {
          await panel.waitFor(is.ready);
          await panel.send(init(server, name, f, config, backend));
          await panel.send(run(1, toks));
          const result = await panel.waitFor(is.result, { timeoutMs: 150_000 });
          assert.strictEqual(result.backend, backend);
          const json = await exportJson(panel);
          const from = await panel.count();
          // The second run explains "it": the three steps come from the graph's own queries and keys.
          const it = toks.findIndex((t) => t.text.trim().toLowerCase() === 'it');
          await panel.send(run(2, toks, it));
          const warm = await panel.waitFor(is.result, { from, timeoutMs: 150_000 });
          await panel.waitFor(is.explanation, { from });
          const steps = await stepRows(panel);
          assert.match(steps.caption, /^Three steps for .* from the model's queries and keys:$/);
          assert.ok(steps.rows.length > 0);
          for (const r of steps.rows) assert.strictEqual(r[3], r[4], `softmax(q·k/√d) ${r[3]} vs the model's ${r[4]} for ${r[0]}`);
          console.log(`      ${name} (${backend}): ${config.num_layers}×${config.num_heads}, ${ids.length} tokens: load ${result.loadMs.toFixed(0)} ms, `
            + `first inference ${result.inferenceMs.toFixed(1)} ms, second ${warm.inferenceMs.toFixed(1)} ms`);
          assert.strictEqual(json.attentions.length, f.info.layers);
          let worst = 0;
          json.attentions.forEach((heads, l) => {
            assert.strictEqual(heads.length, f.info.heads);
            heads.forEach((rows, h) => rows.forEach((r, i) => {
              const sum = r.reduce((a, b) => a + b, 0);
              assert.ok(Math.abs(sum - 1) < 1e-4, `layer ${l} head ${h} row ${i} sums to ${sum}`);
              // rows are cut after their last non-zero weight: a causal row i has at most i + 1
              if (f.info.causal) assert.ok(r.length <= i + 1, `row ${i} has weight on a later token`);
              native[l][h][i].forEach((v, j) => { worst = Math.max(worst, Math.abs((r[j] ?? 0) - v)); });
            }));
          });
          console.log(`      ${name}: max |page − onnxruntime-node| = ${worst.toExponential(2)}`);
          assert.ok(worst <= tolerance(backend, name), `max diff ${worst}`);
        } finally {
          await panel.close();
        }
      });
    }

    const refused: [string, RegExp[]][] = [
      ['unfillable', [/input named encoder_hidden_states .* that Attention Lens cannot fill/, /use_cache_branch$/]],
    ];
    for (const [name, patterns] of backend === 'wasm' ? refused : []) {
      it(`${name}: the page says why it cannot use the graph`, async () => {
        const f = fx[name];
        const config = await readDescription(await findModelFiles(f.dir));
        const panel = await openPanel(browser, server);
        try {
          await panel.waitFor(is.ready);
          const from = await panel.count();
          await panel.send(init(server, name, f, config));
          const message = await errorPosted(panel, from);
          for (const p of patterns) assert.match(message, p);
          assert.match((await panel.page.textContent('body')) ?? '', patterns[0]);
        } finally {
          await panel.close();
        }
      });
    }
  });
}

suite('wasm');
suite('webgpu');
