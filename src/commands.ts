// The commands the extension contributes (see package.json contributes.commands).
import * as vscode from 'vscode';
import { AttentionLens } from './lens';

export const COMMANDS = {
  explainHere: 'attentionLens.explainHere',
  showSelection: 'attentionLens.showSelection',
  /** Hidden from the palette: pins a token of the current run, as hovering it in the panel does. */
  hoverToken: 'attentionLens.hoverToken',
} as const;

export function registerCommands(lens: AttentionLens): vscode.Disposable[] {
  return [
    // Returns the run id (or undefined when nothing ran), which tests use to wait for that run.
    vscode.commands.registerCommand(COMMANDS.explainHere, () => lens.runCommand('explain')),
    vscode.commands.registerCommand(COMMANDS.showSelection, () => lens.runCommand('selection')),
    vscode.commands.registerCommand(COMMANDS.hoverToken, (tokenIndex: unknown) =>
      lens.pinToken(typeof tokenIndex === 'number' ? tokenIndex : null)),
  ];
}
