// `npm run bench`: how fast select → attention → hover is, against onnxruntime-node and the
// issue's targets. Prints a table and writes bench/results.json (see bench/README.md).
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { ModelFolder, loadModelFolder } from '../src/modelFolder';
import { Pruned, isAttentionOutput, pruneOnnx } from '../src/shared/onnxPrune';
import { PageServer, launchBrowser, startServer } from '../test/browser/harness';
import { BenchCase, FULL_SIZES, makeCase } from './inputs';
import { describeMachine, finishMachine } from './machine';
import { NativeModel, measureNativeLoad } from './native';
import { BenchOptions, parseOptions } from './options';
import { PanelBench } from './panelPage';
import { measurePostprocess } from './postprocess';
import { RENDER_MOUNT, RenderBench, allHeadsView, spreadIndices } from './renderPage';
import { Results, Row, emptyRow } from './results';
import { median, medianOrNull, ratio, round, slope } from './stats';
import { formatTable, formatTargets } from './table';
import { checkTargets } from './targets';
import { TextKind, describeSource } from './texts';
import { benchBigModel, prepareBigModel } from './bigModel';
import { benchThreads } from './threads';
import { benchVsCode } from './vscode/launch';
import { VsCodeSummary, fillRow, summarize } from './vscode/phase';
import { measureTokenize } from './tokenizeBench';

const ROOT = path.resolve(__dirname, '..', '..');
const MODEL_DIR = path.join(ROOT, 'models', 'default');

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

const med = (xs: number[]): number | null => round(medianOrNull(xs));

/** The native peer on the graph the page runs (see nativePhase). */
interface Natives {
  one: NativeModel;
  dflt: NativeModel;
  pruned: Pruned;
}

async function openNatives(model: ModelFolder): Promise<Natives> {
  const pruned = pruneOnnx(new Uint8Array(fs.readFileSync(model.modelFile)), isAttentionOutput);
  return { one: await NativeModel.open(pruned.bytes, 'one'), dflt: await NativeModel.open(pruned.bytes, 'default'), pruned };
}

interface Context {
  opts: BenchOptions;
  model: ModelFolder;
  cases: BenchCase[];
  rows: Map<BenchCase, Row>;
  /** Figures about the whole run rather than one row. */
  summary: Record<string, unknown>;
}

/** Host: tokenization with offsets, exactly as the extension tokenizes a selection. */
async function hostPhase(x: Context): Promise<void> {
  for (const c of x.cases) {
    x.rows.get(c)!.tokenize_ms = med(await measureTokenize(x.model.tokenizer, c.text, x.model.config, x.opts.warmup, x.opts.runs));
  }
  log('tokenization done');
}

/**
 * The native peer: onnxruntime-node on the graph the page runs (the model cut to its attention
 * outputs, as webview/inference.ts cuts it), with one thread and with its default threads, and on
 * model.onnx as shipped; and post-processing on its attention.
 */
async function nativePhase(x: Context, natives: Natives): Promise<void> {
  const { opts, model } = x;
  const { config } = model;
  const load = await measureNativeLoad(model.modelFile, opts.quick ? 1 : 4);
  x.summary.native_load = { cold_ms: round(load.coldMs), warm_ms: med(load.warmMs) };
  const whole = await NativeModel.open(model.modelFile, 'one');
  try {
    for (const c of x.cases) {
      const r = x.rows.get(c)!;
      r.native_load_cold_ms = round(load.coldMs);
      r.native_load_warm_ms = med(load.warmMs);
      if (c.cappedAt !== null) continue;
      const ids = c.modelTokens.map((t) => t.id);
      r.native_ms = med(await natives.one.time(ids, opts.warmup, opts.runs));
      r.native_default_ms = med(await natives.dflt.time(ids, opts.warmup, opts.runs));
      // --quick: inference and hover only (the issue's reduced set), so under a minute.
      if (opts.quick) {
        log(`native ${c.kind} ${c.tokens}: 1 thread ${r.native_ms} ms, default threads ${r.native_default_ms} ms`);
        continue;
      }
      r.native_whole_model_ms = med(await whole.time(ids, opts.warmup, opts.runs));
      const stack = await natives.one.attention(ids, config.num_layers, config.num_heads);
      const pp = await measurePostprocess(stack, c.modelTokens, config, opts.warmup, opts.runs);
      r.postprocess_ms = round(pp.totalMs);
      r.postprocess_parts = {
        aggregate_ms: round(pp.aggregateMs)!, rollout_row_ms: round(pp.rolloutRowMs)!, topk_ms: round(pp.topkMs)!, explain_ms: round(pp.explainMs)!,
        rollout_full_ms: round(pp.rolloutFullMs)!,
      };
      log(`native ${c.kind} ${c.tokens}: 1 thread ${r.native_ms} ms, default threads ${r.native_default_ms} ms, whole model.onnx ${r.native_whole_model_ms ?? '—'} ms; post-processing ${r.postprocess_ms ?? '—'} ms`);
    }
  } finally {
    await whole.release();
  }
}

/** The real webview on WASM: load cold and warm, inference, tokens in → first overlay, memory. */
async function wasmPanelPhase(x: Context, browser: Browser, server: PageServer, natives: Natives): Promise<void> {
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
async function renderPhase(x: Context, browser: Browser, server: PageServer): Promise<void> {
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
async function webgpuPhase(x: Context, browser: Browser, server: PageServer): Promise<void> {
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

/** Host, native and the page in Chromium (everything but the real VS Code). */
async function pagePhases(x: Context, failures: string[]): Promise<void> {
  const { opts, model } = x;
  await phase('host', failures, () => hostPhase(x));
  const natives = await openNatives(model);
  x.summary.graph_in_page = {
    note: 'webview/inference.ts runs model.onnx cut to its attention, query and key outputs; native_ms runs the same cut graph',
    removed_outputs: natives.pruned.removedOutputs, removed_nodes: natives.pruned.removedNodes,
  };
  await phase('native', failures, () => nativePhase(x, natives));
  // One browser without WebGPU (WASM, rendering, memory), then one with it: few launches, since
  // the cores are shared.
  const server = await startServer({ extraMounts: [RENDER_MOUNT] });
  try {
    let browser = await launchBrowser({ webgpu: false });
    x.summary.chromium = browser.version();
    try {
      await phase('page WASM', failures, () => wasmPanelPhase(x, browser, server, natives));
      await phase('page WASM, cross-origin isolated', failures, () => threadsPhase(x, natives));
      await phase('rendering', failures, () => renderPhase(x, browser, server));
    } finally {
      await browser.close();
    }
    if (opts.webgpu) {
      browser = await launchBrowser({ webgpu: true });
      try {
        await phase('page WebGPU', failures, () => webgpuPhase(x, browser, server));
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
    await natives.one.release();
    await natives.dflt.release();
  }
}

/** The 124 M-parameter model in the page (its own server mount and browser). */
async function bigModelPhase(x: Context): Promise<void> {
  const big = prepareBigModel();
  const server = await startServer({ extraMounts: [RENDER_MOUNT, big.mount] });
  const browser = await launchBrowser({ webgpu: false });
  try {
    const { rows, summary } = await benchBigModel(ROOT, big, browser, server, x.opts.runs, log);
    x.summary.big_model = { ...summary, rows };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The page served cross-origin isolated: WASM threads, against onnxruntime-node with as many. */
async function threadsPhase(x: Context, natives: Natives): Promise<void> {
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

/** Runs one phase; a failure is recorded (its figures stay null) and the others still run. */
async function phase(name: string, failures: string[], fn: () => Promise<void>): Promise<void> {
  const t0 = performance.now();
  try {
    await fn();
  } catch (e) {
    failures.push(`${name}: ${(e as Error).message}`);
    log(`${name} FAILED: ${(e as Error).stack ?? e}`);
  }
  log(`${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2), path.join(ROOT, 'bench', 'results.json'));
  const started = performance.now();
  const machine = describeMachine();
  log(`${machine.cpus} × ${machine.model}, load average ${machine.loadavgStart.join(' ')}${opts.quick ? ' (quick)' : ''}`);

  const model = await loadModelFolder(MODEL_DIR, true);
  const { config } = model;
  const kinds: TextKind[] = opts.texts ?? (opts.quick ? ['prose'] : ['prose', 'code']);
  const sizes = opts.sizes ?? (opts.quick ? [config.max_tokens, 1024] : [...FULL_SIZES]);
  const cases: BenchCase[] = [];
  for (const kind of kinds) {
    for (const n of sizes) if (!cases.some((c) => c.kind === kind && c.tokens === n)) cases.push(makeCase(ROOT, model.tokenizer, config, kind, n));
  }
  const rows = new Map<BenchCase, Row>(cases.map((c) => [c, { ...emptyRow(c.kind, c.tokens), capped_at: c.cappedAt }]));
  const x: Context = { opts, model, cases, rows, summary: {} };
  const failures: string[] = [];

  if (!opts.vscodeOnly) await pagePhases(x, failures);
  if (opts.big) await phase('big model', failures, () => bigModelPhase(x));
  const prose512 = cases.find((c) => c.kind === 'prose' && c.tokens === config.max_tokens && c.cappedAt === null);
  if (opts.vscodeWindows > 0 && prose512) {
    await phase('VS Code', failures, async () => {
      const extensions = opts.vscodeBaseline ? [opts.vscodeBaseline, ROOT] : [ROOT];
      const reports = await benchVsCode({ repo: ROOT, extensions, text: prose512.text, windows: opts.vscodeWindows, warmRuns: opts.vscodeWarm, log });
      const s = summarize(reports.get(ROOT)!);
      x.summary.vscode = s;
      // The same figures for an earlier build of the extension, timed in turn with this one.
      if (opts.vscodeBaseline) x.summary.vscode_baseline = { extension: opts.vscodeBaseline, ...summarize(reports.get(opts.vscodeBaseline)!) };
      fillRow(rows.get(prose512)!, s);
    });
  }

  for (const r of rows.values()) {
    r.wasm_native_ratio = round(ratio(r.wasm_ms, r.native_ms));
    r.webgpu_native_ratio = round(ratio(r.webgpu_ms, r.native_ms));
  }
  const list = [...rows.values()];
  const targets = checkTargets(list);
  const results: Results = {
    when: new Date().toISOString(),
    machine: finishMachine(machine),
    rows: list,
    model: { name: config.name, layers: config.num_layers, heads: config.num_heads, max_tokens: config.max_tokens, bytes: model.sizeBytes },
    texts: { prose: describeSource('prose'), code: describeSource('code') },
    runs: { warmup: opts.warmup, measured: opts.runs, memory_runs: opts.memoryRuns, quick: opts.quick },
    ...x.summary,
    targets,
    failures,
    wall_s: round((performance.now() - started) / 1000, 1),
  };
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  fs.writeFileSync(opts.out, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(report(results, list, targets, opts) + '\n');
  return failures.length ? 1 : 0;
}

function report(results: Results, list: Row[], targets: ReturnType<typeof checkTargets>, opts: BenchOptions): string {
  const m = results.machine;
  const out: string[] = [];
  out.push(`Attention Lens benchmark — ${results.when}${opts.quick ? ' (quick)' : ''}`);
  out.push(`${m.cpus} × ${m.model}, ${m.memGiB} GiB, Node ${m.node}, ${m.chromium ?? 'no Chromium'}`);
  out.push(`load average at start ${m.loadavgStart.join(' ')}, at end ${m.loadavgEnd!.join(' ')} (other work on these cores moves the numbers)`);
  const model = results.model as { name: string; layers: number; heads: number; max_tokens: number };
  out.push(`model ${model.name}: ${model.layers} layers × ${model.heads} heads, context ${model.max_tokens}; medians of ${opts.runs} runs after ${opts.warmup} warm-up`);
  out.push('');
  out.push(formatTable(list));
  out.push('');
  out.push('ms unless said; — not measured; ×native: over onnxruntime-node with one thread (as the webview\'s WASM).');
  const capped = list.find((r) => r.capped_at);
  if (capped) out.push(`* ${capped.tokens} tokens is more than the model's context (${capped.capped_at}): no inference at that size; tokenize is the host cutting the text to its ${capped.capped_at}-token window.`);
  if (list.some((r) => r.synthetic_attention)) out.push('† SYNTHETIC attention of the model\'s shape (layers × heads × seq × seq), fed to the real renderer for paint and hover only; every inference figure is real.');
  const load = results.page_load_wasm as { cold_ms: number | null; warm_ms: number | null } | undefined;
  const nload = results.native_load as { cold_ms: number | null; warm_ms: number | null } | undefined;
  if (load) out.push(`model load + session in the page (WASM): cold ${load.cold_ms ?? '—'} ms, warm ${load.warm_ms ?? '—'} ms`);
  if (nload) out.push(`session creation, onnxruntime-node: cold ${nload.cold_ms ?? '—'} ms, warm ${nload.warm_ms ?? '—'} ms`);
  const bigRows = (results.big_model as { rows: Row[] } | undefined)?.rows;
  if (bigRows) {
    out.push('124 M-parameter GPT-2-shaped model (random weights), WASM in the page, prose:');
    for (const r of bigRows) {
      out.push(`  ${r.tokens} tokens: load (cold page) ${r.load_cold_ms ?? '—'} ms, inference ${r.wasm_ms ?? '—'} ms, first overlay ${r.first_overlay_ms ?? '—'} ms, hover ${r.hover_ms ?? '—'} ms, attention ${r.attention_bytes === null ? '—' : (r.attention_bytes / 2 ** 20).toFixed(0)} MiB, buffers ${r.backing_store_bytes ? (r.backing_store_bytes / 2 ** 20).toFixed(0) : '—'} MiB`);
    }
  }
  const base = results.vscode_baseline as VsCodeSummary | undefined;
  for (const [label, v] of [['', results.vscode], [' — BASELINE build', base]] as const) {
    const vs = v as VsCodeSummary | undefined;
    if (!vs) continue;
    const show = (sp: Record<string, number | null>) => Object.entries(sp).map(([k, v]) => `${k.replace(/_ms$/, '')} ${v === null ? '—' : v.toFixed(0)}`).join(', ');
    out.push(`real VS Code${label} (code-server + Chromium, ${vs.backend}), command → first overlay, ${vs.windows} new window(s), ${vs.warm_runs} warm runs; ms from the command:`);
    out.push(`  cold: ${show(vs.cold)}`);
    out.push(`  warm: ${show(vs.warm)}`);
    out.push(`  cold fetches: ${Object.entries(vs.cold_fetches).map(([f, v]) => `${f} ${(v.bytes / 1e6).toFixed(1)} MB at +${v.start_ms?.toFixed(0)} took ${v.fetch_ms?.toFixed(0)}`).join('; ')}`);
  }
  const gpu = results.webgpu as { backend: string; reason: string | null } | undefined;
  if (gpu && gpu.backend !== 'webgpu') out.push(`WebGPU did not run: ${gpu.reason}`);
  out.push('');
  out.push('Targets:');
  out.push(formatTargets(targets));
  for (const f of results.failures as string[]) out.push(`FAILED: ${f}`);
  out.push('');
  out.push(`wrote ${path.relative(process.cwd(), opts.out) || opts.out} in ${results.wall_s} s`);
  return out.join('\n');
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`[bench] ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
