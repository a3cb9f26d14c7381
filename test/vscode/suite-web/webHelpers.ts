// What the web suite needs beyond ../lensHelpers, without Node (suite/helpers.ts holds the Node host's
// versions, which read files with fs and run the model with onnxruntime-node).
import * as vscode from 'vscode';
import type { PlainRange } from '../../../src/api';
import { ModelConfig, parseModelConfig } from '../../../src/shared/modelConfig';
import { check } from '../web/check';

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
