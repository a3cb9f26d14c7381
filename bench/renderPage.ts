// Drives the rendering bench page (bench/page/render.ts, bundled to out/bench-page/): first
// paint of the token view and of the layers × heads grid, the panel's first paint, and hover →
// highlight, on the webview's own components.
import * as path from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import type { ModelConfig } from '../src/shared/modelConfig';
import type { TokenInfo } from '../src/shared/protocol';
import { PageServer, themesForPage } from '../test/browser/harness';
import type { ViewState } from '../webview/viewState';
import type { HoverSample, Prepared, PrepareSpec } from './page/render';

/** The URL prefix the bench page is served under, and the folder it is built into. */
// out/bench-page/, not out/bench/page/: a tsc emit of the project (CommonJS) would overwrite the bundle there.
export const RENDER_MOUNT: [string, string] = ['/bench/', path.join(__dirname, '..', 'bench-page')];

type Bench = {
  setTheme(vars: Record<string, string>, bodyClass: string): void;
  prepare(spec: PrepareSpec): Promise<Prepared>;
  paintTokens(runs: number): Promise<number[]>;
  paintGrid(runs: number): Promise<number[]>;
  showInApp(view: ViewState): Promise<number>;
  hover(i: number): Promise<HoverSample>;
  litCount(): number;
  pointAt(i: number): Promise<{ x: number; y: number }>;
  armRealHover(): void;
  takeRealHover(): number[];
};

/** "All heads selected": several-heads mode with every head, in the last layer. */
export function allHeadsView(config: ModelConfig): ViewState {
  const heads = Array.from({ length: config.num_heads }, (_, h) => h);
  return { layer: config.num_layers - 1, head: 0, heads, mode: 'heads', direction: 'from' };
}

/** `count` token indices spread over the text (bos left out), the last one included. */
export function spreadIndices(seq: number, count: number): number[] {
  const out = new Set<number>();
  for (let k = 0; k < count; k++) out.add(Math.max(1, Math.round(((k + 1) * (seq - 1)) / count)));
  return [...out];
}

export class RenderBench {
  private runId = 0;
  private constructor(private readonly context: BrowserContext, readonly page: Page, private readonly server: PageServer) {}

  static async open(context: BrowserContext, server: PageServer): Promise<RenderBench> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.origin}/bench/render.html`);
    await page.waitForFunction(() => '__benchRender' in window, undefined, { timeout: 30_000 }).catch(() => {
      throw new Error(`the render bench page did not start: ${errors.join(' | ') || 'no error shown'}`);
    });
    const b = new RenderBench(context, page, server);
    await b.call('setTheme', themesForPage().dark, 'vscode-dark');
    return b;
  }

  /** Calls a method of the page's __benchRender with JSON-able arguments. */
  private call<K extends keyof Bench>(method: K, ...args: Parameters<Bench[K]>): Promise<Awaited<ReturnType<Bench[K]>>> {
    return this.page.evaluate(
      ([m, a]) => {
        const b = (window as unknown as { __benchRender: Record<string, (...xs: unknown[]) => unknown> }).__benchRender;
        return b[m](...a);
      },
      [method, args as unknown[]] as const,
    ) as Promise<Awaited<ReturnType<Bench[K]>>>;
  }

  /** `modelPath`: the model's path on the bench's server (default: the bundled model). */
  prepare(tokens: TokenInfo[], config: ModelConfig, synthetic: boolean, modelPath = '/models/default/model.onnx'): Promise<Prepared> {
    const spec: PrepareSpec = {
      runId: ++this.runId, tokens, config, synthetic,
      modelUri: `${this.server.origin}${modelPath}`, wasmBase: `${this.server.origin}/dist/webview/`,
    };
    return this.call('prepare', spec);
  }

  paintTokens(runs: number): Promise<number[]> {
    return this.call('paintTokens', runs);
  }

  paintGrid(runs: number): Promise<number[]> {
    return this.call('paintGrid', runs);
  }

  showInApp(view: ViewState): Promise<number> {
    return this.call('showInApp', view);
  }

  /**
   * Hover samples on `indices`: each a pointerover dispatched on the token at a frame's start and
   * timed to the end of that frame; a hover that lights nothing is an error, not a fast sample.
   */
  async hover(indices: readonly number[]): Promise<HoverSample[]> {
    const out: HoverSample[] = [];
    for (const i of indices) {
      const s = await this.call('hover', i);
      const lit = await this.call('litCount');
      if (lit === 0) throw new Error(`hovering token ${i} lit nothing`);
      out.push(s);
    }
    return out;
  }

  /** The same through real mouse moves (the browser's input pipeline, hit testing included). */
  async hoverWithMouse(indices: readonly number[]): Promise<number[]> {
    await this.call('armRealHover');
    await this.call('takeRealHover');
    for (const i of indices) {
      const p = await this.call('pointAt', i);
      await this.page.mouse.move(p.x, p.y);
      await this.page.waitForFunction(() => true, undefined, { polling: 'raf' });
    }
    await this.page.waitForTimeout(100);
    return this.call('takeRealHover');
  }

  close(): Promise<void> {
    return this.page.close();
  }
}
