// Model files in the browser worker host: Uris through vscode.workspace.fs (src/env/browser/uriModelFs.ts).
// The Node host's twin is src/env/node/modelFs.ts.
import * as vscode from 'vscode';
import type { ModelFs } from '../../models/modelFs';
import { uriModelFs } from './uriModelFs';

export const modelFs: ModelFs = uriModelFs(vscode.workspace.fs, (loc) => vscode.Uri.parse(loc, true));
