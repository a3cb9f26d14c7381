// Model sizes in the real VS Code: the attention memory budget (the window shrinks and the panel
// says why), a 69 MB graph sent to the panel in chunks (with progress, explained with
// onnxruntime-node's numbers), and which bundled model prose and code go to when none is set.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AttentionLensApi } from '../../../src/api';
import { readDescription } from '../../../src/models/describe';
import { findModelFiles } from '../../../src/models/layout';
import { CHUNKED_ABOVE_BYTES, CHUNK_BYTES } from '../../../src/models/modelTransfer';
import type { ResultMessage, ToHost } from '../../../src/shared/protocol';
import { Fixture, ensureFixtures } from '../../fixtures/build';
import { fixtureAttention } from '../../fixtures/reference';
import { referenceExplanation } from '../../support/referenceExplain';
import { ui } from '../driverClient';
import { EXTENSION_ID, Recorder, assertSameLine, lensApi, nextMessage, until } from './helpers';
import { CMD, PASS, SENTENCE, closePanel, itOnce, openWithCursorOnIt, restoreModelSettings, setModelPath, settings } from './modelSuites';

describe(`Model sizes: memory budget, chunks, routing (${PASS} pass)`, () => {
  let api: AttentionLensApi;
  let fx: Record<string, Fixture>;
  const timings: string[] = [];

  before(async () => {
    api = await lensApi();
    fx = ensureFixtures();
  });

  after(() => restoreModelSettings(timings));

  itOnce('attention memory budget: past it the window shrinks and the panel says why', async () => {
    await setModelPath(undefined);
    await settings().update('bundledModel', 'decoder', vscode.ConfigurationTarget.Global);
    await settings().update('attentionMemoryMB', 16, vscode.ConfigurationTarget.Global);
    try {
      await closePanel(api);
      const long = Array.from({ length: 60 }, (_, i) => `${SENTENCE} (${i})`).join(' ');
      const editor = await openWithCursorOnIt('budget.md', `${long}\n`);
      const doc = editor.document;
      editor.selection = new vscode.Selection(doc.positionAt(0), doc.positionAt(long.length));
      const result = nextMessage(api, 'a result', (m: ToHost): m is ResultMessage => m.type === 'result');
      await vscode.commands.executeCommand('attentionLens.showSelection');
      await result;
      const run = api.lastRun();
      assert.ok(run && api.model()?.bundled);
      // 4 layers × 6 heads × n² × 4 B ≤ 16 MB: n = 418, less than the setting's 512.
      assert.strictEqual(run.message.tokens.length, 418);
      assert.match(run.message.truncation?.reason ?? '', /512 tokens of 4 layers × 6 heads would need 24 MB of attention, more than the attentionLens\.attentionMemoryMB budget \(16 MB\); the window is 418 tokens/);
      const notice = await until('the header to say why', async () => {
        const t = (await ui.webviewText('header .notice'))[0] ?? '';
        return /attentionMemoryMB/.test(t) ? t : null;
      });
      await ui.log(`      ${notice}`);

      // Explain reads a window that fits the budget; the panel says the budget set its length.
      const mid = doc.positionAt(long.indexOf(' it ', Math.floor(long.length / 2)) + 2);
      editor.selection = new vscode.Selection(mid, mid);
      const explained = nextMessage(api, 'a result', (m: ToHost): m is ResultMessage => m.type === 'result');
      await vscode.commands.executeCommand(CMD.explain);
      await explained;
      const explainRun = api.lastRun();
      assert.ok(explainRun && explainRun.message.tokens.length <= 418);
      assert.match(explainRun.message.window?.limitedBy ?? '', /attentionLens\.attentionMemoryMB budget \(16 MB\); the window is 418 tokens/);
      const windowLine = await until('the header to say the budget set the window', async () => {
        const t = (await ui.webviewText('header .window'))[0] ?? '';
        return /attentionMemoryMB/.test(t) ? t : null;
      });
      await ui.log(`      ${windowLine}`);
    } finally {
      await settings().update('attentionMemoryMB', undefined, vscode.ConfigurationTarget.Global);
      await settings().update('bundledModel', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  // Over 64 MiB a graph reaches the panel in chunks (src/models/modelTransfer.ts): the fixture's
  // GPT-2 with a 270,000-row embedding, 69 MB, built with the others.
  itOnce('a 69 MB model reaches the panel in 16 MiB chunks with progress, explains with onnxruntime-node\'s numbers, runs 512 tokens', async () => {
    const big = fx['gpt2-big-vocab'];
    const size = fs.statSync(big.modelFile).size;
    assert.ok(size > CHUNKED_ABOVE_BYTES, `${big.modelFile} is ${size} bytes, not over the chunked-transfer threshold`);
    await closePanel(api);
    await setModelPath(big.dir);
    const long = Array.from({ length: 60 }, (_, i) => `${SENTENCE} (${i})`).join(' ');
    const editor = await openWithCursorOnIt('big.md', `${long}\n`);
    const cursor = editor.document.positionAt(long.lastIndexOf(' it ') + 2);
    editor.selection = new vscode.Selection(cursor, cursor);
    const progress: string[] = [];
    const requests: string[] = [];
    const off = api.onDidReceive((m) => {
      if (m.type === 'progress' && m.phase === 'loading-model') progress.push(m.detail);
      if (m.type === 'modelRequest') requests.push(m.key);
    });
    const rec = new Recorder(api);
    const runId = await vscode.commands.executeCommand<number | undefined>(CMD.explain);
    assert.ok(runId, `Explain started no run (${api.lastError() ?? 'no error'})`);
    const res = await rec.wait('result', runId, 300_000);
    const exp = await rec.wait('explanation', runId);
    rec.dispose();
    assert.strictEqual(api.model()?.dir, big.dir, api.lastError());

    // The page asked the host for the model's chunks once, and said how much had come after each.
    assert.strictEqual(requests.length, 1, `model requests: ${requests.length}`);
    const percents = progress.flatMap((p) => {
      const m = / of (\d+) MB \((\d+)%\)/.exec(p);
      return m ? [[Number(m[1]), Number(m[2])]] : [];
    });
    const chunks = Math.ceil(size / CHUNK_BYTES);
    const expected = Array.from({ length: chunks }, (_, k) => [Math.round(size / 1e6), Math.floor((100 * Math.min((k + 1) * CHUNK_BYTES, size)) / size)]);
    assert.deepStrictEqual(percents, expected, `progress: ${JSON.stringify(progress)}`);

    // The explanation is the one from the reference graph (its Softmax outputs added by the onnx library) run natively.
    const run = api.lastRun();
    assert.ok(run && run.runId === runId && run.message.focus !== null && run.message.wordIds);
    assert.strictEqual(exp.tokenIndex, run.message.focus);
    const stack = await fixtureAttention(big, run.message.tokens.map((t) => t.id));
    const config = await readDescription(await findModelFiles(big.dir));
    const reference = referenceExplanation(run.message.tokens, stack, config, run.message.focus, { wordIds: run.message.wordIds });
    assertSameLine(exp.summary, reference.summary);
    assert.strictEqual(exp.lines.length, reference.lines.length);
    exp.lines.forEach((line, i) => assertSameLine(line, reference.lines[i]));

    // The whole text selected: 512 tokens on the model already loaded (not sent again).
    editor.selection = new vscode.Selection(editor.document.positionAt(0), editor.document.positionAt(long.length));
    const again = new Recorder(api);
    const selectionRun = await vscode.commands.executeCommand<number | undefined>('attentionLens.showSelection');
    assert.ok(selectionRun);
    const warm = await again.wait('result', selectionRun, 120_000);
    again.dispose();
    off();
    assert.strictEqual(api.lastRun()?.message.tokens.length, 512);
    assert.strictEqual(warm.loadMs, 0);
    assert.strictEqual(requests.length, 1);
    const phases = Object.entries(res.phases ?? {}).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ');
    timings.push(`gpt2-big-vocab, ${(size / 1e6).toFixed(1)} MB in ${chunks} chunks (${res.backend}): load ${res.loadMs.toFixed(0)} ms (${phases}); inference ${res.inferenceMs.toFixed(0)} ms at ${run.message.tokens.length} tokens, ${warm.inferenceMs.toFixed(0)} ms at 512`);
  });

  itOnce('with no model set, prose and code go to the bundled models (encoder for prose when one is bundled)', async () => {
    await setModelPath(undefined);
    await closePanel(api);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const hasEncoder = fs.existsSync(path.join(ext.extensionPath, 'models', 'encoder', 'model.onnx'));
    const prose = await openWithCursorOnIt('route.md', `${SENTENCE}\n`);
    await vscode.commands.executeCommand(CMD.explain);
    await until('a result for prose', () => api.lastResult()?.runId === api.lastRun()?.runId && api.lastRun()?.documentUri === prose.document.uri.toString(), 240_000);
    assert.strictEqual(path.basename(api.model()?.dir ?? ''), hasEncoder ? 'encoder' : 'default');
    const code = await openWithCursorOnIt('route.ts', 'const tired = true;\nif (tired) { const it = 1; console.log(it); }\n');
    await vscode.commands.executeCommand(CMD.explain);
    await until('a result for code', () => api.lastResult()?.runId === api.lastRun()?.runId && api.lastRun()?.documentUri === code.document.uri.toString(), 240_000);
    assert.strictEqual(path.basename(api.model()?.dir ?? ''), 'default');
  });
});
