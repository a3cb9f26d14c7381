// What the model-folder suites (5-models, 5a-model-sizes) share: the one-pass test, the setting
// they change, and a document with the cursor on " it ".
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AttentionLensApi } from '../../../src/api';
import { ui } from '../driverClient';
import { closePanelTab, testPass, until } from './helpers';

export const PASS = testPass();
export const itOnce = (title: string, fn: () => Promise<void>): void => {
  if (PASS === 'wasm') it(`${title} [wasm pass only]`, fn);
};
export const CMD = { explain: 'attentionLens.explainHere', choose: 'attentionLens.chooseModel' };
export const SENTENCE = "The Animal didn't cross the café's street because it was too tired.";
export const settings = () => vscode.workspace.getConfiguration('attentionLens');

export async function setModelPath(value: string | undefined): Promise<void> {
  await settings().update('modelPath', value, vscode.ConfigurationTarget.Global);
  await until('modelPath to apply', () => (settings().get<string>('modelPath') ?? '') === (value ?? ''));
}

/** After a suite: the settings the model suites change put back, then the timings it collected logged. */
export async function restoreModelSettings(timings: readonly string[]): Promise<void> {
  await setModelPath(undefined);
  await settings().update('bundledModel', undefined, vscode.ConfigurationTarget.Global);
  for (const t of timings) await ui.log(`      ${t}`);
}

export async function closePanel(api: AttentionLensApi): Promise<void> {
  if (api.stats().panels === 0) return;
  await closePanelTab();
  await until('the panel to close', () => api.stats().panels === 0);
}

/** A file in the workspace holding `text`, opened, with the cursor inside " it ". */
export async function openWithCursorOnIt(name: string, text: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  const file = path.join(folder.uri.fsPath, name);
  fs.writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(file);
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
  const at = text.indexOf(' it ') + 2;
  const pos = doc.positionAt(at);
  editor.selection = new vscode.Selection(pos, pos);
  return editor;
}
