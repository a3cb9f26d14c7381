// Issue 4, step 4: screenshots of the panel (and the window, editor decorations included) in a
// dark and a light theme, written to test-artifacts/ for the README, with no notification in them;
// and the explanation they show, word for word, in test-artifacts/readme-examples.txt.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { ExplanationMessage, ResultMessage, ToHost } from '../../../src/shared/protocol';
import { ui } from '../driverClient';
import { closePanelIfOpen } from './hardening';
import { assertBundled, cleanScreenshot, lensApi, nextMessage, openSample, testPass, until, writeReadmeExample } from './helpers';

const THEMES = [
  { name: 'dark', theme: 'Default Dark Modern', bodyClass: 'vscode-dark' },
  { name: 'light', theme: 'Default Light Modern', bodyClass: 'vscode-light' },
] as const;

function isPng(file: string): boolean {
  const head = fs.readFileSync(file).subarray(0, 8);
  return head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
}

describe(`Screenshots (${process.env.ATTENTION_LENS_TEST_PASS} pass)`, () => {
  // The backend this test asks for (WebGPU pass) goes back to auto whatever happens in it. The
  // panel closes first: a backend change reloads an open panel, and a reload landing in the next
  // suite's first run would swallow that run.
  afterEach(async () => {
    if (testPass() !== 'webgpu') return;
    await closePanelIfOpen(await lensApi());
    await vscode.workspace.getConfiguration('attentionLens').update('backend', undefined, vscode.ConfigurationTarget.Global);
  });

  it('writes the panel in a dark and a light theme as test artifacts', async () => {
    const api = await lensApi();
    const editor = await openSample('story.md');
    const doc = editor.document;
    const offset = doc.getText().indexOf(' it was too tired') + 2;
    assert.ok(offset > 1);
    const cursor = doc.positionAt(offset);
    editor.selection = new vscode.Selection(cursor, cursor);
    // The WebGPU pass's pictures show WebGPU (its adapter is a software one, which auto would not use).
    const lens = vscode.workspace.getConfiguration('attentionLens');
    if (testPass() === 'webgpu') {
      // An open panel reloads for the new setting and shows its run again: let that settle first.
      const rerun = api.stats().panels > 0 && api.lastRun()
        ? nextMessage(api, 'the run again on WebGPU', (m: ToHost): m is ResultMessage => m.type === 'result' && m.backend === 'webgpu')
        : null;
      await lens.update('backend', 'webgpu', vscode.ConfigurationTarget.Global);
      await rerun;
    }
    const explained = nextMessage(api, 'an explanation', (m: ToHost): m is ExplanationMessage => m.type === 'explanation');
    await ui.runCommand('Attention Lens: Explain attention here');
    const exp = await explained;
    // What the README shows: prose on the encoder, the product's own words.
    assertBundled(api, 'encoder');
    const last = api.lastExplanation();
    assert.ok(last && last.runId === exp.runId && last.tokenIndex === exp.tokenIndex, 'the latest explanation is not the cursor\'s');
    writeReadmeExample(`Explain attention here: "it" in the seeds' sentence of samples/story.md, bundled encoder (${testPass()} pass)`, [
      `Headline: ${last.summary}`, ...last.lines,
    ]);
    // The pinned token's targets, not whatever the pointer happens to rest on.
    await ui.mouseAway();
    await until('the pinned token\'s decorations', () => api.decorations()?.source ?? null);

    const files: Record<string, string> = {};
    const config = vscode.workspace.getConfiguration('workbench');
    try {
      for (const t of THEMES) {
        await config.update('colorTheme', t.theme, vscode.ConfigurationTarget.Global);
        await until(`the panel in ${t.theme}`, async () => {
          const classes = String(await ui.webviewEval('.tok', 'document.body.className'));
          return classes.split(/\s+/).includes(t.bodyClass);
        });
        // Time for the canvases to repaint in the new colours; no toast over the pictures.
        await new Promise((r) => setTimeout(r, 500));
        files[`panel-${t.name}`] = await cleanScreenshot(`panel-${t.name}-${testPass()}`, { webview: '.tok' });
        files[`window-${t.name}`] = await cleanScreenshot(`window-${t.name}-${testPass()}`, 'window');
      }
    } finally {
      await config.update('colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global);
    }
    for (const [name, file] of Object.entries(files)) {
      assert.ok(fs.existsSync(file), `${name}: ${file} was not written`);
      assert.ok(isPng(file), `${name}: ${file} is not a PNG`);
      assert.ok(fs.statSync(file).size > 10_000, `${name}: ${file} is too small to show anything`);
    }
    assert.ok(!fs.readFileSync(files['panel-dark']).equals(fs.readFileSync(files['panel-light'])), 'the light and dark panels are the same picture');
  });
});
