// Issue 9 in the real VS Code: Hugging Face-shaped model folders as generated (GPT-2, BERT,
// Llama; test/fixtures, built by the runner) set as attentionLens.modelPath with no edits; Explain on
// a sentence; the panel shows the model's layers × heads and the token ranges are exact. The
// Choose model command writes the setting; bad folders give their messages and the bundled
// model takes over without losing the user's place. Load and inference times are logged. Model
// sizes (memory budget, chunks, routing to the bundled models) are in 5a-model-sizes.test.ts.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AttentionLensApi } from '../../../src/api';
import type { ResultMessage, ToHost } from '../../../src/shared/protocol';
import { Fixture, ensureFixtures } from '../../fixtures/build';
import { ui } from '../driverClient';
import { lensApi, nextMessage, toRange, until } from './helpers';
import { CMD, PASS, SENTENCE, closePanel, itOnce, openWithCursorOnIt, restoreModelSettings, setModelPath, settings } from './modelSuites';

/** Every token's document range holds exactly its text, in order; what lies between tokens is whitespace. */
function assertExactRanges(api: AttentionLensApi, doc: vscode.TextDocument): void {
  const run = api.lastRun();
  assert.ok(run);
  const text = doc.getText(toRange(run.range));
  let end = doc.offsetAt(toRange(run.range).start);
  run.message.tokens.forEach((t, i) => {
    const r = toRange(run.documentRanges[i]);
    assert.strictEqual(doc.getText(r), t.text, `token ${i} (id ${t.id}) range holds ${JSON.stringify(doc.getText(r))}, not ${JSON.stringify(t.text)}`);
    if (t.special) return;
    const start = doc.offsetAt(r.start);
    assert.ok(start >= end, `token ${i} starts before the previous one ends`);
    assert.match(doc.getText().slice(end, start), /^\s*$/, `text between tokens ${i - 1} and ${i} was dropped`);
    end = doc.offsetAt(r.end);
  });
  assert.match(doc.getText().slice(end, doc.offsetAt(toRange(run.range).end)), /^\s*$/, `the end of ${JSON.stringify(text)} has no token`);
}

describe(`Model folders people bring (${PASS} pass)`, () => {
  let api: AttentionLensApi;
  let fx: Record<string, Fixture>;
  const timings: string[] = [];

  before(async () => {
    api = await lensApi();
    // Built by the runner before this pass; here it only finds them in the cache.
    fx = ensureFixtures();
  });

  after(() => restoreModelSettings(timings));

  const shapes: [string, RegExp, RegExp][] = [
    ['gpt2', /^2 layers × 4 heads · causal · byte-level BPE · model\.onnx \(fp32\)$/, /^it$/],
    ['bert', /^2 layers × 4 heads · bidirectional · WordPiece · model\.onnx \(fp32\)$/, /^it$/],
    ['llama', /^2 layers × 4 heads \(2 key\/value heads\) · causal · SentencePiece BPE · onnx\/model\.onnx \(fp32\)$/, /it$/],
  ];
  for (const [name, facts, focusText] of shapes) {
    it(`${name}: the folder as generated runs Explain; the header shows its shape; ranges are exact`, async () => {
      const f = fx[name];
      assert.strictEqual(fs.existsSync(path.join(f.dir, 'attention-lens.json')), false);
      await closePanel(api);
      await setModelPath(f.dir);
      const editor = await openWithCursorOnIt(`model-${name}.md`, `${SENTENCE}\n`);
      const result = nextMessage(api, `a result from ${name}`, (m: ToHost): m is ResultMessage => m.type === 'result');
      await vscode.commands.executeCommand(CMD.explain);
      const res = await result;
      const model = api.model();
      assert.ok(model && !model.bundled, `the bundled model ran instead (${api.lastError() ?? 'no error'})`);
      assert.strictEqual(model.dir, f.dir);
      const run = api.lastRun();
      assert.ok(run && run.runId === res.runId);
      assert.ok(editor.document.getText(toRange(run.range)).includes(SENTENCE), 'the sentence was not analysed');
      assertExactRanges(api, editor.document);
      const focus = run.message.focus;
      assert.ok(focus !== null, 'no token at the cursor');
      assert.match(run.message.tokens[focus].text.trim(), focusText);
      // What the tokenizer itself adds: BERT's [CLS] … [SEP], Llama's <s>, nothing for GPT-2.
      const specials = run.message.tokens.map((t, i) => (t.special ? i : -1)).filter((i) => i >= 0);
      const n = run.message.tokens.length;
      assert.deepStrictEqual(specials, { gpt2: [], bert: [0, n - 1], llama: [0] }[name]);
      const shown = await until(`the header to show ${name}'s shape`, async () => {
        const t = (await ui.webviewText('.model-facts'))[0] ?? '';
        return facts.test(t.trim()) ? t : null;
      });
      assert.match(shown.trim(), facts);
      assert.strictEqual(f.info.layers, 2);
      // Again on the loaded model: the folder is not read again and the run is warm.
      const again = nextMessage(api, `a second result from ${name}`, (m: ToHost): m is ResultMessage => m.type === 'result');
      await vscode.commands.executeCommand(CMD.explain);
      const warm = await again;
      assert.strictEqual(warm.loadMs, 0);
      timings.push(`${name} (${PASS} pass, ${res.backend}${res.backendReason ? ` — ${res.backendReason}` : ''}): first run load ${res.loadMs.toFixed(0)} ms + inference ${res.inferenceMs.toFixed(1)} ms; second run inference ${warm.inferenceMs.toFixed(1)} ms; ${n} tokens`);
    });
  }

  itOnce('modelPath may name the .onnx file: onnx/model.onnx with the tokenizer and config one level up', async () => {
    await closePanel(api);
    const file = fx.llama.modelFile;
    assert.strictEqual(path.relative(fx.llama.dir, file), path.join('onnx', 'model.onnx'));
    await setModelPath(file);
    await openWithCursorOnIt('model-file.md', `${SENTENCE}\n`);
    const result = nextMessage(api, 'a result', (m: ToHost): m is ResultMessage => m.type === 'result');
    await vscode.commands.executeCommand(CMD.explain);
    await result;
    assert.strictEqual(api.model()?.bundled, false, api.lastError());
    assert.strictEqual(api.model()?.dir, fx.llama.dir);
  });

  itOnce('attention-lens.json beside a downloaded folder names the model and its heads', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-named-'));
    try {
      fs.cpSync(fx.gpt2.dir, dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'attention-lens.json'), JSON.stringify({
        name: 'My small GPT', named_heads: [{ name: 'previous token', layer: 1, head: 2 }],
      }));
      await closePanel(api);
      await setModelPath(dir);
      await openWithCursorOnIt('model-named.md', `${SENTENCE}\n`);
      const result = nextMessage(api, 'a result', (m: ToHost): m is ResultMessage => m.type === 'result');
      await vscode.commands.executeCommand(CMD.explain);
      await result;
      assert.strictEqual(api.model()?.name, 'My small GPT', api.lastError());
      const title = await until('the header title', async () => {
        const t = (await ui.webviewText('header h1'))[0] ?? '';
        return t.includes('My small GPT') ? t : null;
      });
      assert.match(title, /Attention Lens — My small GPT/);
      // The named head carries its name in the heads grid.
      const named = await until('the named head\'s badge', async () => {
        const t = (await ui.webviewEval('.grid', 'Array.from(document.querySelectorAll("#badges-1-2 .badge.named"), (b) => b.title).join("|")')) as string;
        return t.includes('previous token') ? t : null;
      });
      assert.match(named, /previous token/);
    } finally {
      await setModelPath(undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  itOnce('Choose model…: a path writes the user setting; the quick pick lists recent folders and the bundled model', async () => {
    await closePanel(api);
    const byArg = await vscode.commands.executeCommand<{ modelPath: string } | undefined>(CMD.choose, fx.gpt2.dir);
    assert.strictEqual(byArg?.modelPath, fx.gpt2.dir);
    assert.strictEqual(settings().inspect<string>('modelPath')?.globalValue, fx.gpt2.dir);
    await vscode.commands.executeCommand(CMD.choose, fx.bert.dir);
    assert.strictEqual(settings().inspect<string>('modelPath')?.globalValue, fx.bert.dir);

    // The user's way: the palette, then a recent folder's row.
    const picked = Promise.resolve(vscode.commands.executeCommand<{ modelPath: string } | undefined>(CMD.choose));
    await ui.pickQuickItem(fx.gpt2.dir);
    assert.strictEqual((await picked)?.modelPath, fx.gpt2.dir);
    assert.strictEqual(settings().inspect<string>('modelPath')?.globalValue, fx.gpt2.dir);

    const bundled = Promise.resolve(vscode.commands.executeCommand<{ modelPath: string } | undefined>(CMD.choose));
    await ui.pickQuickItem('Bundled decoder');
    assert.strictEqual((await bundled)?.modelPath, '');
    assert.strictEqual(settings().inspect<string>('modelPath')?.globalValue, undefined);
  });

  describe('bad folders: a clear message, and the bundled model takes the same place', () => {
    let tmp = '';
    before(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-hf-'));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    const copyOf = (f: Fixture, name: string, change: (dir: string) => void): string => {
      const dir = path.join(tmp, name);
      fs.cpSync(f.dir, dir, { recursive: true });
      change(dir);
      return dir;
    };
    const editJson = (file: string, edit: (j: Record<string, unknown>) => void): void => {
      const j = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      edit(j);
      fs.writeFileSync(file, JSON.stringify(j));
    };

    async function expectFallback(dir: string, mustSay: RegExp): Promise<void> {
      await closePanel(api);
      await setModelPath(dir);
      const editor = await openWithCursorOnIt('model-bad.md', `${SENTENCE}\n`);
      const cursor = editor.selection.active;
      await vscode.commands.executeCommand(CMD.explain);
      const result = await until('a result from the bundled model', () => {
        const r = api.lastResult();
        return r && api.model()?.bundled && api.lastRun()?.runId === r.runId ? r : null;
      }, 120_000);
      assert.ok(result);
      const error = api.lastError() ?? '';
      assert.match(error, mustSay);
      assert.match(error, /Using the bundled model instead/);
      assert.ok(api.messages().some((m) => m.severity !== 'info' && m.text.includes(error)), 'the user was not shown it');
      // The user's place: the same document, text and token at the cursor.
      const run = api.lastRun();
      assert.ok(run);
      assert.strictEqual(run.documentUri, editor.document.uri.toString());
      assert.strictEqual(editor.document.getText(toRange(run.range)).trim(), SENTENCE);
      assert.ok(run.message.focus !== null && toRange(run.documentRanges[run.message.focus]).contains(cursor));
      await ui.log(`      ${error.replace(tmp, '$TMP').replace(os.homedir(), '~')}`);
    }

    // A fused com.microsoft.Attention graph (onnxruntime's optimizer) is opened now, not refused: its
    // probabilities come from the operator rebuilt as a MultiHeadAttention, on WASM.
    itOnce('fused attention (com.microsoft.Attention) runs Explain instead of being refused', async () => {
      await closePanel(api);
      await setModelPath(fx.fused.dir);
      await openWithCursorOnIt('model-fused.md', `${SENTENCE}\n`);
      const result = nextMessage(api, 'a result from the fused model', (m: ToHost): m is ResultMessage => m.type === 'result');
      await vscode.commands.executeCommand(CMD.explain);
      const res = await result;
      const model = api.model();
      assert.ok(model && !model.bundled && model.dir === fx.fused.dir, `the bundled model ran instead (${api.lastError() ?? 'no error'})`);
      assert.strictEqual(res.backend, 'wasm');
      assert.strictEqual(api.lastRun()?.runId, res.runId);
      await setModelPath(undefined);
    });

    itOnce('an input that cannot be fed is named', async () => {
      await expectFallback(fx.unfillable.dir, /encoder_hidden_states/);
    });

    itOnce('an unknown tokenizer model type', async () => {
      const dir = copyOf(fx.gpt2, 'unknown-tokenizer', (d) => editJson(path.join(d, 'tokenizer.json'), (t) => { t.model = { type: 'Mystery' }; }));
      await expectFallback(dir, /tokenizer\.json: model\.type "Mystery" is not a tokenizer model Attention Lens reads/);
    });

    itOnce('a vocabulary smaller than the ids the tokenizer produces', async () => {
      const dir = copyOf(fx.bert, 'small-vocab', (d) => editJson(path.join(d, 'config.json'), (c) => { c.vocab_size = 50; }));
      await expectFallback(dir, /produces token ids up to \d+, but .*config\.json says the model's vocab_size is 50/);
    });

    itOnce('a graph over the size the page can hold (a sparse 1.1 GB file)', async () => {
      const dir = copyOf(fx.gpt2, 'too-big', (d) => {
        fs.rmSync(path.join(d, 'model.onnx'));
        fs.closeSync(fs.openSync(path.join(d, 'model.onnx'), 'w'));
        fs.truncateSync(path.join(d, 'model.onnx'), 1100 * 1024 * 1024);
      });
      await expectFallback(dir, /model\.onnx is 1100 MB; Attention Lens loads models of at most 1024 MB/);
      const refused = await vscode.commands.executeCommand<unknown>(CMD.choose, dir);
      assert.strictEqual(refused, undefined, 'Choose model accepted a folder that cannot load');
      assert.strictEqual(settings().inspect<string>('modelPath')?.globalValue, dir, 'a refused choice changed the setting');
    });
  });
});
