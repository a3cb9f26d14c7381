// The webview's controller: protocol messages in, model runs (serialized, newest wins), views out,
// and what the host needs back (progress, result, highlight, explanation, error, save).
import { makeStack } from '../src/shared/attention';
import { Explanation, explain, tokenLabel } from '../src/shared/explain';
import type {
  ExportFormat, InitMessage, RunMessage, Target, ToHost, ToWebview,
} from '../src/shared/protocol';
import { errorText } from './backend';
import { ACCENT_VAR, ThemeColors, headVar, tint } from './colors';
import { Controls } from './controls';
import { exportJson } from './exportData';
import { exportHtml } from './exportHtml';
import { Fill, Picture, renderPng, renderSvg } from './exportImage';
import { ExplainPanel } from './explainPanel';
import { HeadGrid } from './grid';
import { Header } from './header';
import { Engine, ModelContractError, RuntimeStuckError, fellBackReason } from './inference';
import { HOST_TARGETS, Matrices, PANEL_TARGETS, RunData } from './runData';
import { RunQueue } from './runQueue';
import { LitToken, TokenView } from './tokenView';
import { ViewState, describeView, restoreView } from './viewState';
import type { VsCodeApi } from './vscodeApi';

/** What survives a reload of the page (vscode.setState). */
export interface SavedState {
  view?: ViewState;
  /** WebGPU failed during a run on this panel: why. The page then starts on WASM. */
  webGpuFailed?: string;
}

interface Lit {
  index: number;
  weight: number;
  /** Per selected head (several-heads mode): [head, weight]. */
  perHead: [number, number][] | null;
}

const pct1 = (w: number): string => `${(w * 100).toFixed(1)}%`;

/** Resolves after the messages already queued for the page have been handled. */
const yieldToMessages = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class App {
  private readonly header = new Header();
  private readonly controls: Controls;
  private readonly tokens: TokenView;
  private readonly grid: HeadGrid;
  private readonly explainPanel = new ExplainPanel();
  private readonly colors: ThemeColors;
  private readonly queue = new RunQueue();

  private init: InitMessage | null = null;
  private engine: Promise<Engine> | null = null;
  private engineKey = '';
  /** The engine whose load time the next result reports (cleared once reported). */
  private freshEngine: Engine | null = null;
  private waitingForInit: RunMessage | null = null;

  private current: Matrices | null = null;
  private view: ViewState | null = null;
  private hover: number | null = null;
  private pinned: number | null = null;
  private lastHighlight = '';
  /** pin / explain messages for a run that has not rendered yet. */
  private pending = new Map<number, { pin?: number | null; explain?: number }>();

  constructor(private readonly api: VsCodeApi<SavedState>, root: HTMLElement) {
    this.colors = new ThemeColors(document.body);
    this.controls = new Controls({
      change: (v) => this.setView(v),
      export: (f) => void this.export(f),
    });
    this.tokens = new TokenView({
      hover: (i) => {
        if (i === this.hover) return;
        this.hover = i;
        this.refresh();
      },
      pin: (i) => this.pin(i, false),
    });
    this.grid = new HeadGrid(this.colors, (layer, head) => {
      if (this.view) this.setView({ ...this.view, layer, head, mode: 'head' });
    });
    const main = document.createElement('main');
    const tokensSection = document.createElement('section');
    tokensSection.className = 'token-section';
    tokensSection.append(this.controls.el, this.tokens.el);
    const overview = document.createElement('section');
    overview.className = 'overview';
    const h = document.createElement('h2');
    h.textContent = 'All layers × heads (click one to focus it)';
    overview.append(h, this.grid.el);
    main.append(tokensSection, this.explainPanel.el, overview);
    root.replaceChildren(this.header.el, main);
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.pinned !== null) this.pin(null, false);
    });
    // VS Code switches themes by changing the body's classes and the --vscode-* variables in the
    // html element's style; canvases then need their colours resolved again.
    const themeChanged = new MutationObserver(() => {
      this.colors.reset();
      if (this.current) this.grid.draw(this.pinned, this.view?.direction ?? 'from');
    });
    themeChanged.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    themeChanged.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
    this.header.idle('Waiting for text: select some and run "Attention Lens: Show attention for selection".');
  }

  handle(msg: ToWebview): void {
    switch (msg.type) {
      case 'init': return this.onInit(msg);
      case 'run': return this.onRun(msg);
      case 'cancel':
        this.queue.cancel(msg.runId);
        return;
      case 'pin':
        if (this.current?.run.runId === msg.runId) this.pin(msg.tokenIndex, true);
        else this.later(msg.runId, { pin: msg.tokenIndex });
        return;
      case 'explain':
        if (this.current?.run.runId === msg.runId) this.explainToken(msg.tokenIndex, true);
        else this.later(msg.runId, { explain: msg.tokenIndex });
        return;
    }
  }

  private post(msg: ToHost): void {
    this.api.postMessage(msg);
  }

  private later(runId: number, what: { pin?: number | null; explain?: number }): void {
    this.pending.set(runId, { ...this.pending.get(runId), ...what });
  }

  // ---- model and runs -------------------------------------------------------------------------

  private onInit(msg: InitMessage): void {
    this.init = msg;
    this.header.model(msg.model.name);
    const key = JSON.stringify([msg.model.modelUri, msg.wasmBase, msg.backend, msg.model.config.num_layers, msg.model.config.num_heads]);
    if (key !== this.engineKey) {
      this.engineKey = key;
      const old = this.engine;
      // Release the old session only after the runs queued on it are done.
      if (old) void this.queue.enqueue(() => old.then((e) => e.release()).catch(() => undefined));
      this.header.busy(`Loading ${msg.model.name} (${(msg.model.sizeBytes / 1e6).toFixed(1)} MB)…`);
      this.post({ type: 'progress', runId: null, phase: 'loading-model', detail: `loading ${msg.model.name}` });
      const loading = Engine.load({
        modelUri: msg.model.modelUri, wasmBase: msg.wasmBase, preference: msg.backend, config: msg.model.config,
        webGpuFailed: this.api.getState()?.webGpuFailed,
      });
      this.engine = loading;
      loading.then(
        (e) => {
          if (this.engine !== loading) return;
          this.freshEngine = e;
          if (!this.current && !this.waitingForInit) this.header.idle(`Model ready on ${e.backend === 'webgpu' ? 'WebGPU' : 'WASM'}. Select text and run a command.`);
        },
        (e: unknown) => {
          if (this.engine !== loading) return;
          const text = `Cannot load ${msg.model.name}: ${errorText(e)}`;
          this.header.error(text);
          this.post({ type: 'error', runId: null, message: text });
        },
      );
    }
    const waiting = this.waitingForInit;
    this.waitingForInit = null;
    if (waiting) this.onRun(waiting);
  }

  private onRun(msg: RunMessage): void {
    this.queue.begin(msg.runId);
    if (!this.init || !this.engine) {
      this.waitingForInit = msg;
      return;
    }
    const init = this.init;
    const engine = this.engine;
    void this.queue.enqueue(() => this.execute(msg, init, engine));
  }

  private async execute(msg: RunMessage, init: InitMessage, enginePromise: Promise<Engine>): Promise<void> {
    const { runId } = msg;
    // Let messages already on their way (a newer run, a cancel) land first: a WASM run completes
    // in microtasks, so without this yield nothing could overtake it.
    await yieldToMessages();
    if (!this.queue.isLive(runId)) return;
    const config = init.model.config;
    if (msg.tokens.length === 0 || msg.tokens.length > config.max_tokens) {
      this.fail(runId, `the run has ${msg.tokens.length} tokens; the model takes 1 to ${config.max_tokens}`);
      return;
    }
    this.header.busy(`Loading ${init.model.name}…`);
    this.post({ type: 'progress', runId, phase: 'loading-model', detail: init.model.name });
    let engine: Engine;
    try {
      engine = await enginePromise;
    } catch (e) {
      this.fail(runId, `cannot load ${init.model.name}: ${errorText(e)}`);
      return;
    }
    if (!this.queue.isLive(runId)) return;
    this.header.busy(`Running ${msg.tokens.length} tokens on ${engine.backend === 'webgpu' ? 'WebGPU' : 'WASM'}…`);
    this.post({ type: 'progress', runId, phase: 'running', detail: `${msg.tokens.length} tokens on ${engine.backend}` });
    let result;
    try {
      result = await engine.run(msg.tokens.map((t) => t.id));
    } catch (e) {
      if (e instanceof RuntimeStuckError) {
        // Only a new page can run again: remember why, so it starts on WASM and says so.
        this.api.setState({ ...this.api.getState(), webGpuFailed: e.message });
        this.header.busy(`${fellBackReason(e.message)}: reloading the panel…`);
        this.post({ type: 'reload', reason: fellBackReason(e.message) });
        return;
      }
      this.fail(runId, e instanceof ModelContractError
        ? `${init.model.name} breaks the model contract: ${errorText(e)}`
        : `the model failed on this input: ${errorText(e)}`);
      return;
    }
    // A newer run or a cancel came in while this one ran: its numbers are not shown. On WASM the
    // run blocked the page, so what came in meanwhile is still queued: let it land first.
    await yieldToMessages();
    if (!this.queue.isLive(runId)) return;
    const loadMs = this.freshEngine === engine ? engine.loadMs : 0;
    this.freshEngine = null;
    const data: RunData = {
      runId,
      message: msg,
      tokens: msg.tokens,
      config,
      modelName: init.model.name,
      stack: makeStack(result.outputs.attentions, config.num_heads, msg.tokens.length),
      outputs: result.outputs,
      backend: engine.backend,
      backendReason: engine.reason,
      loadMs: engine.loadMs,
      inferenceMs: result.inferenceMs,
    };
    this.post({ type: 'progress', runId, phase: 'rendering', detail: '' });
    const r0 = performance.now();
    this.render(data);
    // for benchmarks: the last render's duration (DOM built, grid drawn), one entry kept
    performance.clearMeasures('attention-lens:render');
    performance.measure('attention-lens:render', { start: r0, end: performance.now() });
    this.post({ type: 'result', runId, backend: data.backend, backendReason: data.backendReason, loadMs, inferenceMs: data.inferenceMs });
    this.post({ type: 'progress', runId, phase: 'done', detail: '' });

    const later = this.pending.get(runId);
    this.pending.clear();
    const focus = later && 'pin' in later ? later.pin ?? null : msg.focus;
    if (focus !== null && focus >= 0 && focus < msg.tokens.length) this.pin(focus, true);
    if (msg.explain && msg.focus !== null) this.explainToken(msg.focus, true);
    if (later?.explain !== undefined) this.explainToken(later.explain, true);
  }

  private fail(runId: number, text: string): void {
    this.header.error(text);
    this.post({ type: 'error', runId, message: text });
  }

  // ---- views ----------------------------------------------------------------------------------

  private render(data: RunData): void {
    const m = new Matrices(data);
    this.current = m;
    const config = data.config;
    this.view = restoreView(this.view ?? this.api.getState()?.view, config);
    this.hover = null;
    this.pinned = null;
    this.lastHighlight = '';
    this.header.showRun(data);
    this.header.idle(`Done: ${describeView(this.view, config.num_heads)}.`);
    this.controls.setModel(config.num_layers, config.num_heads);
    this.controls.show(this.view);
    this.tokens.setTokens(data.tokens);
    this.grid.setStack(data.stack);
    this.grid.select(this.view.layer, this.view.mode === 'head' ? this.view.head : null);
    this.grid.draw(null, this.view.direction);
    this.explainPanel.clear();
    this.refresh();
  }

  private setView(v: ViewState): void {
    const directionChanged = this.view?.direction !== v.direction;
    this.view = v;
    this.api.setState({ ...this.api.getState(), view: v });
    const cur = this.current;
    if (!cur) return;
    this.header.idle(describeView(v, cur.run.config.num_heads));
    this.controls.show(v);
    this.grid.select(v.layer, v.mode === 'head' ? v.head : null);
    if (directionChanged) this.grid.draw(this.pinned, v.direction);
    if (this.pinned !== null) this.showSteps(this.pinned);
    this.refresh();
  }

  /** The active token's targets in the current view (the panel's wider set). */
  private lit(active: number): Lit[] {
    const cur = this.current;
    const v = this.view;
    if (!cur || !v) return [];
    const targets = cur.targets(v, active, v.direction, PANEL_TARGETS);
    return targets.map((t) => ({
      index: t.index,
      weight: t.weight,
      perHead: v.mode === 'heads'
        ? v.heads.map((h): [number, number] => [h, v.direction === 'from'
          ? cur.headWeight(v.layer, h, active, t.index)
          : cur.headWeight(v.layer, h, t.index, active)])
        : null,
    }));
  }

  /** Restyles the token view for the hovered (else pinned) token and tells the host. */
  private refresh(): void {
    const cur = this.current;
    const v = this.view;
    if (!cur || !v) return;
    const t0 = performance.now();
    const active = this.hover ?? this.pinned;
    const lit = active === null ? [] : this.lit(active);
    const max = lit.reduce((a, t) => Math.max(a, t.weight, ...(t.perHead ?? []).map((p) => p[1])), 0) || 1;
    const activeText = active === null ? '' : tokenLabel(cur.run.tokens[active], active);
    const styled: LitToken[] = lit.map((t) => ({
      index: t.index,
      background: this.background(t, max, v),
      label: this.tooltip(t, activeText, v.direction),
    }));
    let activeLabel: string | null = null;
    if (active !== null) {
      const top = lit.slice(0, 3).map((t) => `${tokenLabel(cur.run.tokens[t.index], t.index)} ${pct1(t.weight)}`).join(', ');
      activeLabel = v.direction === 'from' ? `Attends to ${top}` : `Attended to by ${top}`;
    }
    this.tokens.show(active, this.pinned, styled, activeLabel);
    const t1 = performance.now();
    // Kept to the last one only, so hovering does not grow the performance buffer.
    performance.clearMeasures('attention-lens:highlight');
    performance.measure('attention-lens:highlight', { start: t0, end: t1 });
    this.sendHighlight(active);
  }

  private background(t: Lit, max: number, v: ViewState): string {
    if (t.perHead) {
      // Several heads: one band per head, each in its colour, alpha ∝ that head's weight.
      const n = t.perHead.length;
      const bands = t.perHead.map(([h, w], k) => `${tint(headVar(h), (0.9 * w) / max)} ${(100 * k / n).toFixed(2)}% ${(100 * (k + 1) / n).toFixed(2)}%`);
      return `linear-gradient(90deg, ${bands.join(', ')})`;
    }
    const colour = v.mode === 'head' ? headVar(v.head) : ACCENT_VAR;
    return tint(colour, (0.9 * t.weight) / max);
  }

  private tooltip(t: Lit, activeText: string, direction: 'from' | 'to'): string {
    const base = direction === 'from'
      ? `${pct1(t.weight)} of the attention of "${activeText}"`
      : `puts ${pct1(t.weight)} of its attention on "${activeText}"`;
    if (!t.perHead) return base;
    return `${base} (mean; ${t.perHead.map(([h, w]) => `head ${h + 1}: ${pct1(w)}`).join(', ')})`;
  }

  private sendHighlight(active: number | null): void {
    const cur = this.current;
    const v = this.view;
    if (!cur || !v) return;
    const targets: Target[] = active === null ? [] : cur.targets(v, active, v.direction, HOST_TARGETS);
    const key = `${active}|${v.direction}|${targets.map((t) => `${t.index}:${t.weight}`).join(',')}`;
    if (key === this.lastHighlight) return;
    this.lastHighlight = key;
    this.post({ type: 'highlight', runId: cur.run.runId, tokenIndex: active, direction: v.direction, targets });
  }

  private pin(index: number | null, fromHost: boolean): Explanation | null {
    const cur = this.current;
    if (!cur) return null;
    if (index !== null && (index < 0 || index >= cur.run.tokens.length)) return null;
    this.pinned = index;
    if (fromHost) this.hover = null;
    this.refresh();
    this.grid.draw(index, this.view?.direction ?? 'from');
    if (index === null) {
      this.explainPanel.clear();
      return null;
    }
    if (fromHost) this.tokens.scrollTo(index);
    return this.explanation(index);
  }

  private explanation(index: number): Explanation | null {
    const cur = this.current;
    if (!cur) return null;
    const e = explain({
      tokens: cur.run.tokens, stack: cur.run.stack, config: cur.run.config, focus: index,
      layerMean: (l) => cur.layerMean(l),
    });
    this.explainPanel.show(cur.run, e);
    this.showSteps(index, e);
    return e;
  }

  private showSteps(index: number, e?: Explanation): void {
    const cur = this.current;
    const v = this.view;
    if (!cur || !v) return;
    if (v.mode === 'head') {
      this.explainPanel.showSteps(cur.run, v.layer, v.head, index);
      return;
    }
    const top = (e ?? this.explanationQuiet(index))?.topHeads[0];
    if (top) this.explainPanel.showSteps(cur.run, top.layer, top.head, index);
    else this.explainPanel.showSteps(cur.run, v.layer, v.heads[0], index);
  }

  private explanationQuiet(index: number): Explanation | null {
    const cur = this.current;
    if (!cur) return null;
    return explain({ tokens: cur.run.tokens, stack: cur.run.stack, config: cur.run.config, focus: index, layerMean: (l) => cur.layerMean(l) });
  }

  /** "Explain attention here": pins the token, shows the text and sends it to the host. */
  private explainToken(index: number, post: boolean): void {
    const cur = this.current;
    if (!cur || index < 0 || index >= cur.run.tokens.length) return;
    const e = this.pin(index, true);
    if (e && post) {
      this.post({ type: 'explanation', runId: cur.run.runId, tokenIndex: index, summary: e.summary, lines: e.lines });
    }
  }

  // ---- exports --------------------------------------------------------------------------------

  private async export(format: ExportFormat): Promise<void> {
    const cur = this.current;
    const v = this.view;
    if (!cur || !v) return;
    // The JSON of a long run is tens of megabytes: say so, and let the page paint first.
    this.header.busy(`Preparing ${format.toUpperCase()}…`);
    await new Promise((resolve) => setTimeout(resolve, 16));
    if (this.current !== cur) return;
    if (this.makeExport(format, cur, v)) this.header.idle(`Sent the ${format.toUpperCase()} export to VS Code to save.`);
  }

  /** Builds the file and posts `save`; false (and an error shown) when it could not. */
  private makeExport(format: ExportFormat, cur: Matrices, v: ViewState): boolean {
    const matrix = cur.forView(v);
    const base = `attention-${cur.run.message.source.fileName.replace(/\.[^.]*$/, '') || 'text'}-${v.mode}-L${v.layer + 1}`;
    try {
      if (format === 'json') {
        this.post({ type: 'save', format, fileName: `${base}.json`, data: exportJson(cur.run, v, matrix, this.pinned), encoding: 'utf8' });
        return true;
      }
      const fontFamily = getComputedStyle(document.body).getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
      const rgb = (name: string, fallback?: string) => this.colors.rgb(name, fallback);
      const background = rgb('--vscode-editor-background');
      const foreground = rgb('--vscode-editor-foreground', '--vscode-foreground');
      const muted = rgb('--vscode-descriptionForeground');
      const accent = rgb(ACCENT_VAR);
      const active = this.hover ?? this.pinned;
      const title = [
        `${cur.run.modelName} on ${cur.run.backend === 'webgpu' ? 'WebGPU' : 'WASM'}: ${describeView(v, cur.run.config.num_heads)}`,
        active === null
          ? 'No token pinned.'
          : `${v.direction === 'from' ? 'What' : 'What attends to'} "${tokenLabel(cur.run.tokens[active], active)}"${v.direction === 'from' ? ' attends to' : ''} (layers and heads from 1).`,
      ];
      if (format === 'html') {
        const html = exportHtml({
          title: `Attention Lens — ${cur.run.message.source.fileName}`,
          subtitle: [title[0], 'Hover a token to see what it attends to; the numbers are the view\'s attention weights.'],
          tokens: cur.run.tokens, matrix, seq: cur.seq, direction: v.direction,
          colors: { background, foreground, muted, accent }, fontFamily,
        });
        this.post({ type: 'save', format, fileName: `${base}.html`, data: html, encoding: 'utf8' });
        return true;
      }
      const lit = active === null ? [] : this.lit(active);
      const max = lit.reduce((a, t) => Math.max(a, t.weight, ...(t.perHead ?? []).map((p) => p[1])), 0) || 1;
      const fills = new Map<number, Fill[]>();
      for (const t of lit) {
        fills.set(t.index, t.perHead
          ? t.perHead.map(([h, w]) => ({ rgb: rgb(headVar(h)), alpha: (0.9 * w) / max }))
          : [{ rgb: rgb(v.mode === 'head' ? headVar(v.head) : ACCENT_VAR), alpha: (0.9 * t.weight) / max }]);
      }
      const picture: Picture = { title, tokens: cur.run.tokens, fills, active, background, foreground, muted, accent, fontFamily };
      if (format === 'png') {
        this.post({ type: 'save', format, fileName: `${base}.png`, data: renderPng(picture), encoding: 'base64' });
      } else {
        const ctx = document.createElement('canvas').getContext('2d');
        if (!ctx) throw new Error('no 2d canvas');
        ctx.font = `13px ${fontFamily}`;
        this.post({ type: 'save', format, fileName: `${base}.svg`, data: renderSvg(picture, (s) => ctx.measureText(s).width), encoding: 'utf8' });
      }
      return true;
    } catch (e) {
      this.fail(cur.run.runId, `export as ${format.toUpperCase()} failed: ${errorText(e)}`);
      return false;
    }
  }
}
