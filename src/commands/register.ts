// Registers the commands the extension contributes (package.json contributes.commands), one file
// per command in this folder; each returns what tests and keybindings wait on.
import type * as vscode from 'vscode';
import { registerChooseModel } from './chooseModel';
import { registerCompareWithEdit } from './compareWithEdit';
import { registerExplainHere } from './explainHere';
import { registerProbeHeads } from './probeHeads';
import { registerShowSelection } from './showSelection';
import type { CommandTarget } from './target';

export function registerCommands(target: CommandTarget): vscode.Disposable[] {
  return [
    registerExplainHere(target),
    registerShowSelection(target),
    registerCompareWithEdit(target),
    registerProbeHeads(target),
    registerChooseModel(target),
  ];
}
