// "Compare with an edit" in the web pass, as suite/6-compare does it in the Node host: the seeds'
// sentence selected and shown, " it" pinned, "tired" selected and "wide" typed into the palette's
// input box. On the bundled encoder (bidirectional: "it" sees the edit) the panel shows both versions
// and the clicked head's weights per version equal the two versions' attention run natively (by the
// launcher: a worker has no native runtime) on the same token ids.
import * as vscode from 'vscode';
import { alignTokens } from '../../../src/shared/alignVariants';
import { makeStack, type AttentionStack } from '../../../src/shared/attention';
import { compare } from '../../../src/shared/compare';
import type { ComparisonMessage, ResultMessage, ToHost, VariantInfo } from '../../../src/shared/protocol';
import { groupStack, groupTokens, groupWords } from '../../../src/shared/words';
import { check } from '../web/check';
import { ui } from '../web/fetchDriver';
import { lensApi, modelConfig, nextMessage, openSample, SENTENCE, useBundled } from './webHelpers';

const TOLERANCE = 2e-4; // WASM against the CPU: float32 rounding in the last bits
const isComparison = (m: ToHost): m is ComparisonMessage => m.type === 'comparison';

function row(stack: AttentionStack, layer: number, head: number, from: number): Float32Array {
  const s = stack.seq;
  return stack.layers[layer].subarray((head * s + from) * s, (head * s + from + 1) * s);
}

describe('Compare with an edit (web pass)', () => {
  afterEach(async () => useBundled(await lensApi(), undefined));

  it('compares "tired" with "wide" on the encoder: two versions, the clicked head\'s weights equal the native runs\'', async () => {
    const api = await lensApi();
    await useBundled(api, 'encoder');
    const editor = await openSample('story.md');
    const doc = editor.document;
    const at = doc.getText().indexOf(SENTENCE);
    check.ok(at >= 0, 'story.md lost the seeds\' sentence');
    editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + SENTENCE.length));
    const result = nextMessage(api, 'a result', (m: ToHost): m is ResultMessage => m.type === 'result');
    await ui.runCommand('Attention Lens: Show attention for selection');
    await result;
    const it = api.lastRun()?.message.tokens.findIndex((t) => t.text === ' it') ?? -1;
    check.ok(it > 0, 'no " it" token');
    check.equal(await api.pinToken(it), true, 'pinning " it"');

    // "tired" selected (a selection does not move the pin), "wide" typed: the document stays as it is.
    const tired = at + SENTENCE.indexOf('tired');
    editor.selection = new vscode.Selection(doc.positionAt(tired), doc.positionAt(tired + 'tired'.length));
    const first = nextMessage(api, 'a comparison', isComparison);
    // The palette's command, not awaited: its input box opens as the palette closes, which the
    // driver's runCommand (waiting for the palette to close) can take for a palette still open.
    const comparing = Promise.resolve(vscode.commands.executeCommand('attentionLens.compareWithEdit'));
    await ui.typeInput('wide');
    await comparing;
    const shown = await first;
    const sent = api.lastCompare();
    check.ok(sent && shown.runId === sent.runId, 'the comparison is not the compare message\'s');
    check.equal(doc.getText().indexOf(SENTENCE), at, 'the document changed');
    check.sameJson(sent.variants.map((v) => [v.label, v.text]), [['tired → wide', SENTENCE.replace('tired', 'wide')]]);
    check.equal(shown.tokenIndex, it);
    check.equal(shown.beforeEdit, false, 'the encoder sees the edit from "it"');
    check.sameJson(await ui.webviewText('.compare-table th.version'), ['base', 'tired → wide'], 'the panel\'s versions');
    check.match((await ui.webviewText('.compare-words li.summary'))[0] ?? '', /^it: .+ (<1|\d+)% → (<1|\d+)%/);

    // Both versions run natively, in the unit the panel compares (words group tokens).
    const model = api.model();
    check.ok(model?.bundled, 'not the bundled encoder');
    const config = await modelConfig(model.dir);
    check.equal(config.architecture, 'bidirectional');
    const version = async (v: VariantInfo) => {
      const plain = await ui.nativeAttention(model.dir, v.tokens.map((t) => t.id), config.num_layers, config.num_heads);
      const stack = makeStack(plain.layers.map((l) => Float32Array.from(l)), plain.heads, plain.seq);
      if (shown.unit === 'token') return { tokens: v.tokens, stack, unitOf: (i: number) => i };
      check.ok(v.wordIds, 'the words view needs word ids');
      const g = groupWords(v.tokens, v.wordIds);
      return { tokens: groupTokens(v.tokens, g), stack: groupStack(stack, g), unitOf: (i: number) => g.unitOf[i] };
    };
    const [b, w] = [await version(sent.base), await version(sent.variants[0])];
    const alignment = alignTokens(sent.base.text, b.tokens, sent.variants[0].text, w.tokens);
    const f = b.unitOf(it);
    const reference = (layer: number, head: number) => compare({
      base: { tokens: b.tokens, stack: b.stack },
      variants: [{ label: 'tired → wide', tokens: w.tokens, stack: w.stack, alignment }],
      focus: f, causal: false,
      view: {
        description: `layer ${layer + 1}, head ${head + 1}`,
        weights: [row(b.stack, layer, head, f), row(w.stack, layer, head, alignment.toVariant[f] as number)],
      },
    });

    // Click the head the edit moved most in the grid: the panel shows that head, with the native weights.
    const most = [...reference(0, 0).heads].sort((x, y) => y.moved[0] - x.moved[0])[0];
    check.ok(most.moved[0] > 0.01, `the edit must move some of "it"'s attention (most: ${most.moved[0]})`);
    const picked = nextMessage(api, 'the comparison for the clicked head', (m: ToHost): m is ComparisonMessage =>
      isComparison(m) && m.view === `layer ${most.layer + 1}, head ${most.head + 1}`);
    await ui.webviewEval('.compare-grid', `(document.querySelectorAll('.compare-grid .compare-cell')[${most.layer * config.num_heads + most.head}].click(), true)`);
    const byHead = await picked;
    const ref = reference(most.layer, most.head);
    check.equal(byHead.rows.length, ref.rows.length, 'rows');
    check.sameJson(byHead.rows.map((r) => r.label), ref.labels.slice(0, ref.rows.length), 'the rows\' targets');
    byHead.rows.forEach((r, i) => r.weights.forEach((x, v) =>
      check.ok(Math.abs(x - ref.weights[i][v]) < TOLERANCE, `${r.label} version ${v}: ${x} vs native ${ref.weights[i][v]}`)));
    await ui.log(`      web compare: ${byHead.summaries[0]}`);
  });
});
