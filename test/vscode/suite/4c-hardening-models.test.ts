// Issue 6, hardening, in the real VS Code: broken model folders set as attentionLens.modelPath
// (missing, truncated graph, invalid tokenizer, config and graph that disagree); each gives a
// clear message once, and the bundled model takes over.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AttentionLensApi } from '../../../src/api';
import { ui } from '../driverClient';
import { CMD, PASS, closePanelIfOpen, command, cursorOnIt, itOnce } from './hardening';
import { EXTENSION_ID, Recorder, lensApi, openSample, until } from './helpers';

describe(`Hardening (${PASS} pass)`, () => {
  let api: AttentionLensApi;

  before(async () => {
    api = await lensApi();
  });

  describe('model folder problems (attentionLens.modelPath)', () => {
    const config = () => vscode.workspace.getConfiguration('attentionLens');
    let bundledDir = '';
    let bundledName = '';
    let tmp = '';

    before(() => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext);
      // The fallback is the bundled model for the text (src/models/routing.ts): story.md is prose,
      // read by the encoder where one is bundled, else by the decoder.
      const encoder = path.join(ext.extensionPath, 'models', 'encoder');
      bundledDir = path.join(ext.extensionPath, 'models', 'default');
      const fallback = fs.existsSync(path.join(encoder, 'model.onnx')) ? encoder : bundledDir;
      bundledName = (JSON.parse(fs.readFileSync(path.join(fallback, 'config.json'), 'utf8')) as { name: string }).name;
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-models-'));
    });

    after(async () => {
      await config().update('modelPath', undefined, vscode.ConfigurationTarget.Global);
      await until('modelPath reset', () => config().get<string>('modelPath') === '');
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    /** A copy of the bundled model, changed by `change`. */
    const brokenCopy = (name: string, change: (dir: string) => void): string => {
      const dir = path.join(tmp, name);
      fs.cpSync(bundledDir, dir, { recursive: true });
      change(dir);
      return dir;
    };
    const editConfig = (dir: string, edit: (c: Record<string, unknown>) => void) => {
      const file = path.join(dir, 'config.json');
      const c = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      edit(c);
      fs.writeFileSync(file, JSON.stringify(c, null, 2));
    };

    /** Points modelPath at `dir`, runs "Explain" and checks the message and that the bundled model ran. */
    async function expectFallback(dir: string, mustSay: (string | RegExp)[]): Promise<string> {
      // With the panel closed, only this command runs (a settings change reruns the open panel's run).
      await closePanelIfOpen(api);
      await config().update('modelPath', dir, vscode.ConfigurationTarget.Global);
      await until('the setting to apply', () => config().get<string>('modelPath') === dir);
      const editor = await openSample('story.md');
      cursorOnIt(editor);
      const shown = api.messagesShown();
      const rec = new Recorder(api);
      await vscode.commands.executeCommand(CMD.explain);
      // Host-side problems fall back at once; webview-side ones after the webview reports them.
      const result = await until('a result from the bundled model', () => {
        const r = api.lastResult();
        return r && api.model()?.bundled && api.lastRun()?.runId === r.runId ? r : null;
      }, 120_000);
      rec.dispose();
      assert.strictEqual(api.model()?.name, bundledName);
      assert.ok(result.backend);
      const error = api.lastError() ?? '';
      for (const s of mustSay) {
        if (typeof s === 'string') assert.ok(error.includes(s), `lastError() does not say ${JSON.stringify(s)}: ${error}`);
        else assert.match(error, s);
      }
      assert.match(error, /Using the bundled model instead/);
      const told = api.messagesSince(shown).filter((m) => m.severity !== 'info');
      assert.ok(told.some((m) => m.text.includes(error)), `the user was not shown it: ${JSON.stringify(told)}`);
      // Each problem is told once, not once per attempt.
      assert.strictEqual(told.length, 1, `shown: ${JSON.stringify(told)}`);
      await ui.log(`      ${error.replace(tmp, '$TMP')}`);
      return error;
    }

    // The host rejects these before the webview sees them: the same in both passes.
    itOnce('a missing folder', async () => {
      const dir = path.join(tmp, 'no-such-model');
      await expectFallback(dir, [dir, /does not exist/]);
    });

    itOnce('a truncated model.onnx', async () => {
      const dir = brokenCopy('truncated', (d) => {
        const file = path.join(d, 'model.onnx');
        fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
      });
      await expectFallback(dir, [path.join(dir, 'model.onnx'), /truncated/]);
    });

    itOnce('an invalid tokenizer.json', async () => {
      const dir = brokenCopy('bad-tokenizer', (d) => fs.writeFileSync(path.join(d, 'tokenizer.json'), '{"version": "1.0", "model": '));
      await expectFallback(dir, [path.join(dir, 'tokenizer.json'), /not valid JSON/]);
    });

    // The webview finds these when it loads or first runs the model: WebGPU and WASM both.
    it('config.json with more layers than the graph has (an output missing)', async () => {
      const dir = brokenCopy('five-layers', (d) => editConfig(d, (c) => { c.num_layers = 5; }));
      await expectFallback(dir, [dir, 'model.onnx', 'attentions.4', 'config.json', 'num_layers 5']);
    });

    // Seen only after a whole first run (slow on SwiftShader); the shape check is the same code on both backends.
    itOnce('config.json with another head count than the graph (outputs of the wrong shape)', async () => {
      // the named heads are dropped so that config.json stays valid on its own: the mismatch is with the graph
      const dir = brokenCopy('five-heads', (d) => editConfig(d, (c) => { c.num_heads = 5; delete c.heads; }));
      await expectFallback(dir, [dir, 'model.onnx', 'attentions.0', 'config.json', 'num_heads 5']);
    });

    itOnce('the setting cleared: the bundled model, no message', async () => {
      await closePanelIfOpen(api);
      await config().update('modelPath', undefined, vscode.ConfigurationTarget.Global);
      await until('the setting to clear', () => config().get<string>('modelPath') === '');
      const editor = await openSample('story.md');
      cursorOnIt(editor);
      const shown = api.messagesShown();
      const rec = new Recorder(api);
      const { runId } = await command(CMD.explain);
      await rec.wait('result', runId);
      rec.dispose();
      assert.strictEqual(api.model()?.bundled, true);
      assert.deepStrictEqual(api.messagesSince(shown).filter((m) => m.severity !== 'info'), []);
    });
  });
});
