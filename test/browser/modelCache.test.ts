// The page's model cache (issue 20), in Debian's Chromium on the real page: a model sent with its
// SHA-256 is kept in the page's IndexedDB, and a reloaded page (as a new panel or window with the
// same webview origin) loads it from there: no resource fetch, no chunks asked of the host. A file
// with another hash, or none, comes from the host as before.
import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { parseModelConfig } from '../../src/shared/modelConfig';
import { CHUNK_SCHEME, CacheClearedMessage, InitMessage, ResultMessage, ToHost, TokenInfo } from '../../src/shared/protocol';
import { loadTokenizer } from '../../src/models/loadTokenizer';
import { tokenizeForModel } from '../../src/tokenizers/tokenize';
import { Panel, PageServer, REPO_ROOT, initMessage, is, launchBrowser, openPanel, startServer } from './harness';

const MODEL_DIR = path.join(REPO_ROOT, 'models', 'default');
const GRAPH = '/models/default/model.onnx';
const SHA = createHash('sha256').update(fs.readFileSync(path.join(MODEL_DIR, 'model.onnx'))).digest('hex');
const TEXT = 'The model is kept in the page, so the next panel need not move it again.';

let runIds = 0;
async function runOnce(panel: Panel, init: InitMessage, tokens: TokenInfo[]): Promise<ResultMessage> {
  const from = await panel.count();
  await panel.send(init);
  await panel.send({ type: 'run', runId: ++runIds, source: { fileName: 't.txt', languageId: 'plaintext' }, tokens, truncation: null, focus: null, explain: false });
  return panel.waitFor(is.result, { from, timeoutMs: 120_000 });
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the model kept in the page', function () {
  this.timeout(300_000);
  let tokens: TokenInfo[];
  let browser: Browser;
  let server: PageServer;
  let base: InitMessage;

  before(async () => {
    const config = parseModelConfig(fs.readFileSync(path.join(MODEL_DIR, 'config.json'), 'utf8'));
    const tok = await loadTokenizer(path.join(MODEL_DIR, 'tokenizer.json'));
    tokens = tokenizeForModel(tok, TEXT, config, config.max_tokens, null).tokens;
    browser = await launchBrowser({ webgpu: false });
    server = await startServer();
    base = initMessage(server, 'wasm') as InitMessage;
  });
  after(async () => {
    await server?.close();
    await browser?.close();
  });

  it('is taken from the cache by a reloaded page, fetched or chunked; another hash, or none, comes from the host', async () => {
    const withSha = (sha256: string | undefined, modelUri = base.model.modelUri): InitMessage => ({ ...base, model: { ...base.model, modelUri, ...(sha256 ? { sha256 } : {}) } });
    const panel = await openPanel(browser, server);
    try {
      server.requests.length = 0;
      const first = await runOnce(panel, withSha(SHA), tokens);
      assert.strictEqual(first.phases?.model_from, 'host');
      assert.doesNotMatch(await panel.page.locator('.facts').innerText(), /cache/);
      assert.deepStrictEqual(server.requests.filter((p) => p === GRAPH), [GRAPH]);
      await until('the page kept the model', () => panel.console.some((l) => l.includes(`kept ${SHA.slice(0, 12)}`)));

      await panel.page.reload();
      await panel.waitFor(is.ready, { timeoutMs: 60_000 });
      server.requests.length = 0;
      const cached = await runOnce(panel, withSha(SHA), tokens);
      assert.strictEqual(cached.phases?.model_from, 'cache');
      assert.deepStrictEqual(server.requests.filter((p) => p === GRAPH), [], 'the reloaded page fetched the model it keeps');
      assert.match(await panel.page.locator('.facts').innerText(), /model load \d+ ms \(from the panel's cache\)/);

      // A large model's init names chunks to ask the host for: kept, nothing is asked.
      const chunked = await runOnce(panel, withSha(SHA, `${CHUNK_SCHEME}${encodeURIComponent(`1-2-${GRAPH}`)}`), tokens);
      assert.strictEqual(chunked.phases?.model_from, 'cache');
      assert.ok(!(await panel.posted()).some((m: ToHost) => m.type === 'modelRequest'), 'the page asked the host for chunks of a model it keeps');

      // The file changed (another hash), or the host gave none: from the host, as before.
      const changed = await runOnce(panel, withSha('f'.repeat(64), `${base.model.modelUri}?changed`), tokens);
      assert.strictEqual(changed.phases?.model_from, 'host');
      const unnamed = await runOnce(panel, withSha(undefined), tokens);
      assert.strictEqual(unnamed.phases?.model_from, 'host');

      // Cleared: the page says what it held (the same bytes twice: the 'changed' file was kept under its own hash),
      // and a reloaded page fetches the model again.
      const before = await panel.count();
      await panel.send({ type: 'clearCache' });
      const cleared = await panel.waitFor((m: ToHost): m is CacheClearedMessage => m.type === 'cacheCleared', { from: before });
      assert.deepStrictEqual({ files: cleared.files, bytes: cleared.bytes, error: cleared.error }, { files: 2, bytes: 2 * base.model.sizeBytes, error: undefined });
      await panel.page.reload();
      await panel.waitFor(is.ready, { timeoutMs: 60_000 });
      server.requests.length = 0;
      const afterClear = await runOnce(panel, withSha(SHA), tokens);
      assert.strictEqual(afterClear.phases?.model_from, 'host');
      assert.deepStrictEqual(server.requests.filter((p) => p === GRAPH), [GRAPH]);
      assert.deepStrictEqual(await panel.violations(), []);
    } finally {
      await panel.close();
    }
  });
});
