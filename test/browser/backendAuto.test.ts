// Backend auto in the real page (Chromium): a software WebGPU adapter (SwiftShader, what
// --enable-unsafe-webgpu gives a machine without a GPU) is not a GPU, so auto runs WASM and the
// header says why, while `webgpu` asked for by name still runs on it; a measurement the host
// remembered for the model (WASM faster) loads WASM straight away and says what was measured.
// Needs `npm run build` first (dist/webview).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { parseModelConfig } from '../../src/shared/modelConfig';
import type { TokenInfo, ToWebview } from '../../src/shared/protocol';
import { TextTokenizer } from '../../src/tokenizers/tokenize';
import { PageServer, REPO_ROOT, initMessage, is, launchBrowser, openPanel, startServer } from './harness';

const MODEL_DIR = path.join(REPO_ROOT, 'models', 'default');
const TEXT = 'Tom fixed the old radio in the shed. By morning he had it playing again.';

function tokens(): TokenInfo[] {
  const config = parseModelConfig(fs.readFileSync(path.join(MODEL_DIR, 'config.json'), 'utf8'));
  const tok = new TextTokenizer(JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'tokenizer.json'), 'utf8')));
  const bos = tok.tokenToId(config.special_tokens.bos ?? '');
  assert.ok(bos !== undefined);
  return [{ id: bos, text: '', start: 0, end: 0, special: true }, ...tok.encode(TEXT)];
}

const run = (runId: number, t: TokenInfo[]): ToWebview => ({
  type: 'run', runId, source: { fileName: 'story.md', languageId: 'markdown' }, tokens: t, truncation: null, focus: null, explain: false,
});

describe('backend auto in Chromium', function () {
  this.timeout(240_000);
  let server: PageServer;
  let browser: Browser;
  const t = tokens();

  before(async () => {
    server = await startServer();
    browser = await launchBrowser({ webgpu: true });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  type Result = Extract<import('../../src/shared/protocol').ToHost, { type: 'result' }>;

  /** Loads the page with `init`, runs the text (twice with `again`: the second run is warm). */
  async function runWith(init: ToWebview, again = false): Promise<{ result: Result; warm: Result | null; facts: string }> {
    const panel = await openPanel(browser, server);
    try {
      await panel.waitFor(is.ready);
      await panel.send(init);
      await panel.send(run(1, t));
      const result = await panel.waitFor(is.result, { timeoutMs: 200_000 });
      let warm: Result | null = null;
      if (again) {
        const from = await panel.count();
        await panel.send(run(2, t));
        warm = await panel.waitFor(is.result, { from, timeoutMs: 200_000 });
      }
      return { result, warm, facts: (await panel.page.textContent('.facts')) ?? '' };
    } finally {
      await panel.close();
    }
  }

  it('SwiftShader under auto: WASM, and the header says the adapter is a software renderer', async () => {
    const { result, warm, facts } = await runWith(initMessage(server, 'auto'), true);
    assert.strictEqual(result.backend, 'wasm');
    assert.match(result.backendReason ?? '', /^the WebGPU adapter is SwiftShader, a software renderer on the CPU, slower than WASM/);
    assert.match(facts, /Backend: WASM \(not WebGPU: the WebGPU adapter is SwiftShader/);
    console.log(`      auto: ${result.backend}, inference ${result.inferenceMs.toFixed(1)} ms, warm ${warm?.inferenceMs.toFixed(1)} ms (${t.length} tokens): ${result.backendReason}`);
  });

  it('SwiftShader with backend "webgpu": WebGPU runs on it', async () => {
    const { result, warm, facts } = await runWith(initMessage(server, 'webgpu'), true);
    assert.strictEqual(result.backend, 'webgpu');
    assert.strictEqual(result.backendReason, null);
    assert.match(facts, /Backend: WebGPU/);
    assert.strictEqual(warm?.backend, 'webgpu');
    console.log(`      webgpu: inference ${result.inferenceMs.toFixed(1)} ms, warm ${warm?.inferenceMs.toFixed(1)} ms (${t.length} tokens) on SwiftShader`);
  });

  it('a remembered measurement (WASM faster for this model) loads WASM and states what was measured', async () => {
    const init = { ...initMessage(server, 'auto'), measured: { backend: 'wasm', webgpuMs: 41.5, wasmMs: 8.25, tokens: 24 } } as ToWebview;
    const { result, facts } = await runWith(init);
    assert.strictEqual(result.backend, 'wasm');
    assert.strictEqual(result.backendReason, 'faster for this model as measured: WASM 8.3 ms, WebGPU 42 ms (24 tokens)');
    assert.match(facts, /Backend: WASM \(not WebGPU: faster for this model as measured: WASM 8\.3 ms, WebGPU 42 ms/);
  });
});
