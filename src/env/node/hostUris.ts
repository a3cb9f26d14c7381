// Uris and model locations on the Node host: a location is the local path of a file: Uri; other
// schemes (virtual workspaces) cannot be read here. The browser host's twin is src/env/browser/hostUris.ts.
import * as os from 'os';
import * as vscode from 'vscode';
import type { Loc } from '../../models/modelFs';

/** The location ModelFs reads for `uri`, or undefined where this host cannot read its scheme. */
export function locOf(uri: vscode.Uri): Loc | undefined {
  return uri.scheme === 'file' ? uri.fsPath : undefined;
}

export function uriOf(loc: Loc): vscode.Uri {
  return vscode.Uri.file(loc);
}

/** Browse… may pick one .onnx file too (a variant); the web's dialogs turn that into files only. */
export const PICK_FILES = true;

/** Where a save dialog starts when no folder is open. */
export function defaultSaveFolder(): vscode.Uri | undefined {
  return vscode.Uri.file(os.homedir());
}

/** What Choose model… says about a folder this host cannot read. */
export const UNREADABLE_PICK = 'Attention Lens: a model must be on the local disk.';
