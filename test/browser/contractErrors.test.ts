// The webview page in headless Chromium with a model config that breaks the graph's contract: the
// error names what is missing or misshapen, and the page then runs the bundled model as before.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { ModelConfig, parseModelConfig } from '../../src/shared/modelConfig';
import { TokenInfo, ToWebview } from '../../src/shared/protocol';
import { PageServer, Panel, initMessage, is, launchBrowser, openPanel, startServer } from './harness';
import { MODEL_DIR, PROSE, runMessage, tokensFor } from './webviewChecks';

describe('webview in Chromium: models that break the contract', function () {
  this.timeout(120_000);
  let server: PageServer;
  let browser: Browser;
  let panel: Panel;
  let tokens: TokenInfo[];
  let config: ModelConfig;

  before(async () => {
    config = parseModelConfig(fs.readFileSync(path.join(MODEL_DIR, 'config.json'), 'utf8'));
    tokens = (await tokensFor(PROSE, config, null)).tokens;
    server = await startServer();
    browser = await launchBrowser({ webgpu: false });
    panel = await openPanel(browser, server);
    await panel.waitFor(is.ready);
  });

  after(async () => {
    await panel?.close();
    await browser?.close();
    await server?.close();
  });

  async function errorFor(change: (c: ModelConfig) => ModelConfig, runId: number): Promise<string> {
    const init = initMessage(server, 'wasm') as Extract<ToWebview, { type: 'init' }>;
    const from = await panel.count();
    await panel.send({ ...init, model: { ...init.model, config: change(init.model.config) } });
    await panel.send(runMessage(runId, tokens, null, false));
    const e = await panel.waitFor(is.error, { from });
    return e.message;
  }

  it('a config with more layers than the graph: the error names the missing outputs', async () => {
    const msg = await errorFor((c) => ({ ...c, num_layers: c.num_layers + 2 }), 1);
    assert.match(msg, new RegExp(`lacks outputs attentions\\.${config.num_layers}, attentions\\.${config.num_layers + 1}`));
  });

  it('a config with other heads than the graph: the error names the output and its shape', async () => {
    const msg = await errorFor((c) => ({ ...c, num_heads: c.num_heads + 2, heads: {} }), 2);
    assert.match(msg, new RegExp(`attentions\\.0 has shape \\[1, ${config.num_heads}, ${tokens.length}, ${tokens.length}\\], expected \\[1, ${config.num_heads + 2}, `));
  });

  it('the bundled model then works, on WASM as the setting asks', async () => {
    const from = await panel.count();
    await panel.send(initMessage(server, 'wasm'));
    await panel.send(runMessage(3, tokens, null, false));
    const r = await panel.waitFor(is.result, { from });
    assert.strictEqual(r.backend, 'wasm');
    assert.strictEqual(r.backendReason, 'WASM chosen in the attentionLens.backend setting');
  });
});
