// The onnxruntime-web build the page loads and its WASM threads (webview/runtime.ts, issue 13), in
// Debian's Chromium on the real page: a page on WASM fetches the plain 14 MB runtime and never the
// 28 MB WebGPU-capable one; served cross-origin isolated (COOP/COEP, as a VS Code started with
// --enable-coi) it runs onnxruntime's default threads (half the cores, at most 4) in workers the
// page's CSP allows, and the attention equals onnxruntime-node's as on one thread.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { AttentionStack, headMatrix } from '../../src/shared/attention';
import { ModelConfig, parseModelConfig } from '../../src/shared/modelConfig';
import type { ResultMessage, TokenInfo } from '../../src/shared/protocol';
import { loadTokenizer } from '../../src/models/loadTokenizer';
import { tokenizeForModel } from '../../src/tokenizers/tokenize';
import { PageServer, REPO_ROOT, initMessage, is, launchBrowser, openPanel, startServer } from './harness';
import { nativeAttention } from './reference';

const MODEL_DIR = path.join(REPO_ROOT, 'models', 'default');
const TEXT = 'A small model runs in the panel beside the editor, on WebAssembly when there is no GPU.';

interface Exported { attentions: number[][][][] }

async function runInPage(browser: Browser, server: PageServer, tokens: TokenInfo[], cores: number | null) {
  const panel = await openPanel(browser, server);
  const workers: string[] = [];
  panel.page.on('worker', (w) => workers.push(w.url()));
  if (cores !== null) {
    // This machine has 2 cores (1 thread by the default rule): report more, so threads really start.
    await panel.page.addInitScript((n) => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => n }), cores);
    await panel.page.reload();
  }
  await panel.waitFor(is.ready, { timeoutMs: 60_000 });
  const from = await panel.count();
  await panel.send(initMessage(server, 'wasm'));
  await panel.send({ type: 'run', runId: 1, source: { fileName: 't.txt', languageId: 'plaintext' }, tokens, truncation: null, focus: null, explain: false });
  const result: ResultMessage = await panel.waitFor(is.result, { from, timeoutMs: 240_000 });
  const isolated = await panel.page.evaluate(() => self.crossOriginIsolated);
  const before = await panel.count();
  await panel.page.click('vscode-button[data-export="json"]');
  const save = await panel.waitFor(is.save, { from: before });
  const exported = JSON.parse(save.data) as Exported;
  const violations = await panel.violations();
  await panel.close();
  return { result, isolated, workers, exported, violations };
}

function maxDiff(json: Exported, stack: AttentionStack): number {
  const S = stack.seq;
  let worst = 0;
  json.attentions.forEach((heads, l) => heads.forEach((rows, h) => {
    const m = headMatrix(stack.layers[l], h, S);
    for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) worst = Math.max(worst, Math.abs((rows[i][j] ?? 0) - m[i * S + j]));
  }));
  return worst;
}

describe('the runtime the page loads, and WASM threads', function () {
  this.timeout(300_000);
  let config: ModelConfig;
  let tokens: TokenInfo[];
  let native: AttentionStack;
  let browser: Browser;

  before(async () => {
    config = parseModelConfig(fs.readFileSync(path.join(MODEL_DIR, 'config.json'), 'utf8'));
    const tok = await loadTokenizer(path.join(MODEL_DIR, 'tokenizer.json'));
    tokens = tokenizeForModel(tok, TEXT, config, config.max_tokens, null).tokens;
    native = await nativeAttention(tokens.map((t) => t.id), config.num_layers, config.num_heads);
    browser = await launchBrowser({ webgpu: false });
  });
  after(async () => {
    await browser?.close();
  });

  it('on WASM the page fetches the plain runtime only, runs one thread, and reports its load phases', async () => {
    const server = await startServer();
    try {
      const r = await runInPage(browser, server, tokens, null);
      const wasm = server.requests.filter((p) => p.endsWith('.wasm'));
      assert.deepStrictEqual(wasm, ['/dist/webview/ort-wasm-simd-threaded.wasm'], `fetched: ${wasm.join(', ')}`);
      assert.ok(!server.requests.some((p) => p.includes('.jsep.')), 'the WebGPU-capable runtime was fetched');
      assert.strictEqual(r.isolated, false);
      assert.strictEqual(r.workers.length, 0);
      const p = r.result.phases;
      assert.ok(p, 'the first result carries the page\'s phases');
      assert.strictEqual(p.threads, 1);
      for (const k of ['runtime_start_ms', 'model_fetch_ms', 'session_ms', 'render_ms'] as const) assert.ok((p[k] ?? -1) > 0, `${k}: ${p[k]}`);
      assert.ok(maxDiff(r.exported, native) < 1e-5, 'attention differs from onnxruntime-node');
    } finally {
      await server.close();
    }
  });

  it('cross-origin isolated with 8 cores: 4 threads in workers, no CSP violation, the same attention', async () => {
    const server = await startServer({ isolated: true });
    try {
      const r = await runInPage(browser, server, tokens, 8);
      assert.strictEqual(r.isolated, true);
      assert.strictEqual(r.result.phases?.threads, 4);
      assert.ok(r.workers.length >= 3, `workers started: ${r.workers.length}`);
      assert.deepStrictEqual(r.violations, []);
      assert.ok(maxDiff(r.exported, native) < 1e-5, 'attention with threads differs from onnxruntime-node');
    } finally {
      await server.close();
    }
  });
});
