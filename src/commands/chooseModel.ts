// "Attention Lens: Choose model…": the bundled models, recently chosen folders and Browse… in one
// quick pick; the choice is checked (a broken folder is refused with its message, and nothing
// changes) and written to the user settings, where the lens picks it up.
import * as vscode from 'vscode';
import { PICK_FILES, UNREADABLE_PICK, locOf } from '../env/node/hostUris';
import { modelFs } from '../env/node/modelFs';
import { loadModelFolderCached } from '../models/modelFolder';
import { modelFacts } from '../shared/modelSummary';
import { ModelFolderError } from '../models/errors';
import { findModelFiles } from '../models/layout';
import { pushRecent } from '../models/routing';
import { hubEnv, nodeFiles } from '../env/node/nodeFiles';
import { cachedModels, hubCacheDir } from '../hub/cache';
import { joinPath } from '../hub/files';

import type { Chosen, CommandTarget } from './target';

export const CHOOSE_MODEL = 'attentionLens.chooseModel';

/** A path argument skips the quick pick (keybindings and tests); returns what was written. */
export function registerChooseModel(target: CommandTarget): vscode.Disposable {
  return vscode.commands.registerCommand(CHOOSE_MODEL, (arg?: unknown) => target.chooseModel(arg));
}
const RECENT_KEY = 'attentionLens.recentModels';

interface Item extends vscode.QuickPickItem { choose: () => Promise<Chosen | undefined> }

export interface ChooserDeps {
  state: vscode.Memento;
  hasEncoder: () => boolean;
  log: vscode.OutputChannel;
  /** Shows a message (and keeps it for the test API's messages()). */
  tell: (severity: 'info' | 'warning' | 'error', text: string) => void;
  /** The extension's global storage: where the browser host keeps its Hub cache. */
  hubStorage: vscode.Uri;
}

/**
 * Runs the command. `arg` (a path, or '' for the bundled models) skips the quick pick: the same
 * check and write, for keybindings and tests. Returns what was written, or undefined.
 */
export async function chooseModel(d: ChooserDeps, arg?: unknown): Promise<Chosen | undefined> {
  let chosen: Chosen | undefined;
  if (typeof arg === 'string') {
    chosen = arg.trim() === '' ? { modelPath: '', bundled: 'auto' } : await checked(d, arg.trim());
  } else {
    const items = await itemsFor(d);
    const pick = await vscode.window.showQuickPick(items, { title: 'Attention Lens: Choose model', placeHolder: 'A bundled model, a recent folder, or Browse… for a model folder', matchOnDescription: true });
    chosen = pick ? await pick.choose() : undefined;
  }
  if (!chosen) return undefined;
  const settings = vscode.workspace.getConfiguration('attentionLens');
  await settings.update('bundledModel', chosen.bundled === 'auto' ? undefined : chosen.bundled, vscode.ConfigurationTarget.Global);
  await settings.update('modelPath', chosen.modelPath === '' ? undefined : chosen.modelPath, vscode.ConfigurationTarget.Global);
  if (chosen.modelPath !== '') await d.state.update(RECENT_KEY, pushRecent(recent(d), chosen.modelPath));
  const levels = settings.inspect<string>('modelPath');
  if ((levels?.workspaceValue ?? levels?.workspaceFolderValue ?? '').trim() !== '') {
    d.tell('warning', 'Attention Lens: this workspace sets attentionLens.modelPath, which wins over your user setting; remove it there to use your choice here.');
  }
  d.log.appendLine(`[model] chosen: ${chosen.modelPath === '' ? `bundled (${chosen.bundled})` : chosen.modelPath}`);
  return chosen;
}

function recent(d: ChooserDeps): string[] {
  const v = d.state.get<unknown>(RECENT_KEY);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

async function itemsFor(d: ChooserDeps): Promise<Item[]> {
  const settings = vscode.workspace.getConfiguration('attentionLens');
  const current = (settings.get<string>('modelPath') ?? '').trim();
  const bundledPref = settings.get<string>('bundledModel', 'auto');
  const mark = (on: boolean): string => (on ? ' (current)' : '');
  const items: Item[] = [{
    label: '$(cloud-download) Download model…', detail: 'From the Hugging Face Hub: a suggested model, or any org/name',
    choose: async () => {
      await vscode.commands.executeCommand('attentionLens.downloadModel');
      return undefined; // the download writes the setting itself
    },
  }];
  const bundled = (kind: Chosen['bundled'], label: string, detail: string): Item => ({
    label: `$(package) ${label}${mark(current === '' && bundledPref === kind)}`, detail, choose: async () => ({ modelPath: '', bundled: kind }),
  });
  if (d.hasEncoder()) {
    items.push(bundled('auto', 'Bundled models', 'The encoder for prose (Markdown, plain text, comments), the decoder for code'));
    items.push(bundled('encoder', 'Bundled encoder', 'Bidirectional: every token sees the whole text'));
  }
  items.push(bundled(d.hasEncoder() ? 'decoder' : 'auto', 'Bundled decoder', 'Causal: each token sees the tokens before it'));
  const recents = recent(d);
  if (recents.length > 0) items.push({ label: 'Recent', kind: vscode.QuickPickItemKind.Separator, choose: async () => undefined });
  for (const r of recents) {
    items.push({ label: `$(history) ${modelFs.basename(r)}${mark(current === r)}`, description: r, choose: () => checked(d, r) });
  }
  // Models already in the Hugging Face cache (fetched here, or by Python or transformers.js): no download.
  const cached = await cachedModels(nodeFiles, hubCacheDir(hubEnv(d.hubStorage))).catch(() => []);
  if (cached.length > 0) items.push({ label: 'In the Hugging Face cache', kind: vscode.QuickPickItemKind.Separator, choose: async () => undefined });
  for (const c of cached) {
    for (const g of c.graphs) {
      const p = joinPath(c.dir, g.path);
      items.push({ label: `$(database) ${c.repo}${c.graphs.length > 1 ? ` (${g.dtype})` : ''}${mark(current === p)}`, description: g.path, choose: () => checked(d, p) });
    }
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator, choose: async () => undefined });
  items.push({ label: '$(folder-opened) Browse…', detail: 'A Hugging Face model folder (model.onnx or onnx/, tokenizer.json, config.json), or one .onnx file', choose: () => browse(d) });
  return items;
}

async function browse(d: ChooserDeps): Promise<Chosen | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true, canSelectFiles: PICK_FILES, canSelectMany: false, openLabel: 'Use this model',
    ...(PICK_FILES ? { filters: { 'ONNX model': ['onnx'] }, title: 'Attention Lens: a model folder, or an .onnx file in one' } : { title: 'Attention Lens: a model folder' }),
  });
  const uri = picked?.[0];
  if (!uri) return undefined;
  let target = locOf(uri);
  if (target === undefined) {
    d.tell('error', UNREADABLE_PICK);
    return undefined;
  }
  try {
    const files = await findModelFiles(target);
    // Several graphs (onnx/model.onnx, model_quantized.onnx, model_fp16.onnx): ask which.
    if (files.variants.length > 1 && !target.endsWith('.onnx')) {
      const v = await vscode.window.showQuickPick(
        files.variants.map((f) => ({ label: inFolder(files.dir, f), description: f === files.model ? 'default' : undefined, file: f })),
        { title: 'Attention Lens: which graph?', placeHolder: 'fp16 graphs may need WebGPU; quantized ones run on WASM' },
      );
      if (!v) return undefined;
      if (v.file !== files.model) target = v.file;
    }
  } catch (e) {
    if (!(e instanceof ModelFolderError)) throw e;
  }
  return checked(d, target);
}

/** `file`'s name within `dir` (onnx/model_fp16.onnx), for the variant pick. */
function inFolder(dir: string, file: string): string {
  return file.startsWith(dir) ? file.slice(dir.length).replace(/^[\\/]+/, '') : modelFs.basename(file);
}

/** The path when its model loads, else undefined after telling the user why. */
async function checked(d: ChooserDeps, p: string): Promise<Chosen | undefined> {
  try {
    const m = await loadModelFolderCached(p, false);
    void vscode.window.setStatusBarMessage(`Attention Lens: ${m.config.name} — ${modelFacts(m.config)}`, 5000);
    return { modelPath: p, bundled: 'auto' };
  } catch (e) {
    if (!(e instanceof ModelFolderError)) throw e;
    d.tell('error', `Attention Lens cannot use ${p}: ${e.message}. The model in use stays.`);
    return undefined;
  }
}
