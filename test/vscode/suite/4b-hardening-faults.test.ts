// Issue 6, hardening, in the real VS Code, faults: a burst of commands, the panel closed or the
// document edited mid-run, the panel hidden and shown; each with what the user is told and what
// is left behind (runs in flight, decorations, listeners).
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { AttentionLensApi } from '../../../src/api';
import { ui } from '../driverClient';
import {
  CMD, PASS, closePanelIfOpen, command, cursorOnIt, holdRunMessages, leakCounts, longProse, panelTokenCount, secondParagraph, show,
  writeWorkspaceFile,
} from './hardening';
import { Recorder, closePanelTab, lensApi, openSample, sleep, toRange, until } from './helpers';

/**
 * The panel's element count once it stops changing while it shows the run's `tokens` tokens: a
 * render finishes parts (grid, badges) after the result lands, a token under the pointer adds its
 * card, and a page the workbench reloads shows the run again only once it has recomputed it; a
 * leak keeps the count higher. `parts`: the count under each of the page's top-level parts, to say
 * which one differs.
 */
async function settledDomCount(tokens: number): Promise<{ total: number; parts: string }> {
  await ui.mouseAway();
  const read = async () => (await ui.webviewEval('.tok',
    '[document.getElementsByTagName("*").length, document.querySelectorAll(".tokens .tok").length].join(" with tokens ")')) as string;
  const seen: string[] = [await read()];
  const total = await until('the panel\'s DOM to settle', async () => {
    await sleep(400);
    seen.push(await read());
    const [a, b, c] = seen.slice(-3);
    return seen.length >= 3 && a === b && b === c && c.endsWith(` with tokens ${tokens}`) ? Number(c.split(' ')[0]) : undefined;
  }, 30_000).catch((e: Error) => { throw new Error(`${e.message} showing ${tokens} tokens: counts ${seen.join(', ')}`); });
  // Each part with its element count, opened down to parts of 30 elements or fewer (not lists of over 40).
  const parts = (await ui.webviewEval('.tok', `(() => {
    const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
      + (e.hidden || getComputedStyle(e).display === 'none' ? ' (hidden)' : '');
    const walk = (e, depth) => [...e.children].map((c) => {
      const n = c.getElementsByTagName('*').length;
      return name(c) + ' ' + n + (n > 30 && c.children.length <= 40 && depth < 6 ? ' [' + walk(c, depth + 1) + ']' : '');
    }).join(', ');
    return walk(document.body, 0);
  })()`)) as string;
  return { total, parts };
}

describe(`Hardening (${PASS} pass)`, () => {
  let api: AttentionLensApi;

  before(async () => {
    api = await lensApi();
  });

  it('20 commands within a second: only the last renders, the others are cancelled, nothing grows', async () => {
    const editor = await openSample('shapes.ts');
    const doc = editor.document;
    // The host's editor.selection is overwritten by VS Code's echo of each change it made: set in a
    // quick series, a late echo of an earlier one can stand when the next command reads it. So each
    // selection is set and its own echo awaited, as a user's selection is there before the command.
    const selectUpTo = async (end: number): Promise<void> => {
      const want = new vscode.Selection(doc.positionAt(0), doc.positionAt(end));
      let sub: vscode.Disposable | undefined;
      const echoed = new Promise<void>((resolve) => {
        sub = vscode.window.onDidChangeTextEditorSelection((e) => {
          if (e.textEditor.document === doc && e.selections.length === 1 && e.selections[0]!.isEqual(want)) resolve();
        });
      });
      editor.selection = want;
      await Promise.race([echoed, sleep(5000)]).finally(() => sub?.dispose());
      assert.ok(editor.selection.isEqual(want), `the selection is ${doc.offsetAt(editor.selection.end)}, not ${end}`);
    };
    // Warm: the panel open and ready, the model loaded.
    await selectUpTo(100);
    const warm = new Recorder(api);
    await warm.wait('result', (await command(CMD.selection)).runId);
    warm.dispose();
    await until('no run in flight', () => api.stats().inFlight === 0);
    const before = api.stats();

    const burst = async () => {
      const start = api.stats();
      const rec = new Recorder(api);
      const ids: number[] = [];
      const tokenCounts: number[] = [];
      const read: string[] = []; // what each run read: file and character range
      // The page gets the burst only once all 20 were sent: each run is still in flight when the
      // next starts, as on a machine slower than the commands, so each is cancelled.
      const held = await holdRunMessages();
      let burstMs = 0; // the commands' own time, the selections' aside
      for (let i = 0; i < 20; i++) {
        await selectUpTo(100 + 30 * i);
        const t0 = Date.now();
        ids.push((await command(CMD.selection)).runId);
        burstMs += Date.now() - t0;
        const m = api.lastRun()?.message;
        tokenCounts.push(m?.tokens.length ?? -1);
        read.push(m ? `${m.source.fileName}:${m.tokens.find((t) => !t.special)?.start}-${m.tokens.at(-1)?.end}${m.truncation ? ' cut' : ''}` : 'none');
        assert.strictEqual(api.stats().inFlight, 1, 'a run in flight besides the newest');
      }
      assert.ok(burstMs < 1000, `20 commands took ${burstMs} ms`);
      // Each run read exactly the selection made for it.
      assert.deepStrictEqual(read, Array.from({ length: 20 }, (_, i) => `shapes.ts:0-${100 + 30 * i}`), 'a run read another selection');
      // Each earlier run was cancelled when the next one started.
      const sent = api.stats();
      assert.strictEqual(sent.runsStarted - start.runsStarted, 20);
      assert.strictEqual(sent.cancelsSent - start.cancelsSent, 19);
      // All of them reach the page (posting is asynchronous) before it may act on any.
      const count = (types: string[]) => ['run', 'cancel'].map((t) => types.filter((x) => x === t).length).join(' runs, ') + ' cancels';
      let types: string[] = [];
      await until('20 runs and 19 cancels at the page', async () => count(types = await held.held()) === '20 runs, 19 cancels', 30_000)
        .catch((e: Error) => { throw new Error(`${e.message}; it has ${count(types)}`); });
      await held.release();
      const last = ids[19];
      await rec.wait('result', last);
      await until('no run in flight', () => api.stats().inFlight === 0);
      await sleep(1500); // time for a late message from an earlier run to show up
      rec.dispose();
      const end = api.stats();
      // Only the last run rendered: one result, for it; the panel shows its tokens.
      assert.deepStrictEqual(rec.of('result').map((m) => m.runId), [last], `results for runs that were overtaken (runs ${ids.join(', ')}; received ${rec.messages.map((m) => `${m.type}${'runId' in m ? ` ${m.runId}` : ''}${m.type === 'progress' ? ` ${m.phase}` : ''}`).join(', ')})`);
      assert.deepStrictEqual(rec.of('progress').filter((m) => m.runId !== null && ids.slice(0, 19).includes(m.runId)), [], 'a cancelled run started');
      assert.deepStrictEqual(rec.of('error'), []);
      assert.strictEqual(api.lastResult()?.runId, last);
      assert.strictEqual(api.lastRun()?.runId, last);
      assert.notStrictEqual(tokenCounts[18], tokenCounts[19]);
      assert.strictEqual(await panelTokenCount(), tokenCounts[19]);
      assert.strictEqual(end.cancelsSent, sent.cancelsSent);
      return { stats: end, domNodes: await settledDomCount(tokenCounts[19]), burstMs, tokenCounts, read };
    };
    const first = await burst();
    const second = await burst();
    assert.deepStrictEqual(leakCounts(first.stats), leakCounts(before), 'the first burst left something behind');
    assert.deepStrictEqual(leakCounts(second.stats), leakCounts(first.stats), 'the second burst left something behind');
    assert.strictEqual(second.stats.inFlight, 0);
    assert.strictEqual(second.domNodes.total, first.domNodes.total,
      `the panel's DOM changed between bursts (tokens per command: ${first.tokenCounts.join(', ')}, then ${second.tokenCounts.join(', ')}; read ${first.read.join(', ')}, then ${second.read.join(', ')}); after the first: ${first.domNodes.parts}; after the second: ${second.domNodes.parts}`);
    assert.strictEqual(second.stats.droppedMessages, before.droppedMessages);
    await ui.log(`      bursts: ${first.burstMs} ms and ${second.burstMs} ms for 20 commands; ${JSON.stringify(leakCounts(second.stats))}, ${second.domNodes.total} DOM nodes (${second.domNodes.parts})`);
  });

  it('the panel closed while a run is in flight: no error, nothing left, the next command works', async () => {
    const editor = await show(writeWorkspaceFile('long-prose.md', longProse(3)));
    await closePanelIfOpen(api);
    const baseline = api.stats();
    const errorsBefore = api.lastError();
    cursorOnIt(editor, secondParagraph(editor.document));
    // A panel showing a run, whose page then holds the next run: it is in flight until the panel closes.
    const warm = new Recorder(api);
    await warm.wait('result', (await command(CMD.explain)).runId);
    warm.dispose();
    await until('no run in flight', () => api.stats().inFlight === 0);
    await holdRunMessages();
    const shown = api.messagesShown();
    const rec = new Recorder(api);
    const { runId } = await command(CMD.explain);
    assert.strictEqual(api.stats().inFlight, 1);
    assert.strictEqual(api.stats().panels, 1);
    await closePanelTab();
    await until('the panel to close', () => api.stats().panels === 0);
    await sleep(1500); // anything still coming from the run would land now
    rec.dispose();
    assert.deepStrictEqual(rec.of('result', runId), []);
    assert.deepStrictEqual(rec.of('error'), []);
    assert.strictEqual(api.lastError(), errorsBefore);
    assert.deepStrictEqual(api.messagesSince(shown).filter((m) => m.severity !== 'info'), []);
    const after = api.stats();
    assert.strictEqual(after.inFlight, 0);
    assert.strictEqual(after.decoratedRanges, 0);
    assert.strictEqual(api.decorations(), null);
    assert.deepStrictEqual(leakCounts(after), leakCounts(baseline), 'listeners or decoration types were left behind');

    // The next command opens the panel again and completes.
    const next = new Recorder(api);
    const again = await command(CMD.explain);
    await next.wait('result', again.runId);
    await next.wait('explanation', again.runId);
    next.dispose();
    await until('the explained token\'s decorations', () => api.decorations()?.source ?? null);
    assert.strictEqual(api.stats().panels, 1);
    assert.strictEqual(api.stats().inFlight, 0);
  });

  it('the document edited or closed mid-run: the stale run is not decorated', async () => {
    const editor = await show(writeWorkspaceFile('edited-prose.md', longProse(3)));
    const doc = editor.document;
    cursorOnIt(editor, secondParagraph(editor.document));
    const rec = new Recorder(api);
    const { runId } = await command(CMD.explain);
    // Edit far from the analysed paragraph: the offsets of every later token would still shift.
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'Edited. '));
    await until('the run marked stale after the edit', () => api.lastRun()?.stale === true, 5000);
    // The webview still finishes and pins the cursor's token; the host must not draw it.
    await rec.wait('result', runId);
    await rec.wait('highlight', runId);
    await sleep(300);
    assert.strictEqual(api.decorations(), null, 'a stale run was decorated');
    assert.strictEqual(api.stats().decoratedRanges, 0);
    const focus = api.lastRun()?.documentRanges[api.lastRun()?.message.focus ?? 0];
    assert.ok(focus);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, toRange(focus).start);
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.ok(!hoverText.includes('Attention Lens'), `a stale run still explains in the editor: ${hoverText}`);
    // A new command on the edited text is fresh and decorated again.
    cursorOnIt(editor, secondParagraph(editor.document));
    const fresh = await command(CMD.explain);
    await rec.wait('explanation', fresh.runId);
    await until('decorations for the fresh run', () => api.decorations()?.source ?? null);
    assert.strictEqual(api.lastRun()?.stale, false);

    // Closed mid-run: an untitled document, reverted and closed while its run is in flight.
    const scratch = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: longProse(2), language: 'markdown' }), vscode.ViewColumn.One);
    cursorOnIt(scratch, secondParagraph(scratch.document));
    const closed = await command(CMD.explain);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await until('the document to close', () => scratch.document.isClosed, 10_000);
    assert.strictEqual(api.lastRun()?.stale, true);
    await rec.wait('result', closed.runId);
    await sleep(500);
    rec.dispose();
    assert.strictEqual(api.decorations(), null, 'a closed document\'s run was decorated');
    assert.deepStrictEqual(rec.of('error'), []);
  });

  it('the panel hidden and shown again: recomputed, the same numbers', async () => {
    const editor = await openSample('story.md');
    cursorOnIt(editor);
    const rec = new Recorder(api);
    const { runId } = await command(CMD.explain);
    const explained = await rec.wait('explanation', runId);
    await ui.mouseAway();
    const deco = await until('decorations for the explained token', () => api.decorations()?.source ? api.decorations() : null);
    const shownLines = await ui.webviewText('.explain li');
    const facts = (await ui.webviewText('.facts'))[0];
    const count = await panelTokenCount();
    assert.deepStrictEqual(shownLines, explained.lines);

    // Hide: another editor in the panel's column.
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview);
    assert.ok(tab, 'no panel tab');
    const column = tab.group.viewColumn;
    const other = await vscode.workspace.openTextDocument({ content: 'Something else.', language: 'plaintext' });
    await vscode.window.showTextDocument(other, { viewColumn: column, preview: false });
    await until('the panel to be hidden', () => !vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && t.isActive));
    const readyCount = rec.of('ready').length;

    // Show: the panel's tab again, as a click on it does.
    const again = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview);
    assert.ok(again);
    await vscode.commands.executeCommand(`workbench.action.openEditorAtIndex${again.group.tabs.indexOf(again) + 1}`);
    await until('the new page\'s ready', () => rec.of('ready').length > readyCount);
    await until('the run recomputed', () => rec.of('result', runId).length >= 2);
    await until('the explanation again', () => rec.of('explanation', runId).length >= 2);
    rec.dispose();

    // The same run, the same numbers, in the panel and in the editor.
    const re = rec.of('explanation', runId)[1];
    assert.strictEqual(re.tokenIndex, explained.tokenIndex);
    assert.strictEqual(re.summary, explained.summary);
    assert.deepStrictEqual(re.lines, explained.lines);
    assert.strictEqual(api.lastRun()?.runId, runId);
    assert.strictEqual(await panelTokenCount(), count);
    assert.deepStrictEqual(await ui.webviewText('.explain li'), shownLines);
    assert.strictEqual((await ui.webviewText('.facts'))[0]?.replace(/[\d.]+ ms/g, '# ms'), facts?.replace(/[\d.]+ ms/g, '# ms'));
    const redrawn = await until('decorations again', () => api.decorations()?.source ? api.decorations() : null);
    assert.deepStrictEqual(redrawn, deco);
    assert.strictEqual(api.stats().inFlight, 0);
    // Exactly one more page: no duplicate result for the run.
    assert.strictEqual(rec.of('result', runId).length, 2);
  });
});
