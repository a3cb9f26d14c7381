// The extension's state machine: runs (text → tokens → webview), the panel, the model in use, and
// what the webview says back (results, highlights → editor decorations, explanations, errors,
// exports). Only the latest run's messages are acted on; everything per run is plain data, so
// no listener or decoration type is created per run.
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  AttentionLensApi, DecorationSnapshot, HostMessageOf, HostMessageType, LensStats, PlainRange, RunSnapshot, ShownMessage,
} from './api';
import { Highlighter } from './decorations';
import { PickedText, pickText } from './editorText';
import { EXPORT_LABELS, exportBytes, exportFileName } from './exportFile';
import {
  LoadedModel, ModelChoice, chooseModelFolder, loadWithFallback, settingsFilesMention, untrustedNotice,
} from './modelFolder';
import { LensPanel } from './panel';
import { RunLedger } from './runs';
import { BackendPreference, ExplanationMessage, HighlightMessage, ResultMessage, RunMessage, SaveMessage, ToHost, ToWebview } from './shared/protocol';
import { editorOffset } from './textSelection';
import { tokenAtOffset, tokenizeForModel } from './tokenize';
import { percent } from './weights';

export type RunKind = 'explain' | 'selection';

interface RunRequest {
  kind: RunKind;
  document: vscode.TextDocument;
  version: number;
  picked: PickedText;
}

interface RunRecord {
  request: RunRequest;
  message: RunMessage;
  /** Document range of each token, index for index with message.tokens. */
  ranges: vscode.Range[];
  stale: boolean;
  /** The token pinned now (from the cursor, the focus, or the panel), to avoid re-sending pins. */
  pinned: number | null;
  explanationShown: boolean;
  explanations: Map<number, ExplanationMessage>;
  highlight: HighlightMessage | null;
}

const MAX_KEPT_MESSAGES = 100;

const toPlain = (r: vscode.Range): PlainRange => ({
  start: { line: r.start.line, character: r.start.character },
  end: { line: r.end.line, character: r.end.character },
});

export class AttentionLens implements vscode.Disposable {
  private readonly highlighter = new Highlighter();
  private readonly ledger = new RunLedger();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The lens's listeners on the open panel, released when it closes. */
  private readonly panelSubscriptions: vscode.Disposable[] = [];
  private readonly apiListeners = new Set<(m: ToHost) => void>();
  private panel: LensPanel | null = null;
  private panelModelDir: string | null = null;
  private ready = false;
  private model: { key: string; promise: Promise<LoadedModel> } | null = null;
  private loaded: LoadedModel | null = null;
  /** The webview could not load the configured model: use the bundled one until settings change. */
  private forceBundled = false;
  private modelWorked = false;
  private requests = 0;
  private current: RunRecord | null = null;
  private lastResultMsg: ResultMessage | undefined;
  private lastExplanationMsg: ExplanationMessage | undefined;
  private lastErrorText: string | undefined;
  private runsStarted = 0;
  private cancelsSent = 0;
  private droppedBefore = 0;
  private readonly shownNotices = new Set<string>();
  private readonly shownMessages: ShownMessage[] = [];
  private lastEditorDocument: vscode.TextDocument | undefined;

  constructor(private readonly extensionUri: vscode.Uri, private readonly log: vscode.OutputChannel) {
    this.lastEditorDocument = vscode.window.activeTextEditor?.document;
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.documentChanged(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.documentChanged(d)),
      vscode.window.onDidChangeTextEditorSelection((e) => this.selectionChanged(e)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.highlighter.paint(true)),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e) this.lastEditorDocument = e.document;
      }),
      vscode.workspace.onDidChangeConfiguration((e) => this.configurationChanged(e)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.modelSettingsChanged()),
      vscode.languages.registerHoverProvider('*', { provideHover: (d, p) => this.hover(d, p) }),
    );
  }

  private get bundledDir(): string {
    return vscode.Uri.joinPath(this.extensionUri, 'models', 'default').fsPath;
  }

  // ---- commands ------------------------------------------------------------------------------

  /** "Explain attention here" (kind explain) and "Show attention for selection" (kind selection). */
  async runCommand(kind: RunKind, editor = this.targetEditor()): Promise<number | undefined> {
    const request = ++this.requests;
    if (!editor) {
      this.tell('warning', 'Attention Lens: open a file and select some text first.');
      return undefined;
    }
    let loaded: LoadedModel;
    try {
      loaded = await this.loadModel(editor.document);
    } catch (e) {
      this.fail(`Attention Lens cannot load its bundled model: ${(e as Error).message}`);
      return undefined;
    }
    // A later command came in while the model loaded: it wins.
    if (request !== this.requests) return undefined;
    const picked = pickText(editor, undefined);
    if ('problem' in picked) {
      this.tell('warning', `Attention Lens: ${picked.problem}`);
      return undefined;
    }
    return this.execute({ kind, document: editor.document, version: editor.document.version, picked }, loaded);
  }

  /**
   * The editor a command acts on. With the panel focused there is no active text editor: then the
   * editor of the current run, or the one most recently active.
   */
  private targetEditor(): vscode.TextEditor | undefined {
    // The Output panel is a text editor too, but never what the user means.
    const visible = vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme !== 'output');
    const active = vscode.window.activeTextEditor;
    return (active && active.document.uri.scheme !== 'output' ? active : undefined)
      ?? visible.find((e) => e.document === this.current?.request.document)
      ?? visible.find((e) => e.document === this.lastEditorDocument)
      ?? visible[0];
  }

  /** Pins a token of the current run in the panel, as hovering it there would (used by tests). */
  async pinToken(tokenIndex: number | null): Promise<boolean> {
    const run = this.current;
    if (!run || !this.panel || !this.ready) return false;
    if (tokenIndex !== null && (!Number.isInteger(tokenIndex) || tokenIndex < 0 || tokenIndex >= run.message.tokens.length)) return false;
    run.pinned = tokenIndex;
    return this.post({ type: 'pin', runId: run.message.runId, tokenIndex });
  }

  private execute(req: RunRequest, loaded: LoadedModel): number | undefined {
    const { model } = loaded;
    const settings = vscode.workspace.getConfiguration('attentionLens', req.document.uri);
    const maxTokens = Math.max(2, Math.min(settings.get<number>('maxTokens', model.config.max_tokens), model.config.max_tokens));
    let input;
    try {
      input = tokenizeForModel(model.tokenizer, req.picked.text, model.config, maxTokens, req.picked.cursor);
    } catch (e) {
      this.fail(`Attention Lens cannot tokenize this text: ${(e as Error).message}`);
      return undefined;
    }
    const { runId, cancel } = this.ledger.start();
    this.runsStarted++;
    if (this.ready) {
      for (const c of cancel) {
        this.cancelsSent++;
        void this.post({ type: 'cancel', runId: c });
      }
    }
    const focus = req.kind === 'explain' ? input.focus : null;
    if (req.kind === 'explain' && focus === null) {
      this.tell('warning', 'Attention Lens: there is no token at the cursor to explain; showing the whole text.');
    }
    const message: RunMessage = {
      type: 'run',
      runId,
      source: { fileName: path.basename(req.document.fileName), languageId: req.document.languageId },
      tokens: input.tokens,
      truncation: input.truncation,
      focus,
      explain: req.kind === 'explain' && focus !== null,
    };
    const doc = req.document;
    const base = req.picked.baseOffset;
    const text = req.picked.text;
    const at = (offset: number): vscode.Position => doc.positionAt(base + editorOffset(text, offset));
    const ranges = input.tokens.map((t) => new vscode.Range(at(t.start), at(t.end)));
    this.current = {
      request: req, message, ranges, stale: false, pinned: focus, explanationShown: false,
      explanations: new Map(), highlight: null,
    };
    this.lastResultMsg = undefined;
    this.lastExplanationMsg = undefined;
    this.highlighter.clear();
    this.log.appendLine(`[run ${runId}] ${req.kind} in ${doc.fileName}: ${input.tokens.length} tokens${input.truncation ? ` (cut from ${input.truncation.totalTokens})` : ''}, model ${model.config.name}`);

    this.ensurePanel(loaded);
    if (this.ready) void this.post(message);

    if (req.picked.notice) this.tell('info', `Attention Lens: ${req.picked.notice}`);
    if (input.truncation) {
      const t = input.truncation;
      const from = doc.positionAt(base + t.keptStart).line + 1;
      const to = doc.positionAt(base + t.keptEnd).line + 1;
      const kept = input.tokens.length - (model.config.prepend_bos ? 1 : 0);
      this.tell(
        'info',
        `Attention Lens: the text has ${t.totalTokens} tokens and the limit is ${maxTokens}; analysing the ${kept} tokens around the cursor (lines ${from}–${to}).`,
      );
    }
    return runId;
  }

  // ---- the model -----------------------------------------------------------------------------

  private choice(document: vscode.TextDocument | undefined): ModelChoice {
    const settings = vscode.workspace.getConfiguration('attentionLens', document?.uri);
    const levels = settings.inspect<string>('modelPath');
    const folder = (document && vscode.workspace.getWorkspaceFolder(document.uri)) ?? vscode.workspace.workspaceFolders?.[0];
    const root = folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
    const choice = chooseModelFolder(
      { globalValue: levels?.globalValue, workspaceValue: levels?.workspaceValue, workspaceFolderValue: levels?.workspaceFolderValue },
      vscode.workspace.isTrusted, root, this.bundledDir,
    );
    return this.forceBundled ? { dir: this.bundledDir, bundled: true, notice: choice.notice } : choice;
  }

  private async loadModel(document: vscode.TextDocument | undefined): Promise<LoadedModel> {
    const choice = this.choice(document);
    if (choice.notice) this.noticeOnce(choice.notice);
    else if (!vscode.workspace.isTrusted && !this.model) void this.noticeIfWorkspaceSetsModel(choice);
    const key = `${choice.bundled}:${choice.dir}`;
    if (this.model?.key !== key) {
      const promise = loadWithFallback(choice, this.bundledDir);
      this.model = { key, promise };
      this.modelWorked = false;
      promise.then(
        (l) => {
          if (this.model?.promise !== promise) return;
          this.loaded = l;
          this.log.appendLine(`[model] ${l.model.config.name} from ${l.model.dir} (${l.model.sizeBytes} bytes)`);
          if (l.warning) {
            this.lastErrorText = l.warning;
            this.log.appendLine(`[model] ${l.warning}`);
            this.tell('warning', `Attention Lens: ${l.warning}`);
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

  /** VS Code hides a restricted setting in an untrusted workspace: look for it in the files. */
  private async noticeIfWorkspaceSetsModel(choice: ModelChoice): Promise<void> {
    const files = (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json').fsPath);
    const wsFile = vscode.workspace.workspaceFile;
    if (wsFile?.scheme === 'file') files.push(wsFile.fsPath);
    if (await settingsFilesMention(files)) this.noticeOnce(untrustedNotice(!choice.bundled));
  }

  private noticeOnce(text: string): void {
    if (this.shownNotices.has(text)) return;
    this.shownNotices.add(text);
    this.log.appendLine(`[notice] ${text}`);
    this.tell('warning', `Attention Lens: ${text}`);
  }

  /** modelPath or trust changed: reload the model and, with the panel open, run the last request again. */
  private modelSettingsChanged(): void {
    this.model = null;
    this.forceBundled = false;
    this.rerunLast();
  }

  private rerunLast(): void {
    const req = this.current?.request;
    if (!this.panel || !req) return;
    if (req.document.isClosed || req.document.version !== req.version) return;
    const request = ++this.requests;
    this.loadModel(req.document).then(
      (loaded) => {
        if (request === this.requests) this.execute(req, loaded);
      },
      (e: Error) => this.fail(`Attention Lens cannot load its bundled model: ${e.message}`),
    );
  }

  private configurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (e.affectsConfiguration('attentionLens.modelPath')) {
      this.modelSettingsChanged();
    } else if (e.affectsConfiguration('attentionLens.backend') && this.panel) {
      // init carries the backend preference: reload the page, which sends ready again.
      this.ready = false;
      this.panel.load();
    }
  }

  // ---- the panel -----------------------------------------------------------------------------

  private ensurePanel(loaded: LoadedModel): void {
    const dir = loaded.model.dir;
    if (this.panel?.isAlive) {
      if (this.panelModelDir !== dir) {
        this.panelModelDir = dir;
        this.ready = false;
        this.panel.setModelDir(vscode.Uri.file(dir));
      } else if (!this.panel.visible) {
        this.panel.reveal();
      }
      return;
    }
    const panel = LensPanel.open(this.extensionUri, vscode.Uri.file(dir), this.log);
    this.panel = panel;
    this.panelModelDir = dir;
    this.ready = false;
    this.panelSubscriptions.push(
      panel.onMessage((m) => this.receive(m)),
      panel.onDidDispose(() => this.panelClosed(panel)),
      panel.onDidHide(() => {
        if (this.panel === panel) this.ready = false;
      }),
    );
  }

  private panelClosed(panel: LensPanel): void {
    if (this.panel !== panel) return;
    this.droppedBefore += panel.droppedMessages;
    for (const s of this.panelSubscriptions) s.dispose();
    this.panelSubscriptions.length = 0;
    this.panel = null;
    this.panelModelDir = null;
    this.ready = false;
    this.ledger.dropAll();
    this.highlighter.clear();
  }

  private post(msg: ToWebview): Promise<boolean> {
    if (!this.panel) return Promise.resolve(false);
    return this.panel.post(msg).catch((e: Error) => {
      this.log.appendLine(`[host] could not send ${msg.type}: ${e.message}`);
      return false;
    });
  }

  private sendInit(): void {
    const panel = this.panel;
    const loaded = this.loaded;
    if (!panel || !loaded) return;
    const backend = vscode.workspace.getConfiguration('attentionLens').get<BackendPreference>('backend', 'auto');
    void this.post({
      type: 'init',
      model: {
        name: loaded.model.config.name,
        config: loaded.model.config,
        modelUri: panel.asWebviewUri(vscode.Uri.file(loaded.model.modelFile)).toString(),
        sizeBytes: loaded.model.sizeBytes,
      },
      wasmBase: `${panel.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')).toString()}/`,
      backend: backend === 'webgpu' || backend === 'wasm' ? backend : 'auto',
    });
  }

  // ---- messages from the webview ---------------------------------------------------------------

  private receive(msg: ToHost): void {
    for (const l of [...this.apiListeners]) {
      try {
        l(msg);
      } catch (e) {
        this.log.appendLine(`[api] a listener threw: ${(e as Error).message}`);
      }
    }
    const run = this.current;
    const isCurrent = 'runId' in msg && msg.runId !== null && run !== null && msg.runId === run.message.runId;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.sendInit();
        if (run) {
          // A reloaded page recomputes the last run; keep the token the user pinned.
          void this.post({ ...run.message, focus: run.pinned ?? run.message.focus });
        }
        return;
      case 'progress':
        return;
      case 'result':
        if (!isCurrent || !run) return;
        this.ledger.finish(msg.runId);
        this.modelWorked = true;
        this.lastResultMsg = msg;
        this.log.appendLine(`[run ${msg.runId}] ${msg.backend}${msg.backendReason ? ` (${msg.backendReason})` : ''}: load ${msg.loadMs.toFixed(0)} ms, inference ${msg.inferenceMs.toFixed(0)} ms`);
        return;
      case 'highlight':
        if (isCurrent && run) this.highlight(run, msg);
        return;
      case 'explanation':
        if (isCurrent && run) this.explanation(run, msg);
        return;
      case 'error':
        if (msg.runId !== null && !isCurrent) return;
        this.webviewError(run, msg.runId, msg.message);
        return;
      case 'save':
        void this.save(msg);
        return;
      case 'reload':
        // The page cannot recover by itself (WebGPU failed mid-run): load it anew; it sends
        // ready, gets init and the current run again, and starts on WASM.
        this.log.appendLine(`[webview] reload requested: ${msg.reason}`);
        if (this.panel) {
          this.ready = false;
          this.panel.load();
        }
        return;
    }
  }

  private highlight(run: RunRecord, msg: HighlightMessage): void {
    run.highlight = msg;
    if (run.stale || run.request.document.isClosed || msg.tokenIndex === null) {
      this.highlighter.clear();
      return;
    }
    const targets = msg.targets
      .filter((t) => t.index >= 0 && t.index < run.ranges.length)
      .map((t) => ({ range: run.ranges[t.index], weight: t.weight }));
    const source = msg.tokenIndex >= 0 && msg.tokenIndex < run.ranges.length ? run.ranges[msg.tokenIndex] : null;
    this.highlighter.show(run.request.document, targets, source);
  }

  private explanation(run: RunRecord, msg: ExplanationMessage): void {
    run.explanations.set(msg.tokenIndex, msg);
    this.lastExplanationMsg = msg;
    this.log.appendLine(`[run ${msg.runId}] ${msg.summary}`);
    for (const line of msg.lines) this.log.appendLine(`    ${line}`);
    if (run.message.explain && msg.tokenIndex === run.message.focus && !run.explanationShown) {
      run.explanationShown = true;
      this.tell('info', `Attention Lens: ${msg.summary}`);
    }
  }

  private webviewError(run: RunRecord | null, runId: number | null, message: string): void {
    if (runId !== null) this.ledger.finish(runId);
    this.log.appendLine(`[webview error${runId === null ? '' : ` run ${runId}`}] ${message}`);
    const loaded = this.loaded;
    // A configured model that has not produced one result fails: the folder passed the host's
    // checks but not the webview's — outputs missing (seen on load) or of the wrong shape or type
    // (seen on its first run). Fall back to the bundled model.
    if (loaded && !loaded.model.bundled && !this.modelWorked) {
      // One failure can arrive twice (the page's load error, then the run that waited for it).
      if (this.forceBundled) return;
      this.forceBundled = true;
      this.lastErrorText = `The model in ${loaded.model.dir} cannot be used: ${message}. Using the bundled model instead.`;
      this.tell('warning', `Attention Lens: ${this.lastErrorText}`);
      this.rerunLast();
      return;
    }
    this.lastErrorText = message;
    this.tell('error', `Attention Lens: ${message}`);
  }

  /** Shows a message and keeps it for the test API (the last MAX_KEPT_MESSAGES). */
  private tell(severity: ShownMessage['severity'], text: string): void {
    this.shownMessages.push({ severity, text });
    if (this.shownMessages.length > MAX_KEPT_MESSAGES) this.shownMessages.shift();
    const show = severity === 'error' ? vscode.window.showErrorMessage
      : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(text);
  }

  private fail(text: string): void {
    this.lastErrorText = text;
    this.log.appendLine(`[error] ${text}`);
    this.tell('error', text);
  }

  private async save(msg: SaveMessage): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = exportBytes(msg);
    } catch (e) {
      this.fail(`Attention Lens could not export: ${(e as Error).message}`);
      return;
    }
    const doc = this.current?.request.document;
    const folder = (doc && vscode.workspace.getWorkspaceFolder(doc.uri)) ?? vscode.workspace.workspaceFolders?.[0];
    const base = folder?.uri ?? vscode.Uri.file(os.homedir());
    const uri = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(base, exportFileName(msg.fileName, msg.format)),
      filters: { [EXPORT_LABELS[msg.format]]: [msg.format] },
      saveLabel: 'Export',
      title: 'Attention Lens: export',
    });
    if (!uri) return;
    try {
      await vscode.workspace.fs.writeFile(uri, bytes);
      this.log.appendLine(`[export] wrote ${bytes.length} bytes to ${uri.toString()}`);
      this.tell('info', `Attention Lens: saved ${uri.scheme === 'file' ? uri.fsPath : uri.toString()}`);
    } catch (e) {
      this.fail(`Attention Lens could not save ${uri.toString()}: ${(e as Error).message}`);
    }
  }

  // ---- the editor ----------------------------------------------------------------------------

  private documentChanged(document: vscode.TextDocument): void {
    const run = this.current;
    if (run && run.request.document === document && !run.stale) {
      run.stale = true;
      this.log.appendLine(`[run ${run.message.runId}] ${document.isClosed ? 'document closed' : 'document edited'}: its token ranges no longer hold`);
    }
    if (this.highlighter.current()?.document === document) this.highlighter.clear();
  }

  /** The cursor moved onto a token of the current run: pin it in the panel. */
  private selectionChanged(e: vscode.TextEditorSelectionChangeEvent): void {
    const run = this.current;
    if (!run || run.stale || !this.ready || e.textEditor.document !== run.request.document) return;
    const sel = e.selections[0];
    if (!sel || !sel.isEmpty) return;
    const offset = run.request.document.offsetAt(sel.active) - run.request.picked.baseOffset;
    if (offset < 0 || offset > run.request.picked.text.length) return;
    const index = tokenAtOffset(run.message.tokens, offset);
    if (index === null || index === run.pinned) return;
    run.pinned = index;
    void this.post({ type: 'pin', runId: run.message.runId, tokenIndex: index });
  }

  private hover(document: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const run = this.current;
    if (!run || run.stale || run.request.document !== document) return undefined;
    const md = new vscode.MarkdownString();
    md.isTrusted = false;
    let range: vscode.Range | undefined;
    const target = this.highlighter.targetAt(document, pos);
    const h = run.highlight;
    if (target && h && h.tokenIndex !== null) {
      const src = visible(run.message.tokens[h.tokenIndex]?.text ?? '');
      const tgt = visible(document.getText(target.range));
      md.appendMarkdown('**Attention Lens** ');
      md.appendText(h.direction === 'from'
        ? `"${tgt}" gets ${percent(target.weight)} of the attention from "${src}"`
        : `"${tgt}" puts ${percent(target.weight)} of its attention on "${src}"`);
      range = target.range;
    }
    const focus = run.message.focus;
    const explained = focus === null ? undefined : run.explanations.get(focus);
    if (explained && focus !== null && run.ranges[focus].contains(pos) && !run.ranges[focus].end.isEqual(pos)) {
      if (range) md.appendMarkdown('\n\n---\n\n');
      md.appendMarkdown('**Attention Lens** ');
      md.appendText(explained.summary);
      for (const line of explained.lines) {
        md.appendMarkdown('  \n');
        md.appendText(line);
      }
      range = run.ranges[focus];
    }
    return range ? new vscode.Hover(md, range) : undefined;
  }

  // ---- the test API ----------------------------------------------------------------------------

  api(): AttentionLensApi {
    return {
      lastRun: (): RunSnapshot | undefined => {
        const run = this.current;
        if (!run) return undefined;
        return {
          runId: run.message.runId,
          documentUri: run.request.document.uri.toString(),
          range: toPlain(run.request.picked.range),
          message: run.message,
          documentRanges: run.ranges.map(toPlain),
          stale: run.stale,
        };
      },
      lastResult: () => this.lastResultMsg,
      lastExplanation: () => this.lastExplanationMsg,
      lastError: () => this.lastErrorText,
      messages: () => [...this.shownMessages],
      decorations: (): DecorationSnapshot | null => {
        const c = this.highlighter.current();
        if (!c) return null;
        return {
          targets: c.targets.map((t) => ({ range: toPlain(t.range), weight: t.weight })),
          source: c.source ? toPlain(c.source) : null,
          documentUri: c.document.uri.toString(),
        };
      },
      model: () => (this.loaded ? { dir: this.loaded.model.dir, bundled: this.loaded.model.bundled, name: this.loaded.model.config.name } : undefined),
      stats: (): LensStats => ({
        decorationTypes: this.highlighter.liveTypes,
        decoratedRanges: (this.highlighter.current()?.targets.length ?? 0) + (this.highlighter.current()?.source ? 1 : 0),
        listeners: this.subscriptions.length + this.apiListeners.size + this.panelSubscriptions.length + (this.panel?.listenerCount ?? 0),
        panels: this.panel ? 1 : 0,
        inFlight: this.ledger.inFlightCount,
        runsStarted: this.runsStarted,
        cancelsSent: this.cancelsSent,
        droppedMessages: this.droppedBefore + (this.panel?.droppedMessages ?? 0),
      }),
      onDidReceive: (listener) => {
        this.apiListeners.add(listener);
        return () => this.apiListeners.delete(listener);
      },
      waitFor: <T extends HostMessageType>(type: T, options: { runId?: number; timeoutMs?: number } = {}) =>
        new Promise<HostMessageOf<T>>((resolve, reject) => {
          const timeoutMs = options.timeoutMs ?? 60_000;
          const listener = (m: ToHost): void => {
            if (m.type !== type) return;
            if (options.runId !== undefined && (!('runId' in m) || m.runId !== options.runId)) return;
            clearTimeout(timer);
            this.apiListeners.delete(listener);
            resolve(m as HostMessageOf<T>);
          };
          const timer = setTimeout(() => {
            this.apiListeners.delete(listener);
            reject(new Error(`no ${type} message${options.runId !== undefined ? ` for run ${options.runId}` : ''} within ${timeoutMs} ms`));
          }, timeoutMs);
          this.apiListeners.add(listener);
        }),
    };
  }

  dispose(): void {
    this.panel?.dispose();
    this.highlighter.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions.length = 0;
    this.apiListeners.clear();
  }
}

/** Token text with its invisible characters made visible, for a one-line hover. */
function visible(s: string): string {
  return s.replace(/\r?\n/g, '⏎').replace(/\t/g, '⇥');
}
