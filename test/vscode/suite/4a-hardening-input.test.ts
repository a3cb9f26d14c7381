// Issue 6, hardening, in the real VS Code, bad input: empty or whitespace-only text, a blank line,
// binary data, emoji/CJK/combining marks/CRLF/tabs, a 100,000-line file (on both bundled models:
// the causal one reads before the cursor, the bidirectional one around it); each with what the
// user is told and that token ranges stay exact.
import * as assert from 'assert';
import * as path from 'path';
import { Tokenizer as NativeTokenizer } from 'tokenizers';
import * as vscode from 'vscode';
import type { AttentionLensApi, PlainRange } from '../../../src/api';
import { groupWords } from '../../../src/shared/words';
import { ui } from '../driverClient';
import { CMD, PASS, assertExactRanges, command, cursorOnIt, itOnce, panelTokenCount, putCursor, refused, show, writeWorkspaceFile } from './hardening';
import { BUNDLED, Recorder, assertBundled, lensApi, modelFiles, openSample, toRange, until, useBundled } from './helpers';

describe(`Hardening (${PASS} pass)`, () => {
  let api: AttentionLensApi;

  before(async () => {
    api = await lensApi();
  });

  afterEach(() => useBundled(api, undefined));

  itOnce('empty or whitespace-only selections and a cursor on a blank line: a clear message, no run, nothing lost', async () => {
    // A run to lose: the panel shows it, and it must still show it afterwards.
    const story = await openSample('story.md');
    cursorOnIt(story);
    const rec = new Recorder(api);
    const { runId } = await command(CMD.explain);
    await rec.wait('result', runId);
    rec.dispose();
    // Markdown is prose: the panel shows the run in words.
    const storyRun = api.lastRun();
    assert.ok(storyRun?.message.wordIds, 'the story run carries no word ids');
    const tokens = groupWords(storyRun.message.tokens, storyRun.message.wordIds).units.length;

    const content = 'First paragraph, with words.\n\n   \t  \n\nSecond paragraph.\n';
    const editor = await show(writeWorkspaceFile('blank-lines.txt', content));
    const doc = editor.document;
    const version = doc.version;
    // A selection of spaces and a tab only.
    editor.selection = new vscode.Selection(2, 0, 2, 6);
    await refused(api, CMD.selection, /empty or only whitespace/);
    await refused(api, CMD.explain, /empty or only whitespace/);
    // A selection spanning blank lines only.
    editor.selection = new vscode.Selection(1, 0, 4, 0);
    await refused(api, CMD.selection, /empty or only whitespace/);
    // The cursor on an empty line, and on a line of whitespace.
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await refused(api, CMD.explain, /cursor is on an empty line/);
    editor.selection = new vscode.Selection(2, 3, 2, 3);
    await refused(api, CMD.explain, /cursor is on an empty line/);
    // An empty document.
    const empty = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: '', language: 'plaintext' }), vscode.ViewColumn.One);
    await refused(api, CMD.explain, /cursor is on an empty line/);
    await refused(api, CMD.selection, /cursor is on an empty line/);
    assert.strictEqual(empty.document.getText(), '');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    // Nothing lost: the document is as it was, the last run and the panel still show it.
    assert.strictEqual(doc.getText(), content);
    assert.strictEqual(doc.version, version);
    assert.strictEqual(doc.isDirty, false);
    assert.strictEqual(api.lastRun()?.runId, runId);
    assert.strictEqual(api.lastResult()?.runId, runId);
    assert.strictEqual(api.stats().panels, 1);
    assert.strictEqual(await panelTokenCount(), tokens);
  });

  itOnce('a binary file: a clear message, no run', async () => {
    // Bytes as in an archive or image: NUL bytes and control characters from the first line on.
    const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i < 4 ? [0x50, 0x4b, 0x03, 0x04][i] : (i * 37 + (i >> 5)) % 256));
    assert.ok(bytes.includes(0));
    const editor = await show(writeWorkspaceFile('archive.bin', bytes));
    putCursor(editor, 2);
    await refused(api, CMD.explain, /binary data/);
    editor.selection = new vscode.Selection(new vscode.Position(0, 0), editor.document.lineAt(editor.document.lineCount - 1).range.end);
    await refused(api, CMD.selection, /binary data/);
    // No NUL at all, but mostly control characters and bytes that are not UTF-8.
    const noNul = Uint8Array.from({ length: 2048 }, (_, i) => (i % 4 === 0 ? 0x41 + (i % 26) : [0x01, 0x02, 0x0e, 0x1f, 0x7f, 0xc3, 0xff, 0x80][i % 8]));
    assert.ok(!noNul.includes(0));
    const other = await show(writeWorkspaceFile('noise.dat', noNul));
    putCursor(other, 1);
    await refused(api, CMD.explain, /binary data/);
  });

  itOnce('emoji, CJK, combining marks, CRLF line endings and tabs: token ranges stay exact', async () => {
    const lines = [
      'Emoji: 😀 a family 👩‍👩‍👧, a flag 🇯🇵 and a cat 🐈 sat.',
      '\tIndented\twith\ttabs\t→\tend',
      'CJK: 猫が好きです。我喜欢猫。고양이를 좋아해요.',
      'Combining: Cafe\u0301, man\u0303ana, A\u030a\u0301, Z\u0351\u0334a\u0335lgo.',
      'mixed\t😀猫e\u0301\t"quotes" — dashes',
      'The robot said it was tired because it had walked far.',
    ];
    const content = `${lines.join('\r\n')}\r\n`;
    const editor = await show(writeWorkspaceFile('unicode-crlf.txt', content));
    const doc = editor.document;
    assert.strictEqual(doc.eol, vscode.EndOfLine.CRLF, 'the file was not opened with CRLF line endings');
    assert.strictEqual(doc.getText(), content);
    const at = content.lastIndexOf('tired') + 2;
    putCursor(editor, at);
    const rec = new Recorder(api);
    const { runId } = await command(CMD.explain);
    const run = api.lastRun();
    assert.ok(run && run.runId === runId);

    // The block around the cursor is the whole text (no blank line), and every range is exact.
    assert.strictEqual(doc.getText(toRange(run.range)), content.replace(/\r\n$/, ''));
    assert.strictEqual(run.message.truncation, null);
    const moved = assertExactRanges(doc, run);
    // The tokens are what the tokenizer makes of the text: nothing dropped, nothing normalised away.
    const { dir, config } = modelFiles(api);
    const native = await NativeTokenizer.fromFile(path.join(dir, 'tokenizer.json')).encode(doc.getText(toRange(run.range)), null, { addSpecialTokens: false });
    assert.deepStrictEqual(run.message.tokens.filter((t) => !t.special).map((t) => t.id), native.getIds());
    // The focus is the token under the cursor.
    const focus = run.message.focus;
    assert.ok(focus !== null);
    assert.ok(toRange(run.documentRanges[focus]).contains(doc.positionAt(at)));
    assert.match(run.message.tokens[focus].text, /tired|ti|red/);

    // The model runs on it; the pinned token's decorations sit on exact token ranges.
    await rec.wait('result', runId);
    await rec.wait('explanation', runId);
    rec.dispose();
    const deco = await until('decorations for the explained token', () => {
      const d = api.decorations();
      return d && d.source ? d : null;
    });
    const key = (r: PlainRange | vscode.Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
    // Plain text is prose, explained in words: a decoration covers a word's tokens exactly (the
    // union of their ranges), the explained one the word holding the focus token.
    assert.ok(run.message.wordIds, 'the run carries no word ids');
    const g = groupWords(run.message.tokens, run.message.wordIds);
    const wordRange = (u: { first: number; end: number }) => toRange(run.documentRanges[u.first]).union(toRange(run.documentRanges[u.end - 1]));
    const wordRanges = new Set(g.units.map((u) => key(wordRange(u))));
    assert.ok(deco.source && key(deco.source) === key(wordRange(g.units[g.unitOf[focus]])), `the explained word is not outlined: ${deco.source && key(deco.source)}`);
    for (const t of deco.targets) assert.ok(wordRanges.has(key(t.range)), `decoration ${key(t.range)} is not a word's range`);
    await ui.log(`      ${run.message.tokens.length} tokens (${config.prepend_bos ? 'bos + ' : ''}${native.getIds().length}), ${moved} boundaries moved past a CRLF`);
  });

  for (const kind of BUNDLED) itOnce(`a 100,000-line file: explain deep inside returns promptly with a window that fits, stated; ranges exact; a cut selection reported (bundled ${kind})`, async () => {
    await useBundled(api, kind);
    const N = 100_000;
    const content = Array.from({ length: N }, (_, i) => `Line ${i}: the animal was tired because it had walked far.`).join('\n');
    const editor = await show(writeWorkspaceFile('huge.txt', content));
    const doc = editor.document;
    assert.strictEqual(doc.lineCount, N);
    const cursor = new vscode.Position(61_234, 30);
    editor.selection = new vscode.Selection(cursor, cursor);
    const rec = new Recorder(api);
    const shown = api.messagesShown();
    const { runId, ms } = await command(CMD.explain);
    const run = api.lastRun();
    assert.ok(run && run.runId === runId);
    assert.ok(ms < 5000, `the command took ${ms} ms`);
    const config = assertBundled(api, kind);

    // Explain's window: as much before the cursor as the model takes (nearly all of its tokens),
    // chosen to fit, so nothing is cut afterwards; the cursor inside it.
    const maxTokens = Math.min(config.max_tokens, vscode.workspace.getConfiguration('attentionLens').get<number>('maxTokens', config.max_tokens));
    assert.ok(run.message.tokens.length <= maxTokens && run.message.tokens.length >= maxTokens - 8, `${run.message.tokens.length} tokens`);
    assert.strictEqual(run.message.truncation, null);
    assert.ok(toRange(run.range).contains(cursor));
    assert.ok(run.range.start.line < cursor.line - 10, `the window starts at line ${run.range.start.line + 1}`);
    const focus = run.message.focus;
    assert.ok(focus !== null, 'the cursor\'s token is not in the window');
    const focusRange = toRange(run.documentRanges[focus]);
    assert.ok(focusRange.contains(cursor), `focus ${JSON.stringify(run.documentRanges[focus])} does not hold the cursor`);
    assertExactRanges(doc, run);
    // A causal model: the text after the cursor takes at most a quarter of the tokens; a
    // bidirectional one: a window centred on the cursor (one paragraph, longer than the budget).
    const after = run.message.tokens.length - focus;
    if (config.architecture === 'causal') assert.ok(after <= Math.ceil(maxTokens / 4) + 1, `${after} tokens from the cursor on`);
    else assert.ok(Math.abs(after - focus) <= 3, `${focus} tokens before the cursor's, ${after} from it on`);
    assert.deepStrictEqual(api.analysedRange(), { documentUri: doc.uri.toString(), range: run.range });
    const told = api.messagesSince(shown).map((m) => m.text);
    assert.ok(!told.some((m) => /the limit is|looked at most/.test(m)), `the window was chosen to fit, yet: ${JSON.stringify(told)}`);

    const t0 = Date.now();
    await rec.wait('result', runId);
    rec.dispose();
    const resultMs = Date.now() - t0;
    const w = run.message.window;
    assert.ok(w, 'the run does not say where its window is');
    assert.deepStrictEqual([w.start.line, w.start.column, w.end.line, w.end.column], [run.range.start.line + 1, run.range.start.character + 1, run.range.end.line + 1, run.range.end.character + 1]);
    const stated = String(await ui.webviewEval('.tok', 'document.querySelector("header .window")?.textContent ?? ""'));
    assert.ok(stated.startsWith(`Reads ${w.start.line}:${w.start.column}–${w.end.line}:${w.end.column}`), `the panel says: ${stated}`);

    // All of it selected: cut to a window around the selection's active end, quickly, and said so.
    editor.selection = new vscode.Selection(doc.lineAt(N - 1).range.end, new vscode.Position(0, 0));
    const shown2 = api.messagesShown();
    const all = await command(CMD.selection);
    const run2 = api.lastRun();
    assert.ok(run2 && run2.runId === all.runId);
    assert.ok(all.ms < 5000, `the command took ${all.ms} ms`);
    assert.ok(run2.message.truncation && run2.message.tokens.length <= maxTokens);
    assert.strictEqual(run2.range.start.line, 0, 'the window is not around the active end (line 1)');
    assertExactRanges(doc, run2);
    const told2 = api.messagesSince(shown2).map((m) => m.text);
    assert.ok(told2.some((m) => /characters; Attention Lens reads the [\d,]+ around the cursor/.test(m)));
    const t2 = run2.message.truncation;
    assert.ok(told2.some((m) => new RegExp(`the text has ${t2.totalTokens} tokens and the limit is ${maxTokens}`).test(m)), `the cut is not reported: ${JSON.stringify(told2)}`);
    await ui.log(`      ${kind}: explain at line ${cursor.line + 1}: command ${ms} ms, result ${resultMs} ms later, ${run.message.tokens.length} tokens from line ${run.range.start.line + 1}; select-all: command ${all.ms} ms`);
  });
});
