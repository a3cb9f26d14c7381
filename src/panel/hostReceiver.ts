// Messages from the webview: only the current run's are acted on (results, highlights → editor
// decorations, explanations, errors with the bundled-model fallback), plus exports and reloads.
// Every message is first passed to the test API's listeners.
import * as vscode from 'vscode';
import type { BackendMemory } from './backendMemory';
import { saveExport } from '../export/exportSave';
import type { HostParts } from '../hostParts';
import type { RunRecord } from '../run/runRecord';
import type { LoadedModel } from '../models/modelFolder';
import type { CacheClearedMessage, ComparisonMessage, ExplanationMessage, HighlightMessage, ProbeResultMessage, ToHost } from '../shared/protocol';

export interface ReceiverDeps extends HostParts {
  /** Probe heads (headProbeCommand.ts): its results, and the cached scores a fresh page gets. */
  probe?: { receive(msg: ProbeResultMessage): void; sendCached(loaded: LoadedModel | null): void };
  /** Auto's measurements per model, across windows. */
  memory?: BackendMemory;
  /** "Clear the panel's cache" (commands/clearPanelCache.ts): the page's answer. */
  cache?: { receive(msg: CacheClearedMessage): void };
}

export class HostReceiver {
  /** The test API's listeners (see api.ts onDidReceive / waitFor). */
  readonly listeners = new Set<(m: ToHost) => void>();

  constructor(private readonly deps: ReceiverDeps) {}

  receive(msg: ToHost): void {
    const { log, link, runs } = this.deps;
    for (const l of [...this.listeners]) {
      try {
        l(msg);
      } catch (e) {
        log.appendLine(`[api] a listener threw: ${(e as Error).message}`);
      }
    }
    const run = runs.current;
    const isCurrent = 'runId' in msg && msg.runId !== null && run !== null && msg.runId === run.message.runId;
    switch (msg.type) {
      case 'ready':
        link.ready = true;
        link.sendInit(this.deps.models.loaded);
        this.deps.probe?.sendCached(this.deps.models.loaded);
        if (run) {
          // A reloaded page recomputes the last run; keep the token the user pinned.
          if (run.compare) void link.post({ ...run.compare, focus: run.pinned ?? run.compare.focus });
          else void link.post({ ...run.message, focus: run.pinned ?? run.message.focus });
        }
        return;
      case 'progress':
        return;
      case 'result':
        if (!isCurrent || !run) return;
        runs.ledger.finish(msg.runId);
        this.deps.models.worked = true;
        runs.lastResult = msg;
        log.appendLine(`[run ${msg.runId}] ${msg.backend}${msg.backendReason ? ` (${msg.backendReason})` : ''}: load ${msg.loadMs.toFixed(0)} ms, inference ${msg.inferenceMs.toFixed(0)} ms`);
        return;
      case 'highlight':
        if (isCurrent && run) this.highlight(run, msg);
        return;
      case 'explanation':
        if (isCurrent && run) this.explanation(run, msg);
        return;
      case 'comparison':
        if (isCurrent && run) this.comparison(run, msg);
        return;
      case 'error':
        if (msg.runId !== null && !isCurrent) return;
        this.webviewError(msg.runId, msg.message, msg.modelUri);
        return;
      case 'save':
        void saveExport(msg, run?.request.document, log, this.deps.notifier);
        return;
      case 'runtimeRequest':
        void link.sendRuntime(msg.kind);
        return;
      case 'modelRequest':
        // A large model goes by chunks (src/models/modelTransfer.ts); only a model init named.
        void link.sendModel(msg.key);
        return;
      case 'probeResult':
        this.deps.probe?.receive(msg);
        return;
      case 'cacheCleared':
        this.deps.cache?.receive(msg);
        return;
      case 'backendMeasured': {
        const loaded = this.deps.models.loaded;
        const m = msg.measurement;
        log.appendLine(`[backend] ${loaded?.model.config.name ?? 'the model'}: WebGPU ${m.webgpuMs.toFixed(1)} ms, WASM ${m.wasmMs.toFixed(1)} ms on ${m.tokens} tokens; auto keeps ${m.backend}`);
        if (loaded) void this.deps.memory?.remember(loaded, m).then(undefined, (e: Error) => log.appendLine(`[backend] could not remember it: ${e.message}`));
        return;
      }
      case 'reload':
        // The page cannot recover by itself (WebGPU failed mid-run): load it anew; it sends
        // ready, gets init and the current run again, and starts on WASM.
        log.appendLine(`[webview] reload requested: ${msg.reason}`);
        link.reload();
        return;
    }
  }

  private highlight(run: RunRecord, msg: HighlightMessage): void {
    const { highlighter } = this.deps;
    run.highlight = msg;
    if (run.stale || run.request.document.isClosed || msg.tokenIndex === null) {
      highlighter.clear();
      return;
    }
    // A token, or in the words view a word: tokens [index, end), highlighted as the union of their ranges.
    const span = (first: number, end: number | undefined): vscode.Range | null => {
      const last = Math.min(end ?? first + 1, run.ranges.length) - 1;
      return first >= 0 && first <= last ? run.ranges[first].union(run.ranges[last]) : null;
    };
    const targets = msg.targets.flatMap((t) => {
      const range = span(t.index, t.end);
      return range ? [{ range, weight: t.weight }] : [];
    });
    const source = span(msg.tokenIndex, msg.tokenEnd);
    highlighter.show(run.request.document, targets, source);
  }

  private explanation(run: RunRecord, msg: ExplanationMessage): void {
    const { log } = this.deps;
    run.explanations.set(msg.tokenIndex, msg);
    this.deps.runs.lastExplanation = msg;
    log.appendLine(`[run ${msg.runId}] ${msg.summary}`);
    for (const line of msg.lines) log.appendLine(`    ${line}`);
    if (run.message.explain && msg.tokenIndex === run.message.focus && !run.explanationShown) {
      run.explanationShown = true;
      this.deps.notifier.tell('info', `Attention Lens: ${msg.summary}`);
    }
  }

  /** What the panel compares: logged; the first one of a comparison run is also a notification. */
  private comparison(run: RunRecord, msg: ComparisonMessage): void {
    const { log, notifier } = this.deps;
    const first = run.comparison === undefined;
    run.comparison = msg;
    const said = msg.problem ?? msg.summaries.join(' | ');
    log.appendLine(`[run ${msg.runId}] compare ${msg.labels.join(' / ')}: ${said}`);
    for (const line of msg.lines) log.appendLine(`    ${line}`);
    if (!first) return;
    const why = msg.beforeEdit ? ' (the token comes before the edit and the model is causal: its attention cannot change)' : '';
    notifier.tell('info', `Attention Lens: ${said}${why}`);
  }

  private webviewError(runId: number | null, message: string, modelUri?: string): void {
    const { log, models, notifier } = this.deps;
    if (runId !== null) this.deps.runs.ledger.finish(runId);
    // A model the settings left while the page was loading it: its failure is not the current model's.
    if (modelUri !== undefined && modelUri !== this.deps.link.modelUri) {
      log.appendLine(`[webview error, an earlier model] ${message}`);
      return;
    }
    log.appendLine(`[webview error${runId === null ? '' : ` run ${runId}`}] ${message}`);
    const loaded = models.loaded;
    // A configured model that has not produced one result fails: the folder passed the host's
    // checks but not the webview's — outputs missing (seen on load) or of the wrong shape or type
    // (seen on its first run). Fall back to the bundled model.
    if (loaded && !loaded.model.bundled && !models.worked) {
      // One failure can arrive twice (the page's load error, then the run that waited for it).
      if (models.forceBundled) return;
      models.forceBundled = true;
      notifier.lastErrorText = `The model in ${loaded.model.dir} cannot be used: ${message}. Using the bundled model instead.`;
      notifier.tell('warning', `Attention Lens: ${notifier.lastErrorText}`);
      this.deps.runs.rerunLast();
      return;
    }
    notifier.lastErrorText = message;
    notifier.tell('error', `Attention Lens: ${message}`);
  }
}
