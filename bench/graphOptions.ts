// `node out/bench/graphOptions.js [--model DIR_OR_GRAPH] [--tokens 512] [--runs 5] [--only NAME,NAME]`:
// the graph the page runs (webview/modelGraph.ts: attention exposed, everything else cut) under each
// graphOptimizationLevel and the other session options onnxruntime-web 1.30 takes on WASM, with the
// page's WASM kernels (onnxruntime-web's .wasm, one thread, here in Node: the same V8). Each setting
// runs in a child process of its own (a fresh WebAssembly instance and heap), settings interleaved
// over rounds so they meet the same load from other work: session creation, the first run (what the
// page's first Explain pays), and the median of later runs, with the process's CPU time beside it.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ortWeb from 'onnxruntime-web';
import { loadModelFolder } from '../src/models/modelFolder';
import { isAttentionOutput } from '../src/shared/onnxPrune';
import { feedsFor, graphForPage } from '../webview/modelGraph';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '..', '..');

type Options = ortWeb.InferenceSession.SessionOptions;
/** all: onnxruntime-web's default (what the page uses: webview/runtime.ts sessionOptions). */
export const SETTINGS: Record<string, Options> = {
  all: {},
  disabled: { graphOptimizationLevel: 'disabled' },
  basic: { graphOptimizationLevel: 'basic' },
  extended: { graphOptimizationLevel: 'extended' },
  'all-no-mem-pattern': { enableMemPattern: false },
  'all-no-cpu-arena': { enableCpuMemArena: false },
  'basic-no-arena-no-pattern': { graphOptimizationLevel: 'basic', enableCpuMemArena: false, enableMemPattern: false },
};

interface Timing { create_ms: number; first_ms: number; run_ms: number; run_cpu_ms: number; rss_mib: number }

async function child(modelPath: string, setting: string, tokens: number, runs: number): Promise<Timing> {
  const dir = fs.statSync(modelPath).isDirectory() ? modelPath : path.dirname(modelPath).replace(/[\\/]onnx$/, '');
  const model = await loadModelFolder(dir, false);
  const file = fs.statSync(modelPath).isDirectory() ? model.modelFile : modelPath;
  const bytes = new Uint8Array(fs.readFileSync(file));
  const graph = graphForPage(bytes, model.config, file);
  ortWeb.env.wasm.numThreads = 1;
  ortWeb.env.logLevel = 'error';
  const t0 = performance.now();
  const s = await ortWeb.InferenceSession.create(graph.bytes, { executionProviders: ['wasm'], ...SETTINGS[setting] });
  const create = performance.now() - t0;
  const fetches = s.outputNames.filter(isAttentionOutput);
  const ids = Array.from({ length: tokens }, (_, i) => 3 + ((i * 7919) % Math.min(8000, (model.config.vocab_size ?? 8003) - 3)));
  const feeds = feedsFor(ortWeb.Tensor, graph.inputs, ids);
  const t1 = performance.now();
  await s.run(feeds, fetches);
  const first = performance.now() - t1;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < runs; k++) {
    const c0 = process.cpuUsage();
    const t = performance.now();
    await s.run(feeds, fetches);
    wall.push(performance.now() - t);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  await s.release();
  return { create_ms: create, first_ms: first, run_ms: median(wall), run_cpu_ms: median(cpu), rss_mib: process.resourceUsage().maxRSS / 1024 };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (k: string, d: string): string => {
    const i = argv.indexOf(k);
    return i >= 0 && argv[i + 1] ? argv[i + 1] : d;
  };
  const model = path.resolve(opt('--model', path.join(ROOT, 'models', 'default')));
  const tokens = Number(opt('--tokens', '512'));
  const runs = Number(opt('--runs', '5'));
  if (argv[0] === '--child') {
    const t = await child(model, opt('--setting', 'all'), tokens, runs);
    process.stdout.write(`TIMING ${JSON.stringify(t)}\n`);
    return;
  }
  const rounds = Number(opt('--rounds', '2'));
  const names = opt('--only', Object.keys(SETTINGS).join(',')).split(',');
  for (const n of names) if (!(n in SETTINGS)) throw new Error(`unknown setting ${n}; known: ${Object.keys(SETTINGS).join(', ')}`);
  const got = new Map<string, Timing[]>(names.map((n) => [n, []]));
  const load0 = os.loadavg()[0];
  console.log(`${new Date().toISOString()} ${model}, ${tokens} tokens, ${runs} runs, ${rounds} rounds, load ${os.loadavg().join(' ')}`);
  for (let r = 0; r < rounds; r++) {
    for (const n of names) {
      const out = execFileSync(process.execPath, [__filename, '--child', '--model', model, '--setting', n, '--tokens', String(tokens), '--runs', String(runs)], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      const line = /^TIMING (.*)$/m.exec(out);
      if (!line) throw new Error(`${n}: no timing\n${out.slice(0, 2000)}`);
      const t = JSON.parse(line[1]) as Timing;
      got.get(n)!.push(t);
      console.log(`round ${r + 1} ${n}: create ${t.create_ms.toFixed(0)} ms, first run ${t.first_ms.toFixed(0)} ms, run ${t.run_ms.toFixed(0)} ms (CPU ${t.run_cpu_ms.toFixed(0)}), peak RSS ${t.rss_mib.toFixed(0)} MiB`);
    }
  }
  console.log(`\n| setting | session create | first run | later runs (CPU) | peak RSS |\n| --- | --: | --: | --: | --: |`);
  const m = (xs: number[]) => median(xs).toFixed(0);
  for (const [n, ts] of got) {
    console.log(`| ${n} | ${m(ts.map((t) => t.create_ms))} ms | ${m(ts.map((t) => t.first_ms))} ms | ${m(ts.map((t) => t.run_ms))} ms (${m(ts.map((t) => t.run_cpu_ms))}) | ${m(ts.map((t) => t.rss_mib))} MiB |`);
  }
  console.log(`load ${load0} → ${os.loadavg()[0]} (1 min)`);
}

main().catch((e: unknown) => {
  console.error((e as Error).stack ?? e);
  process.exit(1);
});
