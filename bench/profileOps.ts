// `node out/bench/profileOps.js [tokens]`: where inference time goes, per operator type, for the
// WASM kernels the page runs (onnxruntime-web's WebAssembly build, single-threaded, here in Node:
// the same .wasm and the same V8) and for onnxruntime-node with one thread — on model.onnx as
// shipped and on the graph the page runs (cut to attentions, queries and keys). Uses
// onnxruntime's own per-node profiler; CPU time of the process is printed beside wall time, since
// other work shares these cores.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { isAttentionOutput, pruneOnnx } from '../src/shared/onnxPrune';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '..', '..');

interface TraceEvent { cat: string; name: string; dur: number; ts: number; args?: { op_name?: string } }

/** Per operator type, the mean kernel time (ms) per run over an onnxruntime profile's runs after the first. */
function byOp(events: TraceEvent[]): Map<string, number> {
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  const from = runs.length > 1 ? runs[1].ts : 0;
  const counted = Math.max(1, runs.length - 1);
  const out = new Map<string, number>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < from) continue;
    const op = e.args?.op_name ?? '?';
    out.set(op, (out.get(op) ?? 0) + e.dur / 1000 / counted);
  }
  return out;
}

function parseTrace(text: string): TraceEvent[] {
  return JSON.parse(text.slice(text.indexOf('['), text.lastIndexOf(']') + 1)) as TraceEvent[];
}

type Timed = { wallMs: number; cpuMs: number };

async function timeRuns(run: () => Promise<unknown>, runs: number): Promise<Timed> {
  await run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

/**
 * onnxruntime-web's WASM build prints its profile straight to the process's stdout, so it runs in
 * a child process (this script with --wasm-child) whose output is read here.
 */
function webProfile(graph: 'whole' | 'cut', seq: number, runs: number): { t: Timed; ops: Map<string, number> } {
  const out = execFileSync(process.execPath, [__filename, '--wasm-child', graph, String(seq), String(runs)], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  const timing = /^TIMING (.*)$/m.exec(out);
  if (!timing) throw new Error(`the WASM child printed no timing:\n${out.slice(0, 2000)}`);
  return { t: JSON.parse(timing[1]) as Timed, ops: byOp(parseTrace(out.slice(timing.index + timing[0].length))) };
}

async function wasmChild(graph: string, seq: number, runs: number): Promise<void> {
  const bytes = graph === 'cut' ? pruneOnnx(readModel(), isAttentionOutput).bytes : readModel();
  ortWeb.env.wasm.numThreads = 1;
  const s = await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'], enableProfiling: true });
  const fetches = s.outputNames.filter(isAttentionOutput);
  const feeds = { input_ids: new ortWeb.Tensor('int64', inputIds(seq), [1, seq]) };
  const t = await timeRuns(() => s.run(feeds, fetches), runs);
  console.log(`TIMING ${JSON.stringify(t)}`);
  s.endProfiling();
  await s.release();
}

const readModel = (): Uint8Array => new Uint8Array(fs.readFileSync(path.join(ROOT, 'models', 'default', 'model.onnx')));
const inputIds = (seq: number): BigInt64Array => BigInt64Array.from({ length: seq }, (_, i) => BigInt(i === 0 ? 0 : (i * 7919) % 8000));

async function nativeProfile(bytes: Uint8Array, seq: number, runs: number): Promise<{ t: Timed; ops: Map<string, number> }> {
  const prefix = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'al-prof-')), 'native');
  const s = await ortNode.InferenceSession.create(bytes, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', enableProfiling: true, profileFilePrefix: prefix,
  });
  const fetches = s.outputNames.filter(isAttentionOutput);
  const feeds = { input_ids: new ortNode.Tensor('int64', inputIds(seq), [1, seq]) };
  const t = await timeRuns(() => s.run(feeds, fetches), runs);
  s.endProfiling();
  await s.release();
  const dir = path.dirname(prefix);
  const file = fs.readdirSync(dir).find((f) => f.startsWith('native') && f.endsWith('.json'));
  if (!file) throw new Error('onnxruntime-node wrote no profile');
  const ops = byOp(parseTrace(fs.readFileSync(path.join(dir, file), 'utf8')));
  fs.rmSync(dir, { recursive: true, force: true });
  return { t, ops };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--wasm-child') return wasmChild(args[1], Number(args[2]), Number(args[3]));
  const seq = Number(args[0] ?? 512);
  const runs = 5;
  const whole = readModel();
  const cut = pruneOnnx(whole, isAttentionOutput);
  console.log(`${seq} tokens, ${runs} runs each, one thread; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`cut graph: without ${cut.removedOutputs.join(', ')} and ${cut.removedNodes} nodes\n`);
  const results: [string, { t: Timed; ops: Map<string, number> }][] = [];
  for (const [graph, bytes] of [['whole', whole], ['cut', cut.bytes]] as const) {
    results.push([`wasm   ${graph}`, webProfile(graph, seq, runs)]);
    results.push([`native ${graph}`, await nativeProfile(bytes, seq, runs)]);
  }
  const ops = [...new Set(results.flatMap(([, r]) => [...r.ops.keys()]))]
    .sort((a, b) => (results[0][1].ops.get(b) ?? 0) - (results[0][1].ops.get(a) ?? 0)).slice(0, 8);
  const heads = ['wall ms', 'cpu ms', ...ops];
  const width = heads.map((h) => Math.max(9, h.length + 2));
  console.log(''.padEnd(13) + heads.map((h, i) => h.padStart(width[i])).join(''));
  for (const [name, r] of results) {
    const cells = [r.t.wallMs, r.t.cpuMs, ...ops.map((o) => r.ops.get(o) ?? 0)].map((v, i) => v.toFixed(1).padStart(width[i]));
    console.log(name.padEnd(13) + cells.join(''));
  }
  const ratio = (a: string, b: string): string => {
    const x = results.find(([n]) => n === a)![1].t.cpuMs;
    const y = results.find(([n]) => n === b)![1].t.cpuMs;
    return (x / y).toFixed(2);
  };
  console.log(`\nwasm/native (cpu): whole graph ${ratio('wasm   whole', 'native whole')}×, cut graph ${ratio('wasm   cut', 'native cut')}×`);
  console.log(`cut/whole (cpu): wasm ${ratio('wasm   cut', 'wasm   whole')}, native ${ratio('native cut', 'native whole')}`);
  console.log('(medians of the runs; per-operator columns: mean kernel ms per run, from onnxruntime\'s profiler)');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
