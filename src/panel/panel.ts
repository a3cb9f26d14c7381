// The webview panel beside the editor: one at a time, reused. It owns the HTML (strict CSP, fresh
// nonce per load), what the webview may read (the extension's dist/ and media/ and the model
// folder only), and the message boundary: everything that arrives is validated with parseToHost,
// and what fails is dropped and logged.
import * as vscode from 'vscode';
import { ToHost, ToWebview, parseToHost, parseToWebview } from '../shared/protocol';
import { makeNonce, webviewHtml } from './webviewHtml';

export const PANEL_VIEW_TYPE = 'attentionLens.panel';

export class LensPanel implements vscode.Disposable {
  private readonly messages = new vscode.EventEmitter<ToHost>();
  private readonly disposed = new vscode.EventEmitter<void>();
  private readonly hidden = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private alive = true;
  /** Fires for each valid message from the webview. */
  readonly onMessage = this.messages.event;
  /** Fires once when the user closes the panel (or it is disposed). */
  readonly onDidDispose = this.disposed.event;
  /** Fires when the panel is hidden: its page is thrown away and will send `ready` when shown. */
  readonly onDidHide = this.hidden.event;
  droppedMessages = 0;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private modelDir: vscode.Uri,
    private readonly log: vscode.OutputChannel,
  ) {
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => this.handleDisposed()),
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) this.hidden.fire();
      }),
    );
    this.load();
  }

  static open(extensionUri: vscode.Uri, modelDir: vscode.Uri, log: vscode.OutputChannel): LensPanel {
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      'Attention Lens',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      LensPanel.options(extensionUri, modelDir),
    );
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    return new LensPanel(panel, extensionUri, modelDir, log);
  }

  // No retainContextWhenHidden: a hidden webview is thrown away, and when it shows again it sends
  // `ready` and the host sends init and the last run, so its state is recomputed, never stale.
  private static options(extensionUri: vscode.Uri, modelDir: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [
        vscode.Uri.joinPath(extensionUri, 'dist'),
        vscode.Uri.joinPath(extensionUri, 'media'),
        modelDir,
      ],
    };
  }

  /** Listeners the panel holds on its webview (none once disposed). */
  get listenerCount(): number {
    return this.alive ? this.subscriptions.length : 0;
  }

  get isAlive(): boolean {
    return this.alive;
  }

  get visible(): boolean {
    return this.alive && this.panel.visible;
  }

  asWebviewUri(uri: vscode.Uri): vscode.Uri {
    return this.panel.webview.asWebviewUri(uri);
  }

  /** Points the webview at another model folder and reloads it (it will send `ready` again). */
  setModelDir(modelDir: vscode.Uri): void {
    this.modelDir = modelDir;
    this.panel.webview.options = LensPanel.options(this.extensionUri, modelDir);
    this.load();
  }

  /** Reloads the page (settings that init carries changed). */
  load(): void {
    const w = this.panel.webview;
    w.html = webviewHtml({
      cspSource: w.cspSource,
      nonce: makeNonce(),
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'main.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'panel.css')).toString(),
      runtimeByMessage: true,
    });
  }

  reveal(): void {
    if (this.alive) this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  /** Sends a message; a message the protocol would reject is a bug here, so it throws. */
  async post(msg: ToWebview): Promise<boolean> {
    parseToWebview(msg);
    if (!this.alive) return false;
    return this.panel.webview.postMessage(msg);
  }

  private receive(raw: unknown): void {
    let msg: ToHost;
    try {
      msg = parseToHost(raw);
    } catch (e) {
      this.droppedMessages++;
      const shown = JSON.stringify(raw)?.slice(0, 300) ?? String(raw);
      this.log.appendLine(`[webview] dropped a malformed message: ${(e as Error).message}: ${shown}`);
      return;
    }
    this.messages.fire(msg);
  }

  private handleDisposed(): void {
    if (!this.alive) return;
    this.alive = false;
    this.disposed.fire();
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions.length = 0;
    this.messages.dispose();
    this.disposed.dispose();
    this.hidden.dispose();
  }

  dispose(): void {
    // panel.dispose() fires onDidDispose, which runs handleDisposed.
    if (this.alive) this.panel.dispose();
  }
}
