// The rendering bench page: the webview's own components (App, TokenView, HeadGrid) and its own
// inference engine, bundled apart from the shipped webview so that rendering can be timed on its
// own — and, beyond the model's context, on SYNTHETIC attention (labelled as such by the runner).
// Node drives it through window.__benchRender (bench/renderPage.ts).
import { makeStack } from '../../src/shared/attention';
import type { ModelConfig } from '../../src/shared/modelConfig';
import type { RunMessage, ToHost, TokenInfo } from '../../src/shared/protocol';
import { App, SavedState } from '../../webview/app';
import { ThemeColors } from '../../webview/colors';
import { HeadGrid } from '../../webview/grid';
import { Engine } from '../../webview/inference';
import type { RunData } from '../../webview/runData';
import { TokenView } from '../../webview/tokenView';
import type { ViewState } from '../../webview/viewState';
import type { VsCodeApi } from '../../webview/vscodeApi';
import { syntheticAttention } from './synthetic';

export interface PrepareSpec {
  runId: number;
  tokens: TokenInfo[];
  config: ModelConfig;
  /** Draw attention with syntheticAttention instead of running the model (beyond its context). */
  synthetic: boolean;
  modelUri: string;
  wasmBase: string;
}

export interface Prepared {
  seq: number;
  /** Bytes of the attention tensors a run keeps ([heads, seq, seq] float32 per layer). */
  attentionBytes: number;
  /** Bytes of queries and keys kept beside them (for the three-steps view), 0 when none. */
  queryKeyBytes: number;
  inferenceMs: number | null;
}

export interface HoverSample {
  /** Event dispatched at the start of a frame → that frame's style, layout and paint done. */
  frameMs: number;
  /** The webview's own measure of its hover work (the attention-lens:highlight measure). */
  workMs: number | null;
}

/** Resolves at the start of the next frame (inside requestAnimationFrame, before style and layout). */
const frameStart = (): Promise<number> => new Promise((r) => requestAnimationFrame(() => r(performance.now())));

/** Resolves in the first task after the current frame has been rendered (style, layout, paint). */
const afterFrame = (): Promise<number> => new Promise((r) => {
  const ch = new MessageChannel();
  ch.port1.onmessage = () => r(performance.now());
  ch.port2.postMessage(0);
});

/** Runs `work` at the start of a frame and times it to the end of that frame's rendering. */
async function timeFrame(work: () => void): Promise<number> {
  const t0 = await frameStart();
  work();
  return (await afterFrame()) - t0;
}

class RenderBench {
  private engine: Promise<Engine> | null = null;
  private data: RunData | null = null;
  private app: App | null = null;
  private readonly scratch: HTMLElement;
  private savedView: ViewState | undefined;
  readonly posted: ToHost[] = [];

  constructor() {
    this.scratch = document.createElement('div');
    this.scratch.className = 'bench-scratch';
    document.body.appendChild(this.scratch);
  }

  setTheme(vars: Record<string, string>, bodyClass: string): void {
    for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
    document.body.className = bodyClass;
  }

  async prepare(spec: PrepareSpec): Promise<Prepared> {
    const { config, tokens } = spec;
    const seq = tokens.length;
    let attentions: Float32Array[];
    let queries: Float32Array[] | null = null;
    let keys: Float32Array[] | null = null;
    let headDim: number | null = null;
    let inferenceMs: number | null = null;
    this.data = null;
    if (spec.synthetic) {
      attentions = syntheticAttention(config.num_layers, config.num_heads, seq);
    } else {
      this.engine ??= Engine.load({ modelUri: spec.modelUri, wasmBase: spec.wasmBase, preference: 'wasm', config });
      const run = await (await this.engine).run(tokens.map((t) => t.id));
      ({ attentions, queries, keys, headDim } = run.outputs);
      inferenceMs = run.inferenceMs;
    }
    const message: RunMessage = {
      type: 'run', runId: spec.runId, source: { fileName: 'bench.txt', languageId: 'plaintext' }, tokens, truncation: null, focus: null, explain: false,
    };
    this.data = {
      runId: spec.runId, message, tokens, config, modelName: config.name,
      stack: makeStack(attentions, config.num_heads, seq),
      outputs: { attentions, queries, keys, headDim },
      backend: 'wasm', backendReason: spec.synthetic ? 'synthetic attention (bench)' : 'bench', loadMs: 0, inferenceMs: inferenceMs ?? 0,
    };
    const bytes = (xs: Float32Array[] | null): number => (xs ?? []).reduce((s, x) => s + x.byteLength, 0);
    return { seq, attentionBytes: bytes(attentions), queryKeyBytes: bytes(queries) + bytes(keys), inferenceMs };
  }

  private need(): RunData {
    if (!this.data) throw new Error('prepare() first');
    return this.data;
  }

  /** First paint of the token view alone: build the spans, insert them, render the frame. */
  async paintTokens(runs: number): Promise<number[]> {
    const data = this.need();
    const out: number[] = [];
    for (let k = 0; k < runs; k++) {
      const view = new TokenView({ hover: () => undefined, pin: () => undefined });
      out.push(await timeFrame(() => {
        view.setTokens(data.tokens);
        this.scratch.replaceChildren(view.el);
      }));
      this.scratch.replaceChildren();
    }
    return out;
  }

  /** First paint of the layers × heads grid alone: canvases created and every head's matrix drawn. */
  async paintGrid(runs: number): Promise<number[]> {
    const data = this.need();
    const colors = new ThemeColors(document.body);
    const out: number[] = [];
    for (let k = 0; k < runs; k++) {
      const grid = new HeadGrid(colors, () => undefined);
      out.push(await timeFrame(() => {
        grid.setStack(data.stack);
        this.scratch.replaceChildren(grid.el);
        grid.draw(null, 'from');
      }));
      this.scratch.replaceChildren();
    }
    return out;
  }

  /**
   * Shows the run in the webview's App, as a finished run is shown, with the view the user chose
   * (restored from saved state as VS Code restores a panel's; the App keeps it for later runs).
   * Returns the time to the painted panel.
   */
  async showInApp(view: ViewState): Promise<number> {
    const data = this.need();
    this.savedView = view;
    const saved = (): SavedState => ({ view: this.savedView });
    if (!this.app) {
      const api: VsCodeApi<SavedState> = {
        postMessage: (m) => {
          // Only the last few are kept: the bench reads none, and hovering posts one per token.
          this.posted.push(m);
          if (this.posted.length > 64) this.posted.splice(0, 32);
        },
        getState: saved,
        setState: (s) => {
          this.savedView = s.view;
        },
      };
      const root = document.getElementById('app');
      if (!root) throw new Error('the bench page has no #app');
      this.app = new App(api, root);
    }
    // App.render is private: it is how a finished run reaches the views, and the only way to show
    // attention the model did not compute (synthetic). Checked here so a rename fails loudly.
    const app = this.app as unknown as { render?: (d: RunData) => void };
    const render = app.render;
    if (typeof render !== 'function') throw new Error('webview/app.ts: App.render(data) is gone; update bench/page/render.ts');
    return timeFrame(() => render.call(this.app, data));
  }

  /** Token spans of the App's token view, by index. */
  private span(i: number): HTMLElement {
    const s = document.querySelector<HTMLElement>(`#app .tokens .tok[data-i="${i}"]`);
    if (!s) throw new Error(`no token ${i} in the panel`);
    return s;
  }

  /** Hovers token i: a pointerover dispatched on its span at the start of a frame, timed to that frame's end. */
  async hover(i: number): Promise<HoverSample> {
    const s = this.span(i);
    performance.clearMeasures('attention-lens:highlight');
    const frameMs = await timeFrame(() => {
      s.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, pointerType: 'mouse', isPrimary: true }));
    });
    const m = performance.getEntriesByName('attention-lens:highlight', 'measure').at(-1);
    return { frameMs, workMs: m ? m.duration : null };
  }

  /** Lit tokens now (a check that a hover lit something, so an empty highlight is not timed). */
  litCount(): number {
    return document.querySelectorAll('#app .tokens .tok.lit').length;
  }

  /** The centre of token i in viewport pixels, scrolled into view, for a real mouse move. */
  async pointAt(i: number): Promise<{ x: number; y: number }> {
    const s = this.span(i);
    s.scrollIntoView({ block: 'center', inline: 'nearest' });
    await frameStart();
    const r = s.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }

  private realSamples: number[] = [];
  private realArmed = false;

  /**
   * Times real pointer input (mouse moves sent by the runner through the browser's input
   * pipeline): from the pointerover's dispatch (a capturing listener, which runs before the
   * panel's own) to the end of the frame that shows it.
   */
  armRealHover(): void {
    if (this.realArmed) return;
    this.realArmed = true;
    document.addEventListener('pointerover', (e) => {
      if (!(e.target instanceof Element) || !e.target.closest('#app .tokens .tok')) return;
      const t0 = performance.now();
      requestAnimationFrame(() => void afterFrame().then((t1) => this.realSamples.push(t1 - t0)));
    }, { capture: true });
  }

  takeRealHover(): number[] {
    const out = this.realSamples;
    this.realSamples = [];
    return out;
  }
}

(window as unknown as { __benchRender: RenderBench }).__benchRender = new RenderBench();
