// The Hub client's files in the browser worker host (twin of src/env/node/nodeFiles.ts): there is no
// ~/.cache/huggingface in a browser, so the cache is `hub/` in the extension's global storage, laid out
// as the Hugging Face cache (models--org--name/{blobs,snapshots,refs}) and read through
// vscode.workspace.fs (src/env/browser/uriHubFiles.ts). Its paths are Uri strings, so a snapshot's
// graph is a Uri string, which is what modelPath takes here.
import * as vscode from 'vscode';
import type { HubEnv, HubFiles } from '../../hub/files';
import { uriHubFiles } from './uriHubFiles';

interface StorageManager { estimate(): Promise<{ quota?: number; usage?: number }> }
const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;

export const nodeFiles: HubFiles = uriHubFiles(
  vscode.workspace.fs,
  (p) => vscode.Uri.parse(p, true),
  storage ? () => storage.estimate() : undefined,
);

/**
 * The environment the Hub's conventions read, for a host whose extension keeps its files in
 * `globalStorage`: HF_HOME is that folder, so the cache is its `hub/` (and a `token` file there, which
 * nothing writes, is all HF_HOME's token could be).
 */
export function hubEnv(globalStorage: vscode.Uri): HubEnv {
  const home = globalStorage.toString();
  return { get: (name) => (name === 'HF_HOME' ? home : undefined), home: '' };
}
