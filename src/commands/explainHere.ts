// "Attention Lens: Explain attention here": runs the model on the text around the cursor and says,
// in words, what the token at the cursor attends to (src/run/runControl.ts does the run).
import * as vscode from 'vscode';
import type { CommandTarget } from './target';

export const EXPLAIN_HERE = 'attentionLens.explainHere';

export function registerExplainHere(target: CommandTarget): vscode.Disposable {
  return vscode.commands.registerCommand(EXPLAIN_HERE, () => target.runCommand('explain'));
}
