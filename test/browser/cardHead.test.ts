// The panel turns to the model card's head for the kind of token explained: the code head for an
// identifier in code, the pronoun head for a pronoun in prose; a view the user chose is kept. The
// headline cites that head with what it attends to.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { loadTokenizer } from '../../src/models/loadTokenizer';
import { ModelConfig, parseModelConfig } from '../../src/shared/modelConfig';
import type { RunMessage, TokenInfo } from '../../src/shared/protocol';
import { tokenizeForModel } from '../../src/tokenizers/tokenize';
import { PageServer, Panel, REPO_ROOT, initMessage, is, launchBrowser, openPanel, startServer } from './harness';

const MODEL_DIR = path.join(REPO_ROOT, 'models/default');
const CODE = 'function distance(a: Point, b: Point): number {\n  return Math.hypot(a.x - b.x, a.y - b.y);\n}\nconst d = distance(p, q);\n';
const PROSE = "The animal didn't cross the street because it was too tired.";

interface SavedView { layer: number; head: number; mode: string }

describe('webview in Chromium: the card\'s head for the token explained', function () {
  this.timeout(180_000);
  let server: PageServer;
  let browser: Browser;
  let panel: Panel;
  let config: ModelConfig;

  async function run(runId: number, text: string, at: number, languageId: string): Promise<{ summary: string; view: SavedView; tokens: TokenInfo[]; focus: number }> {
    const tok = await loadTokenizer(path.join(MODEL_DIR, 'tokenizer.json'));
    const input = tokenizeForModel(tok, text, config, config.max_tokens, at);
    assert.ok(input.focus !== null);
    const msg: RunMessage = { type: 'run', runId, source: { fileName: languageId === 'typescript' ? 'd.ts' : 'd.txt', languageId }, tokens: input.tokens, truncation: null, focus: input.focus, explain: true };
    const from = await panel.count();
    await panel.send(msg);
    const e = await panel.waitFor(is.explanation, { from });
    const view = await panel.page.evaluate(() => (JSON.parse(sessionStorage.getItem('vscode-state') ?? '{}') as { view?: SavedView }).view);
    assert.ok(view, 'the page saved no view');
    return { summary: e.summary, view, tokens: input.tokens, focus: input.focus };
  }

  before(async () => {
    config = parseModelConfig(fs.readFileSync(path.join(MODEL_DIR, 'config.json'), 'utf8'));
    assert.ok(config.heads?.code && config.heads.pronoun, 'the bundled decoder names a code and a pronoun head');
    server = await startServer();
    browser = await launchBrowser({ webgpu: false });
    panel = await openPanel(browser, server);
    await panel.waitFor(is.ready);
    await panel.send(initMessage(server, 'wasm'));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an identifier in code: the panel shows the code head, and the headline cites it', async () => {
    const [l, h] = config.heads?.code as [number, number];
    const r = await run(1, CODE, CODE.lastIndexOf('distance') + 3, 'typescript');
    assert.strictEqual(r.tokens[r.focus].text.trim().length > 0 && 'distance'.includes(r.tokens[r.focus].text.trim()), true, `focus "${r.tokens[r.focus].text}"`);
    assert.deepStrictEqual([r.view.mode, r.view.layer, r.view.head], ['head', l, h]);
    assert.match(r.summary, new RegExp(`; layer ${l + 1} head ${h + 1}, code head, trained: \\S+ (<1|\\d+)%$`), r.summary);
  });

  it('a pronoun in prose: the panel turns to the pronoun head, and the headline cites it', async () => {
    const [l, h] = config.heads?.pronoun as [number, number];
    const r = await run(2, PROSE, PROSE.indexOf(' it ') + 2, 'plaintext');
    assert.deepStrictEqual([r.view.mode, r.view.layer, r.view.head], ['head', l, h]);
    assert.match(r.summary, new RegExp(`^it → .*; layer ${l + 1} head ${h + 1}, pronoun head, trained: \\S+ (<1|\\d+)%$`), r.summary);
  });

  it('a view the user chose stays when the next token asks for another head', async () => {
    await panel.page.click('vscode-radio[data-mode="mean"]');
    const r = await run(3, CODE, CODE.lastIndexOf('distance') + 3, 'typescript');
    assert.strictEqual(r.view.mode, 'mean');
    // The headline still cites the card's head for the token.
    assert.match(r.summary, /, code head, trained: /);
  });
});
