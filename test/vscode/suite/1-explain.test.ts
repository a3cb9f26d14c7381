// Issue 4, steps 1 and 3: "Explain attention here" from the command palette on the pronoun of the
// seeds' sentence, on each bundled model (the encoder, which auto gives prose, and the decoder:
// they read different text), and on a call in code (auto gives code to the decoder). Runs in both
// passes: WASM, and the panel saying why not WebGPU: there is no adapter, or (WebGPU pass) the
// adapter is SwiftShader, a software renderer (test 7-context runs WebGPU by setting).
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { AttentionLensApi } from '../../../src/api';
import type { ExplanationMessage, ResultMessage, ToHost } from '../../../src/shared/protocol';
import { referenceExplanation } from '../../support/referenceExplain';
import { ui } from '../driverClient';
import {
  BUNDLED, assertBackend, assertBundled, assertSameLine, closePanelTab, lensApi, modelFiles, nativeAttention, nextMessage, openSample,
  testPass, toRange, until, useBundled, writeReadmeExample,
} from './helpers';

const SENTENCE = "The animal didn't cross the street because it was too tired.";

/** Runs Explain from the palette with the cursor at `cursor`; resolves to its result and explanation. */
async function explainFromPalette(api: AttentionLensApi, editor: vscode.TextEditor, cursor: vscode.Position) {
  editor.selection = new vscode.Selection(cursor, cursor);
  const result = nextMessage(api, 'a result', (m: ToHost): m is ResultMessage => m.type === 'result');
  const explanation = nextMessage(api, 'an explanation', (m: ToHost): m is ExplanationMessage => m.type === 'explanation');
  await ui.runCommand('Attention Lens: Explain attention here');
  const [res, exp] = await Promise.all([result, explanation]);
  const run = api.lastRun();
  assert.ok(run, 'no run was started');
  assert.strictEqual(res.runId, run.runId);
  assert.strictEqual(exp.runId, run.runId);
  return { res, exp, run };
}

/**
 * The explanation shown equals the one computed from the same model run natively on the same ids,
 * in words (prose's default) or tokens (code's).
 */
async function assertNativeExplanation(api: AttentionLensApi, exp: ExplanationMessage, unit: 'word' | 'token'): Promise<void> {
  const run = api.lastRun();
  assert.ok(run && run.message.focus !== null);
  const { dir, config } = modelFiles(api);
  const stack = await nativeAttention(dir, run.message.tokens.map((t) => t.id), config);
  const wordIds = run.message.wordIds;
  assert.ok(unit === 'token' || wordIds, 'the run carries no word ids');
  const reference = referenceExplanation(run.message.tokens, stack, config, run.message.focus, { ...(unit === 'word' ? { wordIds } : {}), languageId: run.message.source.languageId });
  assertSameLine(exp.summary, reference.summary);
  assert.strictEqual(exp.lines.length, reference.lines.length);
  exp.lines.forEach((line, i) => assertSameLine(line, reference.lines[i]));
}

describe(`Explain attention here (${process.env.ATTENTION_LENS_TEST_PASS} pass)`, () => {
  it('activates in the real extension host with the bundled model', async () => {
    const api = await lensApi();
    const stats = api.stats();
    assert.strictEqual(stats.panels, 0);
    assert.strictEqual(stats.decoratedRanges, 0);
  });

  // The panel goes with each test: an explained identifier or pronoun turns it to the card's head,
  // and the next suite expects the default view.
  afterEach(async () => {
    const api = await lensApi();
    await useBundled(api, undefined);
    if (api.stats().panels > 0) {
      await closePanelTab();
      await until('the panel to close', () => api.stats().panels === 0);
    }
  });

  for (const kind of BUNDLED) {
    it(`explains "it" from the palette with the model's own numbers and names the backend (bundled ${kind})`, async () => {
      const api = await lensApi();
      await useBundled(api, kind);
      const editor = await openSample('story.md');
      const doc = editor.document;
      const at = doc.getText().indexOf(SENTENCE);
      assert.ok(at >= 0, 'story.md lost the seeds\' sentence');
      const itStart = at + SENTENCE.indexOf(' it ') + 1;
      const cursor = doc.positionAt(itStart + 1); // between "i" and "t"
      const { res, exp, run } = await explainFromPalette(api, editor, cursor);
      const config = assertBundled(api, kind);

      // The panel opened, for this run.
      assert.strictEqual(api.stats().panels, 1);
      assert.ok(vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview)), 'no panel tab');

      // With nothing selected the causal model reads what fits before the cursor (here from the
      // document's start: the heading too) up to the end of the cursor's paragraph, "it" focused;
      // the bidirectional one whole paragraphs on both sides while they fit (here all of story.md).
      const read = doc.getText(toRange(run.range));
      const expected = { causal: doc.getText().slice(0, at + SENTENCE.length), bidirectional: doc.getText().trimEnd() }[config.architecture];
      assert.strictEqual(read, expected);
      assert.strictEqual(run.message.window?.reads, { causal: 'before-cursor', bidirectional: 'around-cursor' }[config.architecture]);
      const focus = run.message.focus;
      assert.ok(focus !== null, 'the run has no focus token');
      assert.strictEqual(exp.tokenIndex, focus);
      assert.strictEqual(run.message.tokens[focus].text.trim(), 'it');
      assert.ok(toRange(run.documentRanges[focus]).contains(cursor));
      assert.strictEqual(doc.getText(toRange(run.documentRanges[focus])), run.message.tokens[focus].text);

      // The backend that ran, in the result and in the panel's header.
      assertBackend(res.backend, res.backendReason);
      const facts = await ui.waitWebview('.facts[data-backend]');
      if (testPass() === 'webgpu') assert.match(facts ?? '', /Backend: WASM \(not WebGPU: the WebGPU adapter is SwiftShader, a software renderer/);
      else assert.match(facts ?? '', /Backend: WASM \(not WebGPU: [^)]+\)/);

      // Prose is explained in words by default (the tokenizer's own word ids), each cited head with its role.
      assert.ok(run.message.wordIds, 'the run carries no word ids');
      assert.match(exp.lines[0], /In words: /);
      assert.match(exp.summary, /^it → \S+ (<1|\d+)%, /, `the summary names the top targets: ${exp.summary}`);
      await assertNativeExplanation(api, exp, 'word');
      // Mean of heads per layer, rollout, and the three heads on the top target are all there.
      assert.strictEqual(exp.lines.filter((l) => /^Layer \d+, mean of \d+ heads: it → /.test(l)).length, config.num_layers);
      assert.ok(exp.lines.some((l) => /^Rollout over layers/.test(l)));
      assert.match(exp.lines.find((l) => l.startsWith('Heads with the most weight')) ?? '', /(layer \d+ head \d+, [^;]+: (<1|\d+)%(; )?){3}/);

      // The panel shows those same lines to the user.
      const shown = await ui.webviewText('.explain li');
      assert.deepStrictEqual(shown, exp.lines);
      await ui.log(`      ${kind}: ${exp.summary}`);
    });
  }

  it('explains a call of distance in shapes.ts on the bundled decoder (auto gives code to the decoder)', async () => {
    const api = await lensApi();
    const editor = await openSample('shapes.ts');
    const doc = editor.document;
    const call = doc.getText().indexOf('distance(points[i]');
    assert.ok(call >= 0, 'shapes.ts lost its call of distance');
    const cursor = doc.positionAt(call + 3);
    const { exp, run } = await explainFromPalette(api, editor, cursor);
    assertBundled(api, 'decoder');
    const focus = run.message.focus;
    assert.ok(focus !== null && toRange(run.documentRanges[focus]).contains(cursor));
    // Code is explained in tokens by default: the focus is the call's first token.
    assert.strictEqual(run.message.tokens[focus].text.trim(), doc.getText(toRange(run.documentRanges[focus])).trim());
    assert.ok('distance'.startsWith(run.message.tokens[focus].text.trim()), run.message.tokens[focus].text);
    await assertNativeExplanation(api, exp, 'token');
    assert.deepStrictEqual(await ui.webviewText('.explain li'), exp.lines);
    writeReadmeExample(`Explain on code: the call distance(points[i], next) in samples/shapes.ts, bundled decoder (${testPass()} pass)`, [
      `Headline: ${exp.summary}`, ...exp.lines,
    ]);
    await ui.log(`      decoder on code: ${exp.summary}`);
  });
});
