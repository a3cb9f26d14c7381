// Registers the commands the extension contributes (package.json contributes.commands), one file
// per command in this folder; each returns what tests and keybindings wait on.
import * as vscode from 'vscode';
import { registerChooseModel } from './chooseModel';
import { registerClearPanelCache } from './clearPanelCache';
import { registerCompareWithEdit } from './compareWithEdit';
import { DOWNLOAD_MODEL } from './downloadModel';
import { SET_HUB_TOKEN } from './hubToken';
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
    registerClearPanelCache(target),
    vscode.commands.registerCommand(DOWNLOAD_MODEL, (arg?: unknown) => target.downloadModel(arg)),
    vscode.commands.registerCommand(SET_HUB_TOKEN, (arg?: unknown) => target.setHubToken(arg)),
  ];
}
