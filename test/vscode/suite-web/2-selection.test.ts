// "Show attention for selection" in the web pass: the run reads exactly the selected function of
// shapes.ts (each token's range holds its text, back to back from the selection's start to its end),
// and the result is the page's: it names its backend, the panel shows every token, and hovering one
// in the panel decorates its targets in the editor.
import * as vscode from 'vscode';
import type { HighlightMessage, ResultMessage, ToHost } from '../../../src/shared/protocol';
import { check } from '../web/check';
import { ui } from '../web/fetchDriver';
import { closePanelTab, lensApi, nextMessage, openSample, toRange, until } from './webHelpers';

const FUNCTION_HEAD = 'export function distance(';

describe('Show attention for selection (web pass)', () => {
  it('tokenizes exactly the selected function, runs it in the page, and the panel\'s hover decorates the editor', async () => {
    const api = await lensApi();
    const editor = await openSample('shapes.ts');
    const doc = editor.document;
    const text = doc.getText();
    const start = text.indexOf(FUNCTION_HEAD);
    check.ok(start >= 0, 'shapes.ts lost its distance() function');
    const selection = new vscode.Selection(doc.positionAt(start), doc.positionAt(text.indexOf('\n}\n', start) + 2));
    editor.selection = selection;

    const result = nextMessage(api, 'a result', (m: ToHost): m is ResultMessage => m.type === 'result');
    await ui.runCommand('Attention Lens: Show attention for selection');
    const res = await result;
    const run = api.lastRun();
    check.ok(run && run.runId === res.runId, 'the result is not for the latest run');
    check.sameJson(run.range, { start: selection.start, end: selection.end }, 'the analysed range is not the selection');

    // Token ranges: each holds the token's own text, back to back, from the selection's start to its end.
    const tokens = run.message.tokens;
    check.equal(run.documentRanges.length, tokens.length, 'ranges per token');
    let cursor = selection.start;
    tokens.forEach((t, i) => {
      const r = toRange(run.documentRanges[i]);
      if (t.special) {
        check.ok(r.isEmpty, `special token ${i} has a source range`);
        return;
      }
      check.ok(r.start.isEqual(cursor), `token ${i} (${JSON.stringify(t.text)}) does not start where the previous one ended`);
      check.equal(doc.getText(r), t.text, `token ${i}'s range`);
      cursor = r.end;
    });
    check.ok(cursor.isEqual(selection.end), 'the tokens stop short of the selection\'s end');
    check.equal(tokens.filter((t) => !t.special).map((t) => t.text).join(''), doc.getText(selection), 'the tokens\' text');

    // The page ran it: the backend it names (no WebGPU in this browser), in the result and the panel.
    check.equal(res.backend, 'wasm');
    check.match(await ui.waitWebview('.facts[data-backend]') ?? '', /Backend: WASM \(not WebGPU: [^)]+\)/);
    check.match((await ui.webviewText('.facts'))[0] ?? '', new RegExp(`${tokens.length} tokens`));
    check.equal(await ui.webviewEval('.tok', 'document.querySelectorAll(".tokens .tok").length'), tokens.length, 'tokens in the panel');

    // A real mouse over the last "dx" in the panel: its highlight reaches the host, which decorates the editor.
    const lastDx = doc.positionAt(text.lastIndexOf('dx', text.indexOf('\n}\n', start)) + 1);
    const hovered = run.documentRanges.findIndex((r) => toRange(r).contains(lastDx) && !toRange(r).end.isEqual(lastDx));
    check.ok(hovered > 0, 'no token holds the last "dx"');
    const highlight = nextMessage(api, `a highlight for token ${hovered}`,
      (m: ToHost): m is HighlightMessage => m.type === 'highlight' && m.tokenIndex === hovered);
    await ui.hoverWebview(`.tokens .tok[data-i="${hovered}"]`);
    const hl = await highlight;
    check.ok(hl.targets.length > 0, 'the hovered token has no targets');
    const deco = await until('editor decorations for the hovered token', () => {
      const d = api.decorations();
      return d?.source && toRange(d.source).isEqual(toRange(run.documentRanges[hovered])) ? d : null;
    });
    check.equal(deco.documentUri, doc.uri.toString());
    const inSelection = deco.targets.every((t) => selection.contains(toRange(t.range)));
    check.ok(deco.targets.length > 0 && inSelection, 'the decorated targets are not inside the selection');

    // Closing the panel removes every decoration.
    await closePanelTab();
    await until('the panel to close', () => api.stats().panels === 0);
    await until('decorations to clear', () => api.decorations() === null && api.stats().decoratedRanges === 0);
  });
});
