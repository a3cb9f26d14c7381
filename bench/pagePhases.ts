// The bench's parts in the real webview page (served by test/browser/harness.ts): WASM load,
// inference and first overlay with memory over many runs, rendering and hover, WebGPU, and the
// page served cross-origin isolated (WASM threads).
import type { Browser } from 'playwright-core';
import { PageServer } from '../test/browser/harness';
import { BenchCase } from './inputs';
import { Context, Natives, log, med } from './context';
import { PanelBench } from './panelPage';
import { RenderBench, allHeadsView, spreadIndices } from './renderPage';
import { medianOrNull, round, slope } from './stats';
import { benchThreads } from './threads';

/** The real webview on WASM: load cold and warm, inference, tokens in → first overlay, memory. */
export async function wasmPanelPhase(x: Context, browser: Browser, server: PageServer, natives: Natives): Promise<void> {
  const { opts } = x;
  const real = x.cases.filter((c) => c.cappedAt === null);
  if (real.length === 0) return;
  const panel = await PanelBench.open(browser, server);
  try {
    await panel.init('wasm');
    const first = await panel.run(real[0]);
    if (first.result.backend !== 'wasm') throw new Error(`asked for WASM, the webview ran ${first.result.backend}`);
    const coldMs = first.result.loadMs > 0 ? first.result.loadMs : null;
    const warm: number[] = [];
    const smallest = real.reduce((a, b) => (b.tokens < a.tokens ? b : a));
    for (let k = 1; k <= (opts.quick ? 1 : 4); k++) {
      await panel.init('wasm', k);
      const r = await panel.run(smallest);
      if (r.result.loadMs > 0) warm.push(r.result.loadMs);
    }
    x.summary.page_load_wasm = { cold_ms: round(coldMs), warm_ms: med(warm) };
    log(`page load (WASM): cold ${coldMs?.toFixed(0)} ms, warm ${medianOrNull(warm)?.toFixed(0)} ms`);
    for (const c of x.cases) {
      const r = x.rows.get(c)!;
      r.load_cold_ms = round(coldMs);
      r.load_ms = med(warm);
    }
    for (const c of real) {
      const r = x.rows.get(c)!;
      for (let k = 0; k < opts.warmup; k++) await panel.run(c);
      const inf: number[] = [];
      const overlay: number[] = [];
      const render: number[] = [];
      const native: number[] = [];
      const ids = c.modelTokens.map((t) => t.id);
      for (let k = 0; k < opts.runs; k++) {
        const t = await panel.run(c);
        inf.push(t.result.inferenceMs);
        overlay.push(t.overlayMs);
        if (t.renderMs !== null) render.push(t.renderMs);
        // The native peer's run right after the page's: both meet the same load from other work
        // on these cores, so their ratio holds even when the absolute numbers move.
        native.push(...(await natives.one.time(ids, 0, 1)));
      }
      r.wasm_ms = med(inf);
      r.first_overlay_ms = med(overlay);
      r.page_render_ms = med(render);
      r.native_ms = med(native);
      r.native_interleaved = true;
      const mem = await panel.memory();
      r.js_heap_bytes = mem.usedBytes;
      r.backing_store_bytes = mem.backingBytes;
      log(`page WASM ${c.kind} ${c.tokens}: inference ${r.wasm_ms} ms (native ${r.native_ms} ms), render ${r.page_render_ms ?? '—'} ms, tokens in → first overlay ${r.first_overlay_ms} ms`);
    }
    if (opts.memoryRuns > 0) await memoryPhase(x, panel, real);
  } finally {
    await panel.close();
  }
}

/** Runs the largest prose case many times, reading the page's memory after each (after GC). */
async function memoryPhase(x: Context, panel: PanelBench, real: BenchCase[]): Promise<void> {
  const c = real.filter((k) => k.kind === 'prose').reduce((a, b) => (b.tokens > a.tokens ? b : a), real[0]);
  const readings = [];
  for (let k = 0; k < x.opts.memoryRuns; k++) {
    await panel.run(c);
    readings.push(await panel.memory());
  }
  // The first runs settle the allocators (WASM memory grows to its peak once); growth is what
  // continues after them.
  const settled = readings.slice(Math.min(5, readings.length - 2));
  const total = settled.map((m) => m.usedBytes + m.backingBytes);
  const growth = slope(total);
  const r = x.rows.get(c)!;
  r.heap_growth_bytes_per_run = round(growth, 0);
  r.memory_runs = readings.length;
  r.dom_nodes_growth_per_run = round(slope(settled.map((m) => m.domNodes)), 3);
  r.listeners_growth_per_run = round(slope(settled.map((m) => m.listeners)), 3);
  x.summary.memory = {
    case: `${c.kind} ${c.tokens}`,
    runs: readings.length,
    js_heap_bytes: readings.map((m) => m.usedBytes),
    backing_store_bytes: readings.map((m) => m.backingBytes),
    dom_nodes: readings.map((m) => m.domNodes),
    listeners: readings.map((m) => m.listeners),
    growth_bytes_per_run: round(growth, 0),
    dom_nodes_growth_per_run: round(slope(settled.map((m) => m.domNodes)), 2),
    listeners_growth_per_run: round(slope(settled.map((m) => m.listeners)), 2),
  };
  log(`memory over ${readings.length} runs of ${c.kind} ${c.tokens}: ${(growth / 1024).toFixed(1)} KiB/run (heap ${(readings.at(-1)!.usedBytes / 2 ** 20).toFixed(1)} MiB, backing stores ${(readings.at(-1)!.backingBytes / 2 ** 20).toFixed(1)} MiB)`);
}

/** Rendering on the webview's components: first paints, the panel, hover with all heads selected. */
export async function renderPhase(x: Context, browser: Browser, server: PageServer): Promise<void> {
  const { opts, model } = x;
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  try {
    const page = await RenderBench.open(context, server);
    const view = allHeadsView(model.config);
    for (const c of x.cases) {
      const r = x.rows.get(c)!;
      const synthetic = c.cappedAt !== null;
      const prep = await page.prepare(synthetic ? c.viewTokens : c.modelTokens, model.config, synthetic);
      r.attention_bytes = synthetic ? null : prep.attentionBytes;
      if (!synthetic) r.query_key_bytes = prep.queryKeyBytes;
      r.synthetic_attention = synthetic;
      if (!opts.quick) {
        r.token_view_paint_ms = med((await page.paintTokens(opts.warmup + opts.runs)).slice(opts.warmup));
        r.grid_paint_ms = med((await page.paintGrid(opts.warmup + opts.runs)).slice(opts.warmup));
      }
      // The first show in a page also builds the panel's controls and defines its custom elements.
      const panel: number[] = [];
      for (let k = 0; k < opts.warmup + opts.runs; k++) panel.push(await page.showInApp(view));
      r.panel_paint_ms = med(panel.slice(opts.warmup));
      const targets = spreadIndices(prep.seq, opts.warmup + 2 * opts.runs);
      const hovers = (await page.hover(targets)).slice(opts.warmup);
      r.hover_ms = med(hovers.map((h) => h.frameMs));
      r.hover_work_ms = med(hovers.filter((h) => h.workMs !== null).map((h) => h.workMs!));
      r.hover_mouse_ms = med((await page.hoverWithMouse(targets)).slice(opts.warmup));
      log(`render ${c.kind} ${c.viewTokens.length}${synthetic ? ' (synthetic attention)' : ''}: tokens ${r.token_view_paint_ms ?? '—'} ms, grid ${r.grid_paint_ms ?? '—'} ms, panel ${r.panel_paint_ms} ms, hover ${r.hover_ms} ms (work ${r.hover_work_ms} ms, real mouse ${r.hover_mouse_ms} ms)`);
    }
    await page.close();
  } finally {
    await context.close();
  }
}

/** The real webview on WebGPU (SwiftShader here): inference and its load. */
export async function webgpuPhase(x: Context, browser: Browser, server: PageServer): Promise<void> {
  const real = x.cases.filter((c) => c.cappedAt === null);
  const panel = await PanelBench.open(browser, server);
  try {
    await panel.init('webgpu');
    const first = await panel.run(real[0], 300_000);
    x.summary.webgpu = { backend: first.result.backend, reason: first.result.backendReason, load_ms: round(first.result.loadMs) };
    if (first.result.backend !== 'webgpu') {
      log(`WebGPU did not run: ${first.result.backendReason}`);
      return;
    }
    // SwiftShader runs WebGPU on the CPU and is slow: fewer runs.
    const runs = Math.min(x.opts.runs, 3);
    for (const c of real) {
      const r = x.rows.get(c)!;
      r.webgpu_load_ms = round(first.result.loadMs);
      await panel.run(c, 300_000);
      const inf: number[] = [];
      for (let k = 0; k < runs; k++) {
        const t = await panel.run(c, 300_000);
        if (t.result.backend !== 'webgpu') throw new Error(`WebGPU fell back to WASM: ${t.result.backendReason}`);
        inf.push(t.result.inferenceMs);
      }
      r.webgpu_ms = med(inf);
      log(`page WebGPU ${c.kind} ${c.tokens}: ${r.webgpu_ms} ms`);
    }
  } finally {
    await panel.close();
  }
}

/** The page served cross-origin isolated: WASM threads, against onnxruntime-node with as many. */
export async function threadsPhase(x: Context, natives: Natives): Promise<void> {
  const c = x.cases.find((k) => k.tokens === x.model.config.max_tokens && k.cappedAt === null);
  if (!c) return;
  const t = await benchThreads(c, natives.pruned.bytes, x.opts.runs, log);
  x.summary.isolated = t;
  const r = x.rows.get(c)!;
  r.wasm_isolated_ms = t.isolated_wasm_ms;
  r.wasm_isolated_threads = t.isolated_threads;
  r.native_same_threads_ms = t.native_same_threads_ms;
  r.wasm_isolated_native_ratio = t.ratio;
}
