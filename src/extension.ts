// Entry point: wires the lens, its commands and the output channel; returns the test API.
import * as vscode from 'vscode';
import { AttentionLensApi } from './api';
import { registerCommands } from './commands/register';
import { AttentionLens } from './lens';

export function activate(context: vscode.ExtensionContext): AttentionLensApi {
  const log = vscode.window.createOutputChannel('Attention Lens');
  const lens = new AttentionLens(context.extensionUri, log, context.globalState, {
    secrets: context.secrets, version: String((context.extension.packageJSON as { version?: unknown }).version ?? '0'),
    storage: context.globalStorageUri,
  });
  context.subscriptions.push(log, lens, ...registerCommands(lens));
  return lens.api();
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
