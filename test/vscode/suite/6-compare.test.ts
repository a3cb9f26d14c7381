// Issue 11: "Compare with an edit" on the seeds' pair ("…too tired" vs "…too wide"), from the
// palette with the replacement typed into the input box. The panel must show both versions, and
// the differences it shows must equal the differences of the two versions' attention computed by
// onnxruntime-node on the same token ids. Run on both bundled models: on the causal decoder "it"
// comes before the edit, and the panel must say so; a token after the edit then shows the difference.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { alignTokens } from '../../../src/shared/alignVariants';
import type { AttentionStack } from '../../../src/shared/attention';
import { compare } from '../../../src/shared/compare';
import type { ComparisonMessage, ResultMessage, ToHost, VariantInfo } from '../../../src/shared/protocol';
import { groupStack, groupTokens, groupWords } from '../../../src/shared/words';
import { ui } from '../driverClient';
import {
  BUNDLED, assertBundled, cleanScreenshot, lensApi, modelFiles, nativeAttention, nextMessage, openSample, testPass, until, useBundled,
  writeReadmeExample,
} from './helpers';

const SENTENCE = "The animal didn't cross the street because it was too tired.";
const TOLERANCE = 2e-4; // WebGPU/WASM against the CPU: float32 rounding in the last bits

const isComparison = (m: ToHost): m is ComparisonMessage => m.type === 'comparison';

/** Selects the seeds' sentence in story.md, shows its attention from the palette and pins " it". */
async function runSentencePinningIt() {
  const api = await lensApi();
  const editor = await openSample('story.md');
  const doc = editor.document;
  const at = doc.getText().indexOf(SENTENCE);
  assert.ok(at >= 0, 'story.md lost the seeds\' sentence');
  editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + SENTENCE.length));
  const result = nextMessage(api, 'a result', (m: ToHost): m is ResultMessage => m.type === 'result');
  await ui.runCommand('Attention Lens: Show attention for selection');
  await result;
  const run = api.lastRun();
  assert.ok(run);
  const it = run.message.tokens.findIndex((t) => t.text === ' it');
  assert.ok(it > 0, 'no " it" token');
  assert.strictEqual(await api.pinToken(it), true);
  return { api, editor, doc, at, run, it };
}

describe(`Compare with an edit (${process.env.ATTENTION_LENS_TEST_PASS} pass)`, () => {
  afterEach(async () => useBundled(await lensApi(), undefined));

  for (const kind of BUNDLED) it(`compares "tired" with "wide": two versions side by side, differences equal the native runs' (bundled ${kind})`, async () => {
    await useBundled(await lensApi(), kind);
    // 1. The sentence as the run (a selection: the exact text, whatever the context window rules).
    const { api, editor, doc, at, it } = await runSentencePinningIt();
    const config = assertBundled(api, kind);

    // 2. Select "tired" (a selection does not move the pin) and compare from the palette.
    const tired = at + SENTENCE.indexOf('tired');
    editor.selection = new vscode.Selection(doc.positionAt(tired), doc.positionAt(tired + 'tired'.length));
    const first = nextMessage(api, 'a comparison', isComparison);
    await ui.runCommand('Attention Lens: Compare with an edit');
    await ui.typeInput('wide');
    const shown = await first;
    const sent = api.lastCompare();
    assert.ok(sent, 'no compare message was sent');
    assert.strictEqual(shown.runId, sent.runId);
    assert.strictEqual(doc.getText().indexOf(SENTENCE), at, 'the document must not change');
    assert.deepStrictEqual(sent.variants.map((v) => v.label), ['tired → wide']);
    assert.strictEqual(sent.variants[0].text, SENTENCE.replace('tired', 'wide'));
    assert.strictEqual(shown.tokenIndex, it);
    assert.strictEqual(shown.problem, null);

    // The panel shows two versions, base and the variant, and the words.
    assert.deepStrictEqual(await ui.webviewText('.compare-table th.version'), ['base', 'tired → wide']);
    const words = await ui.webviewText('.compare-words li.summary');
    assert.strictEqual(words.length, 1);
    assert.match(words[0], /^it: .+ (<1|\d+)% → (<1|\d+)%.*; (no head flips|layer \d+ head \d+ .*flips?)$/);
    // The panel's words under the table, first as the comparison opens (the README quotes them).
    const opened = [`As it opens (${shown.view}):`, ...(await ui.webviewText('.compare-words li'))];

    const { dir } = modelFiles(api);
    // The native runs, in the unit the panel compares (the words view groups tokens into words).
    const version = async (v: VariantInfo) => {
      const stack = await nativeAttention(dir, v.tokens.map((t) => t.id), config);
      if (shown.unit === 'token') return { tokens: v.tokens, stack, unitOf: (i: number) => i };
      assert.ok(v.wordIds, 'the words view needs word ids');
      const g = groupWords(v.tokens, v.wordIds);
      return { tokens: groupTokens(v.tokens, g), stack: groupStack(stack, g), unitOf: (i: number) => g.unitOf[i] };
    };
    const b = await version(sent.base);
    const w = await version(sent.variants[0]);
    const baseStack = b.stack;
    const wideStack = w.stack;
    const alignment = alignTokens(sent.base.text, b.tokens, sent.variants[0].text, w.tokens);
    const causal = config.architecture === 'causal'; // asserted above: the decoder's
    assert.strictEqual(shown.beforeEdit, causal, 'a causal model cannot change "it"\'s attention by an edit after it');
    if (causal) {
      const notice = await ui.webviewText('.compare-notice');
      assert.match(notice.join(' '), /comes before the edit .* causal/);
      for (const r of shown.rows) assert.ok(Math.abs(r.weights[1] - r.weights[0]) < TOLERANCE, `${r.label}: ${r.weights}`);
    }

    // 3. The token to check: "it" on a bidirectional model, the "." after the edit on a causal one.
    let focus = it;
    if (causal) {
      focus = sent.base.tokens.length - 1;
      assert.strictEqual(sent.base.tokens[focus].text, '.');
      const again = nextMessage(api, 'a comparison for "."', (m: ToHost): m is ComparisonMessage => isComparison(m) && m.tokenIndex === focus);
      await api.pinToken(focus);
      const dot = await again;
      assert.strictEqual(dot.beforeEdit, false);
    }

    // 4. Click the head that changed most in the grid: the view becomes that head.
    const f = b.unitOf(focus);
    const reference = (stacks: AttentionStack[], layer: number, head: number) => compare({
      base: { tokens: b.tokens, stack: stacks[0] },
      variants: [{ label: 'tired → wide', tokens: w.tokens, stack: stacks[1], alignment }],
      focus: f, causal,
      view: {
        description: `layer ${layer + 1}, head ${head + 1}`,
        weights: [row(stacks[0], layer, head, f), row(stacks[1], layer, head, alignment.toVariant[f] as number)],
      },
    });
    const all = reference([baseStack, wideStack], 0, 0);
    const most = [...all.heads].sort((a, b) => b.moved[0] - a.moved[0])[0];
    assert.ok(most.moved[0] > 0.01, `an edit next to "${sent.base.tokens[focus].text}" must move some attention (most: ${most.moved[0]})`);
    await ui.log(`      compared in ${shown.unit}s`);
    const picked = nextMessage(api, 'the comparison for the clicked head', (m: ToHost): m is ComparisonMessage =>
      isComparison(m) && m.view === `layer ${most.layer + 1}, head ${most.head + 1}`);
    const cell = most.layer * config.num_heads + most.head;
    await ui.webviewEval('.compare-grid', `(document.querySelectorAll('.compare-grid .compare-cell')[${cell}].click(), true)`);
    const byHead = await picked;
    const ref = reference([baseStack, wideStack], most.layer, most.head);
    assert.strictEqual(byHead.rows.length, ref.rows.length);
    byHead.rows.forEach((r, i) => {
      assert.strictEqual(r.label, ref.labels[i]);
      r.weights.forEach((w, v) => assert.ok(Math.abs(w - ref.weights[i][v]) < TOLERANCE, `${r.label} version ${v}: ${w} vs native ${ref.weights[i][v]}`));
    });

    // The differences drawn in the panel (data-diff of each Δ cell) are the native ones.
    const drawn = await ui.webviewEval('.compare-table', `[...document.querySelectorAll('.compare-table tr[data-row]')].map((tr) => [Number(tr.dataset.row), Number(tr.querySelector('td.diff').dataset.diff)])`) as [number, number][];
    assert.ok(drawn.length >= 2, 'the table shows the targets');
    for (const [r, d] of drawn) {
      const expected = ref.weights[r][1] - ref.weights[r][0];
      assert.ok(Math.abs(d - expected) < TOLERANCE, `${ref.labels[r]}: the panel shows ${d}, native ${expected}`);
    }
    const moved = ref.heads.find((h) => h.layer === most.layer && h.head === most.head);
    await ui.log(`      ${byHead.summaries[0]} (${Math.round((moved?.moved[0] ?? 0) * 100)}% moved in layer ${most.layer + 1} head ${most.head + 1})`);
    await cleanScreenshot(`compare-${kind}-${testPass()}`, { webview: '.compare' });
    if (kind === 'encoder') {
      writeReadmeExample(`Compare with an edit: "tired" → "wide" in the seeds' sentence of samples/story.md, " it" pinned, bundled encoder (${testPass()} pass)`, [
        ...opened, '', `After a click on ${byHead.view} in the grid (the screenshot):`, ...(await ui.webviewText('.compare-words li')),
      ]);
    }

    // 5. The JSON export, saved through the save dialog, carries both versions and the table as shown.
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const file = vscode.Uri.joinPath(folder.uri, `compare-${kind}-${testPass()}.json`);
    await ui.webviewEval('vscode-button[data-export="json"]', `(document.querySelector('vscode-button[data-export="json"]').click(), true)`);
    await ui.typeInput(file.fsPath);
    const bytes = await until('the export on disk', async () => {
      try {
        return await vscode.workspace.fs.readFile(file);
      } catch {
        return undefined;
      }
    });
    const exported = JSON.parse(Buffer.from(bytes).toString('utf8')) as { compare: { versions: { label: string; text: string; attentions: number[][][][] }[]; shown: ComparisonMessage } };
    assert.deepStrictEqual(exported.compare.versions.map((v) => [v.label, v.text]), [['base', SENTENCE], ['tired → wide', SENTENCE.replace('tired', 'wide')]]);
    assert.strictEqual(exported.compare.versions[1].attentions.length, config.num_layers);
    assert.strictEqual(exported.compare.shown.view, byHead.view);
  });

  it('compares the last run with the document as edited since', async () => {
    const { api, doc, at, it } = await runSentencePinningIt();

    // The user edits the sentence in the document (text before it too, which shifts it), then compares.
    const tired = at + SENTENCE.indexOf('tired');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(tired), doc.positionAt(tired + 'tired'.length)), 'wide');
    edit.insert(doc.uri, new vscode.Position(0, 0), '<!-- draft -->\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const shown = nextMessage(api, 'a comparison', isComparison);
      const runId = await vscode.commands.executeCommand<number | undefined>('attentionLens.compareWithEdit');
      assert.ok(runId, 'Compare did not start a run');
      const c = await shown;
      const sent = api.lastCompare();
      assert.ok(sent);
      assert.deepStrictEqual(sent.variants.map((v) => [v.label, v.text]), [['the document as edited', SENTENCE.replace('tired', 'wide')]]);
      assert.strictEqual(sent.base.text, SENTENCE);
      assert.strictEqual(c.runId, runId);
      assert.strictEqual(c.tokenIndex, it);
      assert.deepStrictEqual(await ui.webviewText('.compare-table th.version'), ['base', 'the document as edited']);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});

function row(stack: AttentionStack, layer: number, head: number, from: number): Float32Array {
  const s = stack.seq;
  return stack.layers[layer].subarray((head * s + from) * s, (head * s + from + 1) * s);
}
