// Saving an export the webview built: the bytes, a save dialog beside the document, the write.
import * as vscode from 'vscode';
import { defaultSaveFolder } from '../env/node/hostUris';
import { EXPORT_LABELS, exportBytes, exportFileName } from './exportFile';
import type { Notifier } from '../notifier';
import type { SaveMessage } from '../shared/protocol';

export async function saveExport(
  msg: SaveMessage, doc: vscode.TextDocument | undefined, log: vscode.OutputChannel, notifier: Notifier,
): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = exportBytes(msg);
  } catch (e) {
    notifier.fail(`Attention Lens could not export: ${(e as Error).message}`);
    return;
  }
  const folder = (doc && vscode.workspace.getWorkspaceFolder(doc.uri)) ?? vscode.workspace.workspaceFolders?.[0];
  const base = folder?.uri ?? defaultSaveFolder();
  const uri = await vscode.window.showSaveDialog({
    ...(base ? { defaultUri: vscode.Uri.joinPath(base, exportFileName(msg.fileName, msg.format)) } : {}),
    filters: { [EXPORT_LABELS[msg.format]]: [msg.format] },
    saveLabel: 'Export',
    title: 'Attention Lens: export',
  });
  if (!uri) return;
  try {
    await vscode.workspace.fs.writeFile(uri, bytes);
    log.appendLine(`[export] wrote ${bytes.length} bytes to ${uri.toString()}`);
    notifier.tell('info', `Attention Lens: saved ${uri.scheme === 'file' ? uri.fsPath : uri.toString()}`);
  } catch (e) {
    notifier.fail(`Attention Lens could not save ${uri.toString()}: ${(e as Error).message}`);
  }
}
