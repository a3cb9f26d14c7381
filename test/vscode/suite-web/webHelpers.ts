// What the web suite needs beyond ../lensHelpers, without Node (suite/helpers.ts holds the Node host's
// versions, which read files with fs and run the model with onnxruntime-node).
import * as vscode from 'vscode';
import type { AttentionLensApi, PlainRange } from '../../../src/api';
import type { ResultMessage, ToHost } from '../../../src/shared/protocol';
import { ModelConfig, parseModelConfig } from '../../../src/shared/modelConfig';
import { closeWebviewTabs, nextMessage, openSample, until } from '../lensHelpers';
import { check } from '../web/check';
import { ui } from '../web/fetchDriver';

export { EXTENSION_ID, lensApi, nextMessage, openSample, sleep, until, useBundled } from '../lensHelpers';
export type { BundledKind } from '../lensHelpers';
export { closeWebviewTabs as closePanelTab } from '../lensHelpers';

/** The model in use, read as the web host reads it: through vscode.workspace.fs at its Uri. */
export async function modelConfig(dir: string): Promise<ModelConfig> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(vscode.Uri.parse(dir, true), 'config.json'));
  return parseModelConfig(new TextDecoder().decode(bytes));
}

const PCT = /(<1|\d+)%/g;

/** As suite/helpers.ts's assertSameLine: the same names in order, each percentage within 1 of the reference's. */
export function sameLine(shown: string, reference: string): void {
  check.equal(shown.replace(PCT, '#%'), reference.replace(PCT, '#%'), 'token names or order differ from the model run natively');
  const a = [...shown.matchAll(PCT)].map((m) => m[1]);
  const b = [...reference.matchAll(PCT)].map((m) => m[1]);
  a.forEach((p, i) => {
    const x = p === '<1' ? 0.5 : Number(p);
    const y = b[i] === '<1' ? 0.5 : Number(b[i]);
    check.ok(Math.abs(x - y) <= 1, `"${shown}": ${p}% where the native model gives ${b[i]}% ("${reference}")`);
  });
}

/** A test API range as the editor's. */
export function toRange(r: PlainRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** The seeds' sentence, in the sample story.md. */
export const SENTENCE = "The animal didn't cross the street because it was too tired.";

/** Explain on "it" in story.md's seeds' sentence, with the panel closed first; the result. */
export async function explainIt(api: AttentionLensApi): Promise<ResultMessage> {
  if (api.stats().panels > 0) {
    await closeWebviewTabs();
    await until('the panel to close', () => api.stats().panels === 0);
  }
  const editor = await openSample('story.md');
  const cursor = editor.document.positionAt(editor.document.getText().indexOf(SENTENCE) + SENTENCE.indexOf(' it ') + 2);
  editor.selection = new vscode.Selection(cursor, cursor);
  const result = nextMessage(api, 'a result', (m: ToHost): m is ResultMessage => m.type === 'result');
  await ui.runCommand('Attention Lens: Explain attention here');
  return result;
}
