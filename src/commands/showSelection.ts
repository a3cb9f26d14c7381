// "Attention Lens: Show attention for selection": runs the model on exactly the selected text
// (src/run/runControl.ts does the run).
import * as vscode from 'vscode';
import type { CommandTarget } from './target';

export const SHOW_SELECTION = 'attentionLens.showSelection';

export function registerShowSelection(target: CommandTarget): vscode.Disposable {
  return vscode.commands.registerCommand(SHOW_SELECTION, () => target.runCommand('selection'));
}
