// `npm run bench`: how fast select → attention → hover is, against onnxruntime-node and the
// issue's targets. Prints a table and writes bench/results.json (see bench/README.md).
import * as fs from 'fs';
import * as path from 'path';
import { loadModelFolder } from '../src/models/modelFolder';
import { launchBrowser, startServer } from '../test/browser/harness';
import { benchBigModel, prepareBigModel } from './bigModel';
import { Context, Natives, log, med, openNatives } from './context';
import { BenchCase, FULL_SIZES, makeCase } from './inputs';
import { describeMachine, finishMachine } from './machine';
import { NativeModel, measureNativeLoad } from './native';
import { parseOptions } from './options';
import { renderPhase, threadsPhase, wasmPanelPhase, webgpuPhase } from './pagePhases';
import { measurePostprocess } from './postprocess';
import { RENDER_MOUNT } from './renderPage';
import { report } from './report';
import { Results, Row, emptyRow } from './results';
import { ratio, round } from './stats';
import { checkTargets } from './targets';
import { TextKind, describeSource } from './texts';
import { measureTokenize } from './tokenizeBench';
import { benchBigInVsCode, prepareBigModels } from './vscode/bigRows';
import { benchVsCode } from './vscode/launch';
import { fillRow, summarize } from './vscode/phase';

const ROOT = path.resolve(__dirname, '..', '..');
const MODEL_DIR = path.join(ROOT, 'models', 'default');

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
      // --quick: inference and hover only (the reduced set), so under a minute.
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
      const self = opts.vscodeExtension ?? ROOT;
      const extensions = opts.vscodeBaseline ? [opts.vscodeBaseline, self] : [self];
      const reports = await benchVsCode({
        repo: ROOT, extensions, text: prose512.text, windows: opts.vscodeWindows, warmRuns: opts.vscodeWarm, log, profile: opts.vscodeProfile,
        throttle: opts.vscodeThrottleMbit === null ? undefined : { mbit: opts.vscodeThrottleMbit, rttMs: opts.vscodeThrottleRttMs },
      });
      const s = { extension: self, ...summarize(reports.get(self)!) };
      x.summary.vscode = s;
      // The same figures for an earlier build of the extension, timed in turn with this one.
      if (opts.vscodeBaseline) x.summary.vscode_baseline = { extension: opts.vscodeBaseline, ...summarize(reports.get(opts.vscodeBaseline)!) };
      fillRow(rows.get(prose512)!, s);
    });
  }

  if (opts.vscodeBig) {
    await phase('VS Code, big models', failures, async () => {
      const models = prepareBigModels(opts.bigModels);
      const big = await benchBigInVsCode(ROOT, models, {
        sizes: opts.bigSizes, warmRuns: Math.min(opts.vscodeWarm, 2), hovers: 5, log, profile: opts.vscodeProfile,
        throttle: opts.vscodeThrottleMbit === null ? undefined : { mbit: opts.vscodeThrottleMbit, rttMs: opts.vscodeThrottleRttMs },
        extensions: opts.vscodeBaseline ? [opts.vscodeBaseline, opts.vscodeExtension ?? ROOT] : [opts.vscodeExtension ?? ROOT],
        onRow: (rows) => fs.writeFileSync(`${opts.out}.big-partial.json`, JSON.stringify(rows, null, 2)),
      });
      x.summary.big = big;
      for (const b of big) if (b.error) failures.push(`VS Code big ${b.model} ${b.tokens}: ${b.error}`);
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

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`[bench] ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
