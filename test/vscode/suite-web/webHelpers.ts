// What the web suite needs from the VS Code API, without Node (suite/helpers.ts holds the Node host's
// versions, which read files with fs and run the model with onnxruntime-node).
import * as vscode from 'vscode';
import type { AttentionLensApi } from '../../../src/api';
import { ModelConfig, parseModelConfig } from '../../../src/shared/modelConfig';
import type { ToHost } from '../../../src/shared/protocol';
import { check } from '../web/check';

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

export async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
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

export async function closePanelTab(): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

export type BundledKind = 'encoder' | 'decoder';

export async function useBundled(api: AttentionLensApi, kind: BundledKind | undefined): Promise<void> {
  const lens = () => vscode.workspace.getConfiguration('attentionLens');
  if (lens().inspect<string>('bundledModel')?.globalValue === kind) return;
  if (api.stats().panels > 0) {
    await closePanelTab();
    await until('the panel to close', () => api.stats().panels === 0);
  }
  await lens().update('bundledModel', kind, vscode.ConfigurationTarget.Global);
  await until(`bundledModel to be ${kind ?? 'auto'}`, () => lens().get<string>('bundledModel') === (kind ?? 'auto'));
}

/** The model in use, read as the web host reads it: through vscode.workspace.fs at its Uri. */
export async function modelConfig(dir: string): Promise<ModelConfig> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(vscode.Uri.parse(dir, true), 'config.json'));
  return parseModelConfig(new TextDecoder().decode(bytes));
}

const PCT = /(<1|\d+)%/g;

/** As suite/helpers.ts's assertSameLine: the same names in order, each percentage within 1 of the reference's. */
export function sameLine(shown: string, reference: string): void {
  check.equal(shown.replace(PCT, '#%'), reference.replace(PCT, '#%'), 'token names or order differ from the model run natively');
  const a = [...shown.matchAll(PCT)].map((m) => m[1]);
  const b = [...reference.matchAll(PCT)].map((m) => m[1]);
  a.forEach((p, i) => {
    const x = p === '<1' ? 0.5 : Number(p);
    const y = b[i] === '<1' ? 0.5 : Number(b[i]);
    check.ok(Math.abs(x - y) <= 1, `"${shown}": ${p}% where the native model gives ${b[i]}% ("${reference}")`);
  });
}
