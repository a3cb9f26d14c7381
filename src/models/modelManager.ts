// The model in use: which folder the settings and workspace trust choose, loading it once per
// choice (falling back to the bundled model), and the fallback after the webview rejects it.
import * as vscode from 'vscode';
import { locOf } from '../env/node/hostUris';
import { modelFs } from '../env/node/modelFs';
import type { Loc } from './modelFs';
import { BundledPreference, bundledFor } from './routing';
import {
  LoadedModel, ModelChoice, chooseModelFolder, loadWithFallback, settingsFilesMention, untrustedNotice,
} from './modelFolder';
import type { Notifier } from '../notifier';

export class ModelManager {
  private model: { key: string; promise: Promise<LoadedModel> } | null = null;
  /** The model last loaded for the current choice. */
  loaded: LoadedModel | null = null;
  /** The webview could not load the configured model: use the bundled one until settings change. */
  forceBundled = false;
  /** The current model produced a result at least once. */
  worked = false;

  /** Whether an encoder is bundled, as last looked up (each load looks again: a rebuilt models/ is seen). */
  private encoder = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.OutputChannel,
    private readonly notifier: Notifier,
  ) {
    void this.lookForEncoder();
  }

  private bundled(name: string): Loc {
    const uri = vscode.Uri.joinPath(this.extensionUri, 'models', name);
    return locOf(uri) ?? uri.fsPath;
  }

  /** The bundled decoder: what a broken folder falls back to when no text says otherwise. */
  get bundledDir(): Loc {
    return this.bundled('default');
  }

  get encoderDir(): Loc {
    return this.bundled('encoder');
  }

  get hasEncoder(): boolean {
    return this.encoder;
  }

  private async lookForEncoder(): Promise<boolean> {
    const st = await modelFs.stat(modelFs.join(this.encoderDir, 'model.onnx'));
    // vscode.dev's stat says "a file" for any name: its small config.json is read instead of the graph.
    this.encoder = st?.type === 'unknown' ? await modelFs.isFile(modelFs.join(this.encoderDir, 'config.json')) : st?.type === 'file';
    return this.encoder;
  }

  /** The bundled model for this text: the bundledModel setting, else prose → encoder, code → decoder. */
  bundledFor(document: vscode.TextDocument | undefined, text: string): Loc {
    const pref = vscode.workspace.getConfiguration('attentionLens', document?.uri).get<BundledPreference>('bundledModel', 'auto');
    const kind = bundledFor(pref === 'decoder' || pref === 'encoder' ? pref : 'auto', this.hasEncoder, document?.languageId ?? 'plaintext', text);
    return kind === 'encoder' ? this.encoderDir : this.bundledDir;
  }

  private choice(document: vscode.TextDocument | undefined, text: string): ModelChoice {
    const settings = vscode.workspace.getConfiguration('attentionLens', document?.uri);
    const levels = settings.inspect<string>('modelPath');
    const folder = (document && vscode.workspace.getWorkspaceFolder(document.uri)) ?? vscode.workspace.workspaceFolders?.[0];
    const root = folder ? locOf(folder.uri) : undefined;
    const choice = chooseModelFolder(
      { globalValue: levels?.globalValue, workspaceValue: levels?.workspaceValue, workspaceFolderValue: levels?.workspaceFolderValue },
      vscode.workspace.isTrusted, root, this.bundledDir,
    );
    if (this.forceBundled || choice.bundled) return { dir: this.bundledFor(document, text), bundled: true, notice: choice.notice };
    return choice;
  }

  /** The model for a run on `text` (the text routes between the bundled models when none is set). */
  async load(document: vscode.TextDocument | undefined, text = ''): Promise<LoadedModel> {
    await this.lookForEncoder();
    const choice = this.choice(document, text);
    if (choice.notice) this.notifier.noticeOnce(choice.notice);
    else if (!vscode.workspace.isTrusted && !this.model) void this.noticeIfWorkspaceSetsModel(choice);
    const key = `${choice.bundled}:${choice.dir}`;
    if (this.model?.key !== key) {
      const promise = loadWithFallback(choice, this.bundledFor(document, text));
      this.model = { key, promise };
      this.worked = false;
      promise.then(
        (l) => {
          if (this.model?.promise !== promise) return;
          this.loaded = l;
          this.log.appendLine(`[model] ${l.model.config.name} from ${l.model.dir} (${l.model.sizeBytes} bytes)`);
          if (l.warning) {
            this.notifier.lastErrorText = l.warning;
            this.log.appendLine(`[model] ${l.warning}`);
            this.notifier.tell('warning', `Attention Lens: ${l.warning}`);
          }
        },
        (e: Error) => {
          if (this.model?.promise === promise) this.model = null;
          this.log.appendLine(`[model] ${e.message}`);
        },
      );
    }
    return this.model.promise;
  }

  /** modelPath or trust changed: the next load chooses again. */
  reset(): void {
    this.model = null;
    this.forceBundled = false;
  }

  /** VS Code hides a restricted setting in an untrusted workspace: look for it in the files. */
  private async noticeIfWorkspaceSetsModel(choice: ModelChoice): Promise<void> {
    const wsFile = vscode.workspace.workspaceFile;
    const files = [...(vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json')), ...(wsFile ? [wsFile] : [])]
      .map(locOf).filter((l): l is Loc => l !== undefined);
    if (await settingsFilesMention(files)) this.notifier.noticeOnce(untrustedNotice(!choice.bundled));
  }
}
