// Entry point: wires the lens, its commands and the output channel; returns the test API.
import * as vscode from 'vscode';
import { AttentionLensApi } from './api';
import { registerCommands } from './commands';
import { AttentionLens } from './lens';
import { CHOOSE_MODEL } from './models/chooseModel';

export function activate(context: vscode.ExtensionContext): AttentionLensApi {
  const log = vscode.window.createOutputChannel('Attention Lens');
  const lens = new AttentionLens(context.extensionUri, log, context.globalState);
  context.subscriptions.push(
    log, lens, ...registerCommands(lens),
    // Returns what was written (tests wait on it); a path argument skips the quick pick.
    vscode.commands.registerCommand(CHOOSE_MODEL, (arg?: unknown) => lens.chooseModel(context.globalState, arg)),
  );
  return lens.api();
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
