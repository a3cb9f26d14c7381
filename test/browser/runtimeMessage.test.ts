// The runtime's .wasm by message (issue 20), in Debian's Chromium on the real page marked as the
// host marks it: the page asks for the runtime, runs on the bytes the host sends without fetching
// the .wasm, and keeps them in its IndexedDB, so a reloaded page neither asks nor fetches; with no
// answer, or an answer that is an error, it fetches the runtime itself and still runs.
import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { parseModelConfig } from '../../src/shared/modelConfig';
import type { ResultMessage, ToHost, TokenInfo } from '../../src/shared/protocol';
import { RUNTIME_WASM } from '../../src/shared/runtimeFiles';
import { loadTokenizer } from '../../src/models/loadTokenizer';
import { tokenizeForModel } from '../../src/tokenizers/tokenize';
import { Panel, PageServer, REPO_ROOT, initMessage, is, launchBrowser, openPanel, startServer } from './harness';

const MODEL_DIR = path.join(REPO_ROOT, 'models', 'default');
const WASM_FILE = path.join(REPO_ROOT, 'dist', 'webview', RUNTIME_WASM.wasm);
const TEXT = 'The runtime arrives by message and is kept for the next panel.';

const isRuntimeRequest = (m: ToHost): m is Extract<ToHost, { type: 'runtimeRequest' }> => m.type === 'runtimeRequest';

/** Posts a runtime message into the page; the bytes cross as base64 and arrive as a Uint8Array, as VS Code delivers them. */
async function postRuntime(panel: Panel, sha256: string, bytes: Buffer, error?: string): Promise<void> {
  await panel.page.evaluate(({ b64, sha, err }) => {
    const bin = atob(b64);
    const data = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
    window.postMessage({ type: 'runtime', kind: 'wasm', sha256: sha, data, ...(err === null ? {} : { error: err }) }, '*');
  }, { b64: bytes.toString('base64'), sha: sha256, err: error ?? null });
}

/** Answers as the host would (src/panel/runtimeSender.ts): the built runtime's bytes and its hash. */
function answerWithRuntime(panel: Panel): Promise<void> {
  const bytes = fs.readFileSync(WASM_FILE);
  return postRuntime(panel, createHash('sha256').update(bytes).digest('hex'), bytes);
}

async function runOnce(panel: Panel, server: PageServer, tokens: TokenInfo[]): Promise<ResultMessage> {
  const from = await panel.count();
  await panel.send(initMessage(server, 'wasm'));
  await panel.send({ type: 'run', runId: 1, source: { fileName: 't.txt', languageId: 'plaintext' }, tokens, truncation: null, focus: null, explain: false });
  return panel.waitFor(is.result, { from, timeoutMs: 120_000 });
}

const wasmFetches = (server: PageServer): string[] => server.requests.filter((p) => p.endsWith('.wasm'));

describe('the runtime by message, cached in the page', function () {
  this.timeout(300_000);
  let tokens: TokenInfo[];
  let browser: Browser;
  let server: PageServer;

  before(async () => {
    const config = parseModelConfig(fs.readFileSync(path.join(MODEL_DIR, 'config.json'), 'utf8'));
    const tok = await loadTokenizer(path.join(MODEL_DIR, 'tokenizer.json'));
    tokens = tokenizeForModel(tok, TEXT, config, config.max_tokens, null).tokens;
    browser = await launchBrowser({ webgpu: false });
    server = await startServer({ runtimeByMessage: true });
  });
  after(async () => {
    await server?.close();
    await browser?.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('runs on the runtime the host sends, and a reloaded page takes it from IndexedDB without asking or fetching', async () => {
    const panel = await openPanel(browser, server);
    try {
      const request = await panel.waitFor(isRuntimeRequest, { timeoutMs: 60_000 });
      assert.strictEqual(request.kind, 'wasm');
      await answerWithRuntime(panel);
      const first = await runOnce(panel, server, tokens);
      assert.strictEqual(first.phases?.runtime_from, 'message');
      assert.deepStrictEqual(wasmFetches(server), [], 'the page fetched a runtime it was sent');

      await panel.page.reload();
      await panel.waitFor(is.ready, { timeoutMs: 60_000 });
      const second = await runOnce(panel, server, tokens);
      assert.strictEqual(second.phases?.runtime_from, 'cache');
      assert.ok(!(await panel.posted()).some(isRuntimeRequest), 'the reloaded page asked for the runtime again');
      assert.deepStrictEqual(wasmFetches(server), [], 'the reloaded page fetched the runtime');
      assert.deepStrictEqual(await panel.violations(), []);
    } finally {
      await panel.close();
    }
  });

  it('with no answer from the host it fetches the runtime itself and still runs', async () => {
    const panel = await openPanel(browser, server);
    try {
      await panel.waitFor(isRuntimeRequest, { timeoutMs: 60_000 });
      const result = await runOnce(panel, server, tokens);
      assert.strictEqual(result.phases?.runtime_from, 'fetch');
      assert.deepStrictEqual(wasmFetches(server), [`/dist/webview/${RUNTIME_WASM.wasm}`]);
      assert.ok(panel.console.some((l) => l.includes('did not come by message (no answer')), panel.console.join(' | '));
    } finally {
      await panel.close();
    }
  });

  it('when the host answers that it could not read the runtime, the page fetches it at once', async () => {
    const panel = await openPanel(browser, server);
    try {
      await panel.waitFor(isRuntimeRequest, { timeoutMs: 60_000 });
      await postRuntime(panel, '0'.repeat(64), Buffer.alloc(0), 'ort-wasm-simd-threaded.wasm could not be read: gone');
      const result = await runOnce(panel, server, tokens);
      assert.strictEqual(result.phases?.runtime_from, 'fetch');
      assert.deepStrictEqual(wasmFetches(server), [`/dist/webview/${RUNTIME_WASM.wasm}`]);
      assert.ok(panel.console.some((l) => l.includes('could not be read: gone')), panel.console.join(' | '));
    } finally {
      await panel.close();
    }
  });
});
