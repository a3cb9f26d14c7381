// The host's side of the panel: opening it for a model folder, whether its page is ready, sending
// it messages (init with the model and backend preference), and reloading it.
import * as vscode from 'vscode';
import { uriOf } from '../env/node/hostUris';
import type { LoadedModel } from '../models/modelFolder';
import type { BackendMeasurement } from '../shared/backendMeasure';
import { CHUNKED_ABOVE_BYTES, chunkUri, streamModel } from '../models/modelTransfer';
import { LensPanel } from './panel';
import { RuntimeSender } from './runtimeSender';
import { Backend, BackendPreference, CHUNK_SCHEME, ToHost, ToWebview } from '../shared/protocol';

export interface PanelEvents {
  receive(msg: ToHost): void;
  /** The panel closed: runs in flight are gone. */
  closed(): void;
  /** Auto's remembered measurement for a model (src/panel/backendMemory.ts), sent with init. */
  measured?(loaded: LoadedModel): BackendMeasurement | undefined;
}

export class PanelConnection implements vscode.Disposable {
  panel: LensPanel | null = null;
  /** The page said ready and has not been reloaded or hidden since. */
  ready = false;
  private modelDir: string | null = null;
  /** The model the last init sent the page. */
  modelUri: string | undefined;
  /** Listeners on the open panel, released when it closes. */
  private readonly subscriptions: vscode.Disposable[] = [];
  private droppedBefore = 0;
  /** Large models this page was told to ask for by chunks: key → file (nothing else is sent). */
  private readonly chunked = new Map<string, string>();
  /** The latest model request: an earlier stream stops when the page asks again (e.g. after a reload). */
  private sending = 0;
  /** The runtime's .wasm, sent to the page by message when it asks (src/panel/runtimeSender.ts). */
  private readonly runtime: RuntimeSender;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.OutputChannel,
    private readonly events: PanelEvents,
  ) {
    const dir = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    this.runtime = new RuntimeSender((name) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, name)));
  }

  ensure(loaded: LoadedModel): void {
    const dir = loaded.model.dir;
    if (this.panel?.isAlive) {
      if (this.modelDir !== dir) {
        this.modelDir = dir;
        this.ready = false;
        this.panel.setModelDir(uriOf(dir));
      } else if (!this.panel.visible) {
        this.panel.reveal();
      }
      return;
    }
    // A new page asks for the WASM runtime as it starts, unless an earlier panel left it cached.
    this.runtime.preload('wasm');
    const panel = LensPanel.open(this.extensionUri, uriOf(dir), this.log);
    this.panel = panel;
    this.modelDir = dir;
    this.ready = false;
    this.subscriptions.push(
      panel.onMessage((m) => this.events.receive(m)),
      panel.onDidDispose(() => this.closed(panel)),
      panel.onDidHide(() => {
        if (this.panel === panel) this.ready = false;
      }),
    );
  }

  private closed(panel: LensPanel): void {
    if (this.panel !== panel) return;
    this.droppedBefore += panel.droppedMessages;
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions.length = 0;
    this.panel = null;
    this.modelDir = null;
    this.ready = false;
    this.events.closed();
  }

  post(msg: ToWebview): Promise<boolean> {
    if (!this.panel) return Promise.resolve(false);
    return this.panel.post(msg).catch((e: Error) => {
      this.log.appendLine(`[host] could not send ${msg.type}: ${e.message}`);
      return false;
    });
  }

  sendInit(loaded: LoadedModel | null): void {
    const panel = this.panel;
    if (!panel || !loaded) return;
    const backend = vscode.workspace.getConfiguration('attentionLens').get<BackendPreference>('backend', 'auto');
    const measured = this.events.measured?.(loaded);
    const { modelFile, sizeBytes } = loaded.model;
    // A large file goes by chunks (src/models/modelTransfer.ts); the graph's external data files too.
    const uriFor = (file: string, size: number, mtimeMs: number): string => {
      if (size <= CHUNKED_ABOVE_BYTES) return panel.asWebviewUri(uriOf(file)).toString();
      const uri = chunkUri(file, size, mtimeMs);
      this.chunked.set(decodeURIComponent(uri.slice(CHUNK_SCHEME.length)), file);
      return uri;
    };
    const modelUri = uriFor(modelFile, sizeBytes, loaded.model.mtimeMs);
    this.modelUri = modelUri;
    const externalData = loaded.model.externalData.map((f) => ({ location: f.location, uri: uriFor(f.file, f.sizeBytes, f.mtimeMs), sizeBytes: f.sizeBytes, sha256: f.sha256 }));
    void this.post({
      type: 'init',
      model: {
        name: loaded.model.config.name,
        config: loaded.model.config,
        modelUri,
        sizeBytes: loaded.model.sizeBytes,
        sha256: loaded.model.sha256,
        ...(externalData.length > 0 ? { externalData } : {}),
      },
      wasmBase: `${panel.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')).toString()}/`,
      backend: backend === 'webgpu' || backend === 'wasm' ? backend : 'auto',
      ...(measured && backend !== 'webgpu' && backend !== 'wasm' ? { measured } : {}),
    });
  }

  /** Sends the chunks of a large model the page asked for (a key from init only; one model at a time). */
  async sendModel(key: string): Promise<void> {
    const file = this.chunked.get(key);
    const panel = this.panel;
    if (!file || !panel) {
      this.log.appendLine(`[host] the page asked for model chunks that were never offered: ${key.slice(0, 200)}`);
      return;
    }
    const request = ++this.sending;
    const t0 = Date.now();
    try {
      const done = await streamModel(file, key, (m) => this.post(m), () => this.panel === panel && panel.isAlive && this.sending === request);
      this.log.appendLine(`[model] ${done ? 'sent' : 'stopped sending'} ${file} in chunks (${Date.now() - t0} ms)`);
    } catch (e) {
      this.log.appendLine(`[model] could not send ${file}: ${(e as Error).message}`);
      void this.post({ type: 'modelChunk', key, offset: 0, total: 0, data: new Uint8Array(0), error: `${file} could not be read: ${(e as Error).message}` });
    }
  }

  /** Answers the page's runtimeRequest with the runtime's bytes (or an error: the page then fetches it). */
  async sendRuntime(kind: Backend): Promise<void> {
    const t0 = Date.now();
    const msg = await this.runtime.message(kind);
    const sent = await this.post(msg);
    this.log.appendLine(`[runtime] ${msg.error ?? (sent ? `sent the ${kind} runtime (${msg.data.length} bytes) in ${Date.now() - t0} ms` : 'the page went away before the runtime was sent')}`);
  }

  /** True once the page says ready; false when the panel closes first or `timeoutMs` passes. */
  async whenReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ready) {
      if (!this.panel || Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    return true;
  }

  /** Loads the page anew; it sends ready, then gets init and the current run again. */
  reload(): void {
    if (!this.panel) return;
    this.ready = false;
    this.panel.load();
  }

  /** The lens's listeners on the panel plus the panel's own. */
  get listenerCount(): number {
    return this.subscriptions.length + (this.panel?.listenerCount ?? 0);
  }

  /** Messages dropped by every panel so far. */
  get droppedMessages(): number {
    return this.droppedBefore + (this.panel?.droppedMessages ?? 0);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
