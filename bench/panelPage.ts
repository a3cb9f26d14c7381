// Measurements in the real webview page (dist/webview/main.js under the host's HTML and CSP,
// served and driven by test/browser/harness.ts): model load, inference, tokens in → first overlay
// painted, and memory over many runs. Messages go in as the host sends them; the page is timed
// with its own clock (performance.now()).
import type { Browser } from 'playwright-core';
import type { Backend, InitMessage, ResultMessage, RunMessage, ToWebview } from '../src/shared/protocol';
import { PageServer, initMessage, is, openPanel, Panel } from '../test/browser/harness';
import { HeapProbe, HeapReading } from './heap';
import { BenchCase } from './inputs';

export interface RunTiming {
  result: ResultMessage;
  /** From posting the run message into the page to the end of the frame that shows the focus token's targets. */
  overlayMs: number;
  /** The webview's own measure of its render of the result (attention-lens:render: DOM built, grid drawn), JS only. */
  renderMs: number | null;
}

/** Installs, in the page, a listener on what the webview posts, and `__benchPanel.run`. */
function installProbe(): void {
  type Msg = { type: string; runId?: number | null; tokenIndex?: number | null; message?: string };
  const w = window as unknown as { __driver: { posted: Msg[] }; __benchPanel: unknown };
  const posted = w.__driver.posted;
  const listeners = new Set<(m: Msg) => void>();
  const push = posted.push.bind(posted);
  posted.push = (...ms: Msg[]): number => {
    for (const m of ms) for (const l of [...listeners]) l(m);
    return push(...ms);
  };
  const afterFrame = (): Promise<number> => new Promise((resolve) => {
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve(performance.now());
      ch.port2.postMessage(0);
    });
  });
  w.__benchPanel = {
    run(msg: { runId: number; focus: number | null }, timeoutMs: number): Promise<{ result: Msg; overlayMs: number; renderMs: number | null }> {
      return new Promise((resolve, reject) => {
        let result: Msg | null = null;
        const done = (e: Error | null, value?: { result: Msg; overlayMs: number; renderMs: number | null }): void => {
          listeners.delete(on);
          clearTimeout(timer);
          // The driver's record of messages would grow with every run; the bench reads its own.
          posted.length = 0;
          if (e) reject(e);
          else resolve(value!);
        };
        const on = (m: Msg): void => {
          if (m.type === 'error' && (m.runId === msg.runId || m.runId === null)) return done(new Error(`the webview posted an error: ${m.message}`));
          if (m.runId !== msg.runId) return;
          if (m.type === 'result') result = m;
          else if (result && m.type === 'highlight' && m.tokenIndex === msg.focus) {
            const r = result;
            const render = performance.getEntriesByName('attention-lens:render', 'measure').at(-1);
            void afterFrame().then((t1) => done(null, { result: r, overlayMs: t1 - t0, renderMs: render ? render.duration : null }));
          }
        };
        const timer = setTimeout(() => done(new Error(`run ${msg.runId}: no result and overlay in ${timeoutMs} ms`)), timeoutMs);
        listeners.add(on);
        const t0 = performance.now();
        window.postMessage(msg, '*');
      });
    },
  };
}

export class PanelBench {
  private runId = 0;
  private heap: HeapProbe | null = null;

  private constructor(readonly panel: Panel, private readonly server: PageServer) {}

  /** Opens the webview in a fresh browser context and waits for its `ready`. */
  static async open(browser: Browser, server: PageServer): Promise<PanelBench> {
    const panel = await openPanel(browser, server);
    await panel.waitFor(is.ready, { timeoutMs: 30_000 });
    await panel.page.evaluate(installProbe);
    return new PanelBench(panel, server);
  }

  /**
   * Sends init. A `variant` makes the model URI differ, which the webview takes as a new model:
   * it loads and creates a session again (a warm load: the runtime is already in the page).
   */
  async init(backend: Backend, variant = 0): Promise<void> {
    const msg = initMessage(this.server, backend) as Extract<ToWebview, { type: 'init' }>;
    if (variant > 0) msg.model.modelUri += `?load=${variant}`;
    await this.panel.send(msg);
  }

  /** Sends init for another model served by the bench's server (e.g. the 124 M-parameter one). */
  async initModel(model: InitMessage['model'], backend: Backend = 'wasm'): Promise<void> {
    await this.panel.send({ type: 'init', model, wasmBase: `${this.server.origin}/dist/webview/`, backend });
  }

  /** One run of a case, focus on its last token (the longest row); the result and the overlay time. */
  async run(c: BenchCase, timeoutMs = 120_000): Promise<RunTiming> {
    const focus = c.modelTokens.length - 1;
    const msg: RunMessage = {
      type: 'run', runId: ++this.runId, source: { fileName: `${c.kind}.txt`, languageId: c.kind === 'code' ? 'javascript' : 'plaintext' },
      tokens: c.modelTokens, truncation: null, focus, explain: false,
    };
    return this.panel.page.evaluate(
      ([m, t]) => (window as unknown as { __benchPanel: { run(m: unknown, t: number): Promise<RunTiming> } }).__benchPanel.run(m, t),
      [msg, timeoutMs] as const,
    );
  }

  async memory(): Promise<HeapReading> {
    this.heap ??= await HeapProbe.attach(this.panel.page);
    return this.heap.read();
  }

  async close(): Promise<void> {
    await this.heap?.detach().catch(() => undefined);
    await this.panel.close();
  }
}
