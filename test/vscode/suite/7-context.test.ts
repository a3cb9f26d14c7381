// Issue 10, items 1 and 4, as a user meets them: Explain on a selected pronoun reads the paragraph
// before it (where its antecedent is), the panel says where the window starts and ends and the
// editor shades it; "Show attention for selection" reads exactly the selection; a few selected
// words are explained together. The window checks run on both bundled models (the causal decoder
// reads before the cursor, the bidirectional encoder around it). Backend: on a software WebGPU
// adapter auto runs WASM and says why, and `attentionLens.backend: webgpu` still runs WebGPU.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { AttentionLensApi } from '../../../src/api';
import type { ExplanationMessage, ResultMessage, ToHost } from '../../../src/shared/protocol';
import { ui } from '../driverClient';
import { ensureFixtures } from '../../fixtures/build';
import {
  BUNDLED, assertBackend, assertBundled, lensApi, nextMessage, testPass, toRange, until, useBundled,
} from './helpers';

const TEXT = 'Tom fixed the old radio in the shed.\n\nBy morning he had it playing again.';

async function openText(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ content, language: 'markdown' });
  return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
}

function select(editor: vscode.TextEditor, word: string, from = 0): void {
  const at = editor.document.getText().indexOf(word, from);
  assert.ok(at >= 0, `no "${word}"`);
  editor.selection = new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + word.length));
}

/** Runs a command from the palette; resolves to its run's result (and explanation, for Explain). */
async function runFromPalette(api: AttentionLensApi, title: string, explains: boolean): Promise<{ res: ResultMessage; exp: ExplanationMessage | null }> {
  const before = api.lastRun()?.runId ?? 0;
  const result = nextMessage(api, 'a result', (m: ToHost): m is ResultMessage => m.type === 'result' && m.runId > before);
  const explanation = explains
    ? nextMessage(api, 'an explanation', (m: ToHost): m is ExplanationMessage => m.type === 'explanation' && m.runId > before)
    : Promise.resolve(null);
  await ui.runCommand(title);
  const [res, exp] = await Promise.all([result, explanation]);
  return { res, exp };
}

/** The panel header's text for `selector` once it mentions `expect`. */
function headerText(selector: string, expect: RegExp): Promise<string> {
  return until(`the panel header (${selector}) to say ${expect}`, async () => {
    const t = String(await ui.webviewEval('.tok', `document.querySelector(${JSON.stringify(selector)})?.textContent ?? ""`));
    return expect.test(t) ? t : null;
  }, 60_000);
}

describe(`Context and backend (${process.env.ATTENTION_LENS_TEST_PASS} pass)`, () => {
  afterEach(async () => useBundled(await lensApi(), undefined));

  for (const kind of BUNDLED) it(`Explain on a selected pronoun reads the paragraph before it; the panel states the window, the editor shades it (bundled ${kind})`, async () => {
    const api = await lensApi();
    await useBundled(api, kind);
    const editor = await openText(TEXT);
    const doc = editor.document;
    select(editor, 'he', TEXT.indexOf('morning')); // as a double-click selects it
    const { res, exp } = await runFromPalette(api, 'Attention Lens: Explain attention here', true);
    const run = api.lastRun();
    assert.ok(run && run.runId === res.runId && exp);

    // The antecedent's paragraph is read: the tokens of "radio" (one or several pieces, as the
    // model's tokenizer splits it) are among the run's, at its place in the document.
    const radio = new vscode.Range(doc.positionAt(TEXT.indexOf('radio')), doc.positionAt(TEXT.indexOf('radio') + 5));
    const pieces = run.message.tokens.filter((t, i) => !t.special && !(toRange(run.documentRanges[i]).intersection(radio)?.isEmpty ?? true));
    assert.strictEqual(pieces.map((t) => t.text.trim()).join(''), 'radio', `the run's tokens: ${JSON.stringify(run.message.tokens.map((t) => t.text))}`);
    // Both models read both paragraphs: the causal one up to the cursor's paragraph's end, the other around it.
    const config = assertBundled(api, kind);
    assert.strictEqual(doc.getText(toRange(run.range)), TEXT);
    // What is explained is the selection: the pronoun.
    const focus = run.message.focus;
    assert.ok(focus !== null);
    assert.strictEqual(run.message.tokens[focus].text.trim(), 'he');
    assert.strictEqual(exp.tokenIndex, focus);
    assert.match(exp.summary, /he → /);
    assertBackend(res.backend, res.backendReason);

    // Where the window starts and ends: in the run, in the panel (line:column), shaded in the editor.
    const w = run.message.window;
    assert.ok(w);
    assert.strictEqual(w.reads, { causal: 'before-cursor', bidirectional: 'around-cursor' }[config.architecture]);
    const last = doc.lineAt(doc.lineCount - 1);
    assert.deepStrictEqual([w.start.line, w.start.column, w.end.line, w.end.column], [1, 1, doc.lineCount, last.range.end.character + 1]);
    const stated = await headerText('header .window', /^Reads /);
    assert.ok(stated.startsWith(`Reads 1:1–${doc.lineCount}:${last.range.end.character + 1}: `), stated);
    assert.deepStrictEqual(api.analysedRange(), { documentUri: doc.uri.toString(), range: run.range });
    await ui.log(`      ${kind}: ${exp.summary}; ${stated}`);

    // An edit: the shading no longer holds and goes.
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'X'));
    await until('the shading to go after an edit', () => api.analysedRange() === null);
    await vscode.commands.executeCommand('undo');
  });

  it('"Show attention for selection" reads exactly the selection', async () => {
    const api = await lensApi();
    const editor = await openText(TEXT);
    select(editor, 'he', TEXT.indexOf('morning'));
    const { res } = await runFromPalette(api, 'Attention Lens: Show attention for selection', false);
    const run = api.lastRun();
    assert.ok(run && run.runId === res.runId);
    assert.strictEqual(editor.document.getText(toRange(run.range)), 'he');
    assert.deepStrictEqual(run.message.tokens.filter((t) => !t.special).map((t) => t.text), ['he']);
    assert.strictEqual(run.message.window?.reads, 'selection');
    await headerText('header .window', /exactly the selection/);
  });

  for (const kind of BUNDLED) it(`a few selected words are explained together: their tokens are the focus (bundled ${kind})`, async () => {
    const api = await lensApi();
    await useBundled(api, kind);
    const editor = await openText(TEXT);
    select(editor, 'old radio');
    const { res, exp } = await runFromPalette(api, 'Attention Lens: Explain attention here', true);
    const run = api.lastRun();
    assert.ok(run && run.runId === res.runId && exp);
    const focus = run.message.focus;
    const end = run.message.focusEnd;
    assert.ok(focus !== null && end !== undefined, `focus ${focus}, focusEnd ${end}`);
    assert.strictEqual(run.message.tokens.slice(focus, end).map((t) => t.text).join('').trim(), 'old radio');
    // Shown in words (prose), the two words are one unit: pinned and explained together.
    assert.match(exp.summary, /^old radio → /);
    // A causal model reads nothing after the cursor's paragraph, and here nothing comes before it;
    // a bidirectional one reads the paragraph after it too.
    const expected = { causal: TEXT.slice(0, TEXT.indexOf('\n')), bidirectional: TEXT }[assertBundled(api, kind).architecture];
    assert.strictEqual(editor.document.getText(toRange(run.range)), expected);
  });

  // A model folder of its own (the BERT-shaped fixture, 128 positions): once, in the WASM pass.
  if (testPass() === 'wasm') it('a bidirectional model reads whole paragraphs on both sides of the cursor, as many as fit [wasm pass only]', async () => {
    const api = await lensApi();
    const lens = vscode.workspace.getConfiguration('attentionLens');
    const paras = Array.from({ length: 15 }, (_, i) => `Paragraph ${i + 1} tells how the ferry crossed the bay at dawn.`);
    const text = paras.join('\n\n');
    try {
      await lens.update('modelPath', ensureFixtures().bert.dir, vscode.ConfigurationTarget.Global);
      const editor = await openText(text);
      const at = text.indexOf('Paragraph 8 ') + 3;
      editor.selection = new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at));
      const { res } = await runFromPalette(api, 'Attention Lens: Explain attention here', true);
      const run = api.lastRun();
      assert.ok(run && run.runId === res.runId);
      // The fixture's config.json is Hugging Face's (128 positions); the window says how it was read.
      assert.strictEqual(api.model()?.dir, ensureFixtures().bert.dir);
      assert.strictEqual(run.message.window?.reads, 'around-cursor');
      assert.strictEqual(run.message.truncation, null, 'the window was chosen to fit');
      assert.ok(run.message.tokens.length <= 128 && run.message.tokens.length > 64, `${run.message.tokens.length} tokens`);
      // Whole paragraphs, the cursor's in the middle: as many before as after (one more on a side at most).
      const read = editor.document.getText(toRange(run.range));
      assert.ok(read.startsWith('Paragraph ') && read.endsWith('dawn.'), read);
      const shown = read.split('\n\n').map((p) => Number(/^Paragraph (\d+)/.exec(p)?.[1]));
      const before = shown.filter((n) => n < 8).length;
      const after = shown.filter((n) => n > 8).length;
      assert.ok(shown.includes(8) && shown.length < paras.length && Math.abs(before - after) <= 1, `paragraphs ${shown.join(', ')}`);
      await ui.log(`      bert fixture (128 positions): paragraphs ${shown[0]}–${shown[shown.length - 1]}, ${run.message.tokens.length} tokens`);
    } finally {
      await lens.update('modelPath', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('backend: auto on a software adapter runs WASM and says why; backend "webgpu" runs WebGPU', async () => {
    const api = await lensApi();
    const lens = vscode.workspace.getConfiguration('attentionLens');
    await lens.update('backend', undefined, vscode.ConfigurationTarget.Global);
    assert.strictEqual(vscode.workspace.getConfiguration('attentionLens').get('backend'), 'auto');
    const editor = await openText(TEXT);
    select(editor, 'he', TEXT.indexOf('morning'));
    const { res } = await runFromPalette(api, 'Attention Lens: Explain attention here', true);
    assertBackend(res.backend, res.backendReason);
    const why = testPass() === 'webgpu' ? /the WebGPU adapter is SwiftShader, a software renderer/ : /no GPU adapter|navigator\.gpu/;
    assert.match(res.backendReason ?? '', why);
    await headerText('.facts', new RegExp(`Backend: WASM \\(not WebGPU: ${why.source}`));

    // Asked for by name, WebGPU runs on the software adapter (the panel reloads and runs again).
    const again = nextMessage(api, 'the run again', (m: ToHost): m is ResultMessage => m.type === 'result' && m.runId === res.runId && m !== res);
    try {
      await lens.update('backend', 'webgpu', vscode.ConfigurationTarget.Global);
      const res2 = await again;
      if (testPass() === 'webgpu') {
        assert.strictEqual(res2.backend, 'webgpu');
        assert.strictEqual(res2.backendReason, null);
        await headerText('.facts', /Backend: WebGPU/);
      } else {
        assert.strictEqual(res2.backend, 'wasm');
        assert.match(res2.backendReason ?? '', /no GPU adapter|navigator\.gpu/);
      }
      await ui.log(`      auto: ${res.backend} (${res.backendReason}); webgpu: ${res2.backend}, inference ${res.inferenceMs.toFixed(0)} ms vs ${res2.inferenceMs.toFixed(0)} ms`);
    } finally {
      await lens.update('backend', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
