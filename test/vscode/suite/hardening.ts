// What the hardening suites (4a input, 4b faults, 4c model folders) share: files written into the
// workspace, commands run with their run id, refusals, exact token ranges, what must not grow, and
// a way to hold the panel's run messages so that runs stay in flight.
//
// Tests that only exercise the host (text picking, tokenizing, ranges, the host's model checks) run
// in one pass (ONCE_PASS); the ones where the webview's backend takes part run in both.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { AttentionLensApi, LensStats, RunSnapshot, ShownMessage } from '../../../src/api';
import { ui } from '../driverClient';
import type { TestPass } from '../driverProtocol';
import { closePanelTab, lensApi, testPass, toRange, until } from './helpers';

export const ONCE_PASS: TestPass = 'wasm';
export const PASS = process.env.ATTENTION_LENS_TEST_PASS;
/** A test that needs to run in one pass only: defined in ONCE_PASS, absent (not skipped) in the other. */
export const itOnce = (title: string, fn: () => Promise<void>): void => {
  if (testPass() === ONCE_PASS) it(`${title} [${ONCE_PASS} pass only]`, fn);
};

export const CMD = { explain: 'attentionLens.explainHere', selection: 'attentionLens.showSelection' };

// ---- helpers -------------------------------------------------------------------------------------

export function workspaceUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

export function writeWorkspaceFile(name: string, content: string | Uint8Array): vscode.Uri {
  const uri = workspaceUri(name);
  fs.writeFileSync(uri.fsPath, content);
  return uri;
}

export async function show(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
}

export function putCursor(editor: vscode.TextEditor, offset: number): vscode.Position {
  const p = editor.document.positionAt(offset);
  editor.selection = new vscode.Selection(p, p);
  return p;
}

/** Runs a command; returns its run id (asserting one started) and how long the command took. */
export async function command(name: string): Promise<{ runId: number; ms: number }> {
  const t0 = Date.now();
  const runId = await vscode.commands.executeCommand<number | undefined>(name);
  const ms = Date.now() - t0;
  assert.ok(typeof runId === 'number', `${name} started no run (last message: ${JSON.stringify(lastOf(await lensApi()))})`);
  return { runId, ms };
}

export const lastOf = (api: AttentionLensApi): ShownMessage | undefined => api.messages().at(-1);

/** A command that must not run: it returns nothing, starts no run, and tells the user `expected`. */
export async function refused(api: AttentionLensApi, name: string, expected: RegExp): Promise<ShownMessage> {
  const runs = api.stats().runsStarted;
  const shown = api.messagesShown();
  const runId = await vscode.commands.executeCommand<number | undefined>(name);
  assert.strictEqual(runId, undefined, `${name} started run ${runId}`);
  assert.strictEqual(api.stats().runsStarted, runs, `${name} started a run`);
  const added = api.messagesSince(shown);
  assert.strictEqual(added.length, 1, `${name} should show one message, showed ${JSON.stringify(added)}`);
  assert.strictEqual(added[0].severity, 'warning');
  assert.match(added[0].text, expected);
  return added[0];
}

/**
 * Each token's document range holds exactly its text, the ranges are back to back from the
 * analysed range's start to its end, and together they give the analysed text back. The one
 * documented exception (src/api.ts): an editor has no position between the \r and \n of a CRLF,
 * so a token boundary there moves after the \n. Returns how many boundaries that rule moved.
 */
export function assertExactRanges(doc: vscode.TextDocument, run: RunSnapshot): number {
  const analysed = toRange(run.range);
  const text = doc.getText(analysed);
  const base = doc.offsetAt(analysed.start);
  const inLineBreak = (o: number): boolean => o > 0 && o < text.length && text[o - 1] === '\r' && text[o] === '\n';
  const moved = (o: number): number => (inLineBreak(o) ? o + 1 : o);
  let movedCount = 0;
  const truncation = run.message.truncation;
  // A window cut from a longer text starts where the kept text starts.
  let cursor = truncation ? doc.positionAt(base + moved(truncation.keptStart)) : analysed.start;
  let rebuilt = '';
  run.message.tokens.forEach((t, i) => {
    const r = toRange(run.documentRanges[i]);
    if (t.special) {
      assert.ok(r.isEmpty, `special token ${i} has a source range`);
      return;
    }
    assert.strictEqual(text.slice(t.start, t.end), t.text, `token ${i}: its offsets do not hold its text`);
    if (inLineBreak(t.end)) movedCount++;
    const expected = text.slice(moved(t.start), moved(t.end));
    assert.strictEqual(doc.getText(r), expected, `token ${i} (${JSON.stringify(t.text)}): its document range holds ${JSON.stringify(doc.getText(r))}`);
    if (!inLineBreak(t.start) && !inLineBreak(t.end)) assert.strictEqual(doc.getText(r), t.text, `token ${i}`);
    assert.ok(r.start.isEqual(doc.positionAt(base + moved(t.start))), `token ${i} starts at the wrong position`);
    assert.ok(r.start.isEqual(cursor), `token ${i} does not start where token ${i - 1} ended`);
    cursor = r.end;
    rebuilt += doc.getText(r);
  });
  if (truncation) {
    assert.strictEqual(rebuilt, text.slice(truncation.keptStart, moved(truncation.keptEnd)), 'the tokens do not give the kept window back');
  } else {
    assert.ok(cursor.isEqual(analysed.end), 'the tokens stop short of the analysed range');
    assert.strictEqual(rebuilt, text, 'the tokens do not give the analysed text back');
  }
  return movedCount;
}

/** The counts that must not grow: decoration types, listeners, panels, runs in flight. */
export const leakCounts = (s: LensStats) => ({ decorationTypes: s.decorationTypes, listeners: s.listeners, panels: s.panels, inFlight: s.inFlight });

export async function closePanelIfOpen(api: AttentionLensApi): Promise<void> {
  if (api.stats().panels === 0) return;
  await closePanelTab();
  await until('the panel to close', () => api.stats().panels === 0);
}

export const panelTokenCount = async (): Promise<number> =>
  (await ui.webviewEval('.tok', 'document.querySelectorAll(".tokens .tok").length')) as number;

/**
 * Holds what the host sends the open panel's page about runs until `release`, which posts it to
 * the page again in order. Meanwhile no run can finish, however fast the machine: every run sent
 * stays in flight. VS Code's outer webview frame delivers each message by calling the page's
 * window.postMessage; the page's own replaces it while holding. `held`: the held messages' types.
 */
export async function holdRunMessages(): Promise<{ held: () => Promise<string[]>; release: () => Promise<void> }> {
  await ui.webviewEval('.tok', `(() => {
    const held = [];
    const deliver = window.postMessage;
    window.postMessage = function (data, ...rest) {
      if (['run', 'cancel', 'compare', 'pin', 'explain'].includes(data?.type)) held.push(data);
      else deliver.call(window, data, ...rest);
    };
    window.heldRunMessages = () => held.map((m) => m.type);
    window.releaseRunMessages = () => {
      window.postMessage = deliver;
      for (const data of held) window.postMessage(data, '*');
      return true;
    };
    return true;
  })()`);
  return {
    held: async () => (await ui.webviewEval('.tok', 'window.heldRunMessages()')) as string[],
    release: async () => { await ui.webviewEval('.tok', 'window.releaseRunMessages()'); },
  };
}

/**
 * Paragraphs long enough for a run to still be in flight a moment after the command: about 400
 * tokens on WASM; on WebGPU (SwiftShader, on the CPU) about 90 tokens already take seconds.
 */
export function longProse(paragraphs: number): string {
  const s = 'The animal did not cross the street because it was too tired, and the children who saw it waved to their mother, who smiled at them.';
  const sentences = testPass() === 'webgpu' ? 3 : 14;
  return Array.from({ length: paragraphs }, (_, p) => Array.from({ length: sentences }, (_, i) => `${s} (${p}.${i})`).join(' ')).join('\n\n');
}

export const secondParagraph = (doc: vscode.TextDocument): number => doc.getText().indexOf('\n\n') + 2;

/** Moves the cursor of `editor` onto the first " it " at or after `from` and returns its offset. */
export function cursorOnIt(editor: vscode.TextEditor, from = 0): number {
  const at = editor.document.getText().indexOf(' it ', from) + 2;
  assert.ok(at > 1, 'no " it " in the document');
  putCursor(editor, at);
  return at;
}
