// What the in-host tests of every pass share, without Node (the web pass runs them in a browser
// worker): the extension's test API, the sample files, waits, and the bundled model in use.
import * as vscode from 'vscode';
import type { AttentionLensApi } from '../../src/api';
import type { ToHost } from '../../src/shared/protocol';
import { check } from './web/check';

export const EXTENSION_ID = 'attention-lens.attention-lens';

export async function lensApi(): Promise<AttentionLensApi> {
  const ext = vscode.extensions.getExtension<AttentionLensApi>(EXTENSION_ID);
  check.ok(ext, `${EXTENSION_ID} is not loaded in this VS Code`);
  const api = await ext.activate();
  check.ok(api && typeof api.lastRun === 'function', 'activate() did not return the test API');
  return api;
}

export async function openSample(name: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  check.ok(folder, 'no workspace folder is open');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, name));
  return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value that is not undefined/null/false. */
export async function until<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** The next webview message that satisfies `match`, from now on (subscribe before acting). */
export function nextMessage<T extends ToHost>(api: AttentionLensApi, what: string, match: (m: ToHost) => m is T, timeoutMs = 240_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no ${what} within ${timeoutMs} ms (last error: ${api.lastError() ?? 'none'})`)); }, timeoutMs);
    const off = api.onDidReceive((m) => {
      if (m.type === 'error') {
        clearTimeout(timer); off();
        reject(new Error(`the webview reported an error while waiting for ${what}: ${m.message}`));
      } else if (match(m)) {
        clearTimeout(timer); off();
        resolve(m);
      }
    });
  });
}

/** Closes the Attention Lens panels the way a user does: their editor tabs. Returns how many. */
export async function closeWebviewTabs(): Promise<number> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
  return tabs.length;
}

export type BundledKind = 'encoder' | 'decoder';

/**
 * Sets attentionLens.bundledModel (undefined: back to auto). An open panel is closed first: the
 * change would rerun its last run, and that result could reach a test waiting for its own.
 */
export async function useBundled(api: AttentionLensApi, kind: BundledKind | undefined): Promise<void> {
  const lens = () => vscode.workspace.getConfiguration('attentionLens');
  if (lens().inspect<string>('bundledModel')?.globalValue === kind) return;
  if (api.stats().panels > 0) {
    await closeWebviewTabs();
    await until('the panel to close', () => api.stats().panels === 0);
  }
  await lens().update('bundledModel', kind, vscode.ConfigurationTarget.Global);
  await until(`bundledModel to be ${kind ?? 'auto'}`, () => lens().get<string>('bundledModel') === (kind ?? 'auto'));
}
