// Uris and model locations in the browser worker host: a location is the Uri's string, read through
// vscode.workspace.fs whatever its scheme. The Node host's twin is src/env/node/hostUris.ts.
import * as vscode from 'vscode';
import type { Loc } from '../../models/modelFs';

export function locOf(uri: vscode.Uri): Loc | undefined {
  return uri.toString();
}

export function uriOf(loc: Loc): vscode.Uri {
  return vscode.Uri.parse(loc, true);
}

/** The web's open dialog (File System Access) picks files or folders, not both: folders. */
export const PICK_FILES = false;

/** No home folder in a browser: the dialog starts where the browser decides. */
export function defaultSaveFolder(): vscode.Uri | undefined {
  return undefined;
}

export const UNREADABLE_PICK = 'Attention Lens: this folder cannot be read here.';
