// Issue 4, steps 2 and 3: "Show attention for selection" on a TypeScript function. The tokens
// cover the selection exactly; hovering a token in the panel decorates exactly the source ranges
// of its top targets (as the model computes them); closing the panel removes the decorations.
import * as assert from 'assert';
import * as path from 'path';
import { Tokenizer as NativeTokenizer } from 'tokenizers';
import * as vscode from 'vscode';
import { aggregateHeads, headMatrix, row, topTargets } from '../../../src/shared/attention';
import type { HighlightMessage, ResultMessage, ToHost } from '../../../src/shared/protocol';
import { MIN_DRAWN_WEIGHT } from '../../../src/editor/weights';
import { HOST_TARGETS } from '../../../webview/runData';
import { defaultView } from '../../../webview/viewState';
import { ui } from '../driverClient';
import {
  assertBackend, closePanelTab, lensApi, modelFiles, nativeAttention, nextMessage, openSample, plain, toRange, until,
} from './helpers';

const FUNCTION_HEAD = 'export function distance(';

describe(`Show attention for selection (${process.env.ATTENTION_LENS_TEST_PASS} pass)`, () => {
  it('tokenizes exactly the selected function, decorates a hovered token\'s top targets, clears them on close', async () => {
    const api = await lensApi();
    const editor = await openSample('shapes.ts');
    const doc = editor.document;
    const text = doc.getText();
    const start = text.indexOf(FUNCTION_HEAD);
    assert.ok(start >= 0, 'shapes.ts lost its distance() function');
    const end = text.indexOf('\n}\n', start) + 2;
    const selection = new vscode.Selection(doc.positionAt(start), doc.positionAt(end));
    editor.selection = selection;
    const selected = doc.getText(selection);

    const result = nextMessage(api, 'a result', (m: ToHost): m is ResultMessage => m.type === 'result');
    await ui.runCommand('Attention Lens: Show attention for selection');
    const res = await result;
    const run = api.lastRun();
    assert.ok(run && run.runId === res.runId, 'the result is not for the latest run');
    assertBackend(res.backend, res.backendReason);

    // The analysed range is the selection, and the tokens are what the tokenizer makes of it.
    assert.deepStrictEqual(run.range, plain(selection));
    const { dir, config } = modelFiles(api);
    const tokens = run.message.tokens;
    const real = tokens.filter((t) => !t.special);
    const native = await NativeTokenizer.fromFile(path.join(dir, 'tokenizer.json')).encode(selected, null, { addSpecialTokens: false });
    assert.deepStrictEqual(real.map((t) => t.id), native.getIds(), 'token ids differ from the native tokenizer\'s');
    assert.strictEqual(tokens.length, native.getIds().length + (config.prepend_bos ? 1 : 0));
    if (config.prepend_bos) assert.ok(tokens[0].special && tokens[0].id === 0);

    // Token ranges: each is the token's own text in the document, back to back, covering the selection.
    assert.strictEqual(run.documentRanges.length, tokens.length);
    let cursor = selection.start;
    tokens.forEach((t, i) => {
      const r = toRange(run.documentRanges[i]);
      if (t.special) {
        assert.ok(r.isEmpty, `special token ${i} has a source range`);
        return;
      }
      assert.ok(r.start.isEqual(cursor), `token ${i} (${JSON.stringify(t.text)}) starts at ${r.start.line}:${r.start.character}, not where the previous one ended`);
      assert.strictEqual(doc.getText(r), t.text, `token ${i}'s range does not hold its text`);
      cursor = r.end;
    });
    assert.ok(cursor.isEqual(selection.end), 'the tokens stop short of the selection\'s end');

    // The panel shows every token, and says how many.
    await ui.waitWebview('.tok');
    const spans = (await ui.webviewEval('.tok', 'document.querySelectorAll(".tokens .tok").length')) as number;
    assert.strictEqual(spans, tokens.length);
    assert.match((await ui.webviewText('.facts'))[0] ?? '', new RegExp(`${tokens.length} tokens`));

    // Hover the last "dx" of `dx * dx` in the panel: a real mouse over the webview's token (the
    // token holding its "x", whatever the tokenizer's merges make of it).
    const lastDx = doc.positionAt(start + selected.lastIndexOf('dx') + 1);
    const hovered = run.documentRanges.findIndex((r) => toRange(r).contains(lastDx) && !toRange(r).end.isEqual(lastDx));
    assert.ok(hovered > 0, 'no token holds the last "dx"');
    const highlight = nextMessage(api, `a highlight for token ${hovered}`,
      (m: ToHost): m is HighlightMessage => m.type === 'highlight' && m.tokenIndex === hovered);
    await ui.hoverWebview(`.tokens .tok[data-i="${hovered}"]`);
    const hl = await highlight;

    // Its targets are the model's: the panel's view (its default) computed from the native run.
    const stack = await nativeAttention(dir, tokens.map((t) => t.id), config);
    const view = defaultView(config);
    const layer = stack.layers[view.layer];
    const matrix = view.mode === 'head' ? headMatrix(layer, view.head, stack.seq) : aggregateHeads(layer, stack.seq, view.heads, 'mean');
    const expected = topTargets(row(matrix, stack.seq, hovered), HOST_TARGETS);
    assert.deepStrictEqual(hl.targets.map((t) => t.index), expected.map((t) => t.index), 'the hovered token\'s targets differ from the model\'s');
    hl.targets.forEach((t, i) => assert.ok(Math.abs(t.weight - expected[i].weight) < 1e-4, `target ${t.index}: ${t.weight} vs native ${expected[i].weight}`));

    // The editor decorates exactly those targets' source ranges, and outlines the hovered token.
    const drawn = expected.filter((t) => t.weight >= MIN_DRAWN_WEIGHT && !toRange(run.documentRanges[t.index]).isEmpty);
    assert.ok(drawn.length > 0, 'nothing to decorate');
    const deco = await until('editor decorations for the hovered token', () => {
      const d = api.decorations();
      return d && d.source && toRange(d.source).isEqual(toRange(run.documentRanges[hovered])) ? d : null;
    });
    assert.strictEqual(deco.documentUri, doc.uri.toString());
    const key = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
      `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
    assert.deepStrictEqual(deco.targets.map((t) => key(t.range)).sort(), drawn.map((t) => key(run.documentRanges[t.index])).sort());
    assert.strictEqual(api.stats().decoratedRanges, drawn.length + 1);

    // The panel lights the same tokens (its set is wider: it also shows smaller weights).
    const lit = (await ui.webviewEval('.tok', '[...document.querySelectorAll(".tokens .tok.lit")].map(e => Number(e.dataset.i))')) as number[];
    for (const t of drawn) assert.ok(lit.includes(t.index), `token ${t.index} is decorated but not lit in the panel`);

    // Closing the panel removes every decoration.
    await closePanelTab();
    await until('the panel to close', () => api.stats().panels === 0);
    await until('decorations to clear', () => api.decorations() === null && api.stats().decoratedRanges === 0);
  });
});
