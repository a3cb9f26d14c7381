// The extension's composition root: wires run control, the model, the panel connection, message
// receiving, the editor hover and the test API, and reacts to the editor and the settings.
// Only the latest run's messages are acted on; everything per run is plain data, so no listener
// or decoration type is created per run.
import * as vscode from 'vscode';
import type { AttentionLensApi } from './api';
import { Highlighter } from './editor/decorations';
import { CompareCommand } from './commands/compareWithEdit';
import { attentionHover } from './editor/editorHover';
import { HeadProbeCommand } from './commands/probeHeads';
import { PanelCacheCommand } from './commands/clearPanelCache';
import { rememberHashesIn } from './models/contentKey';
import { HostReceiver } from './panel/hostReceiver';
import { ModelManager } from './models/modelManager';
import { chooseModel } from './commands/chooseModel';
import type { Chosen, CommandTarget, CompareArgs, Downloaded } from './commands/target';
import { downloadModel } from './commands/downloadModel';
import { setHubToken } from './commands/hubToken';
import { Notifier } from './notifier';
import { PanelConnection } from './panel/panelConnection';
import { RunControl } from './run/runControl';
import type { RunKind } from './run/runRecord';
import { testApi } from './testApi';
import { WindowMarker } from './editor/windowMarker';
import { BackendMemory } from './panel/backendMemory';
import { tokenAtOffset } from './tokenizers/tokenize';

export class AttentionLens implements vscode.Disposable, CommandTarget {
  private readonly highlighter = new Highlighter();
  private readonly marker = new WindowMarker();
  private readonly memory: BackendMemory;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly notifier: Notifier;
  private readonly models: ModelManager;
  private readonly link: PanelConnection;
  private readonly runs: RunControl;
  private readonly receiver: HostReceiver;
  private readonly comparer: CompareCommand;
  private readonly prober: HeadProbeCommand;
  private readonly cache: PanelCacheCommand;

  /** `state`: globalState, where the head probe's scores are cached per model. */
  /**
   * `hub`: the secret storage that keeps the Hugging Face token, the version the User-Agent names, and
   * the extension's global storage (the Hub cache of a host without a disk: src/env/browser/nodeFiles.ts).
   */
  constructor(
    extensionUri: vscode.Uri, private readonly log: vscode.OutputChannel, private readonly state: vscode.Memento,
    private readonly hub: { secrets: vscode.SecretStorage; version: string; storage: vscode.Uri },
  ) {
    this.notifier = new Notifier(log);
    rememberHashesIn(state);
    this.memory = new BackendMemory(state);
    this.models = new ModelManager(extensionUri, log, this.notifier);
    this.link = new PanelConnection(extensionUri, log, {
      receive: (m) => this.receiver.receive(m),
      closed: () => {
        this.runs.ledger.dropAll();
        this.highlighter.clear();
        this.marker.clear();
      },
      measured: (l) => this.memory.get(l),
    });
    const parts = { log, notifier: this.notifier, models: this.models, link: this.link, highlighter: this.highlighter, marker: this.marker };
    this.runs = new RunControl(parts);
    this.prober = new HeadProbeCommand({ log, notifier: this.notifier, models: this.models, link: this.link, state });
    this.cache = new PanelCacheCommand({ log, notifier: this.notifier, models: this.models, link: this.link });
    this.receiver = new HostReceiver({ ...parts, runs: this.runs, probe: this.prober, memory: this.memory, cache: this.cache });
    this.comparer = new CompareCommand({ ...parts, runs: this.runs });
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) {
          this.comparer.follow(e); // before the run is marked stale
          this.documentChanged(e.document);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.documentChanged(d)),
      vscode.window.onDidChangeTextEditorSelection((e) => this.selectionChanged(e)),
      vscode.window.onDidChangeVisibleTextEditors(() => {
        this.highlighter.paint(true);
        this.marker.paint();
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e) this.runs.lastEditorDocument = e.document;
      }),
      vscode.workspace.onDidChangeConfiguration((e) => this.configurationChanged(e)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.modelSettingsChanged()),
      vscode.languages.registerHoverProvider('*', {
        provideHover: (d, p) => attentionHover(this.runs.current, this.highlighter, d, p),
      }),
    );
  }

  /** "Explain attention here" (kind explain) and "Show attention for selection" (kind selection). */
  runCommand(kind: RunKind, editor?: vscode.TextEditor): Promise<number | undefined> {
    return this.runs.runCommand(kind, editor ?? this.runs.targetEditor());
  }

  /** "Attention Lens: Choose model…" (src/commands/chooseModel.ts); `arg`, a path, skips the quick pick. */
  chooseModel(arg?: unknown): Promise<Chosen | undefined> {
    return chooseModel({
      state: this.state, log: this.log, hasEncoder: () => this.models.hasEncoder, hubStorage: this.hub.storage,
      tell: (severity, text) => this.notifier.tell(severity, text),
    }, arg);
  }

  /** "Attention Lens: Download model…" (src/commands/downloadModel.ts); `arg` {repo, variant} skips the quick picks. */
  downloadModel(arg?: unknown): Promise<Downloaded | undefined> {
    return downloadModel({
      secrets: this.hub.secrets, log: this.log, version: this.hub.version, storage: this.hub.storage,
      tell: (severity, text) => this.notifier.tell(severity, text),
      ask: (severity, text, ...buttons) => this.notifier.ask(severity, text, ...buttons),
      use: (p) => this.chooseModel(p), explain: () => this.runCommand('explain'),
    }, arg);
  }

  setHubToken(arg?: unknown): Promise<boolean> {
    return setHubToken(this.hub.secrets, arg);
  }

  /** "Attention Lens: Probe heads": the roles of every head from the fixed probe input, cached per model. */
  probeHeads(): Promise<unknown> {
    return this.prober.run();
  }

  /** "Attention Lens: Clear the panel's cache": the model files and runtime the panel keeps. */
  clearPanelCache(): Promise<{ files: number; bytes: number } | undefined> {
    return this.cache.run();
  }

  /** "Compare with an edit": the current run against variants of its text. */
  compare(args?: CompareArgs): Promise<number | undefined> {
    return this.comparer.run(args);
  }

  api(): AttentionLensApi {
    return testApi({
      runs: this.runs, notifier: this.notifier, models: this.models, link: this.link,
      receiver: this.receiver, highlighter: this.highlighter, marker: this.marker, ownListeners: () => this.subscriptions.length,
    });
  }

  /** modelPath or trust changed: reload the model and, with the panel open, run the last request again. */
  private modelSettingsChanged(): void {
    this.models.reset();
    this.runs.rerunLast();
  }

  private configurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (e.affectsConfiguration('attentionLens.modelPath') || e.affectsConfiguration('attentionLens.bundledModel')) {
      this.modelSettingsChanged();
    } else if (e.affectsConfiguration('attentionLens.backend')) {
      // init carries the backend preference: reload the page, which sends ready again.
      this.link.reload();
    }
  }

  private documentChanged(document: vscode.TextDocument): void {
    const run = this.runs.current;
    if (run && run.request.document === document && !run.stale) {
      run.stale = true;
      this.log.appendLine(`[run ${run.message.runId}] ${document.isClosed ? 'document closed' : 'document edited'}: its token ranges no longer hold`);
    }
    if (this.highlighter.current()?.document === document) this.highlighter.clear();
    this.marker.clear(document);
  }

  /** The cursor moved onto a token of the current run: pin it in the panel. */
  private selectionChanged(e: vscode.TextEditorSelectionChangeEvent): void {
    const run = this.runs.current;
    if (!run || run.stale || !this.link.ready || e.textEditor.document !== run.request.document) return;
    const sel = e.selections[0];
    if (!sel || !sel.isEmpty) return;
    const offset = run.request.document.offsetAt(sel.active) - run.request.picked.baseOffset;
    if (offset < 0 || offset > run.request.picked.text.length) return;
    const index = tokenAtOffset(run.message.tokens, offset);
    if (index === null || index === run.pinned) return;
    run.pinned = index;
    void this.link.post({ type: 'pin', runId: run.message.runId, tokenIndex: index });
  }

  dispose(): void {
    this.link.dispose();
    this.highlighter.dispose();
    this.marker.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions.length = 0;
    this.receiver.listeners.clear();
  }
}
