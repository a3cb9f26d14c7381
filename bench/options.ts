// Command-line options of `npm run bench`.
import * as path from 'path';
import type { TextKind } from './texts';
import { BIG_MODELS, BIG_VSCODE_SIZES, BigModelName } from './vscode/bigRows';

export interface BenchOptions {
  /** The reduced set: 512 tokens of prose, WASM, native and hover only. */
  quick: boolean;
  /** Unmeasured runs before the measured ones. */
  warmup: number;
  /** Measured runs per figure (the median is reported). */
  runs: number;
  /** Page runs for the memory-growth check (0: no check). */
  memoryRuns: number;
  /** Token counts (bos included); null: the defaults. */
  sizes: number[] | null;
  texts: TextKind[] | null;
  /** Run the WebGPU part (a second Chromium, started with --enable-unsafe-webgpu). */
  webgpu: boolean;
  /** New VS Code windows (code-server + Chromium), each timed cold (0: no VS Code rows). */
  vscodeWindows: number;
  /** Warm commands in each VS Code window. */
  vscodeWarm: number;
  /** Only the VS Code rows (skip the page, native, rendering and big-model parts unless --big). */
  vscodeOnly: boolean;
  /** An earlier build of the extension (a folder with dist/), timed window by window in turn with this one. */
  vscodeBaseline: string | null;
  /** The extension build the VS Code rows time (a folder with dist/); null: this repository. */
  vscodeExtension: string | null;
  /** The 124 M-parameter model's rows (bench/bigModel.ts). */
  big: boolean;
  /** The real-size models in the real VS Code (bench/vscode/bigRows.ts → results.json big); never in --quick. */
  vscodeBig: boolean;
  bigModels: BigModelName[];
  /** Token counts of the big rows in the real VS Code (one new window each). */
  bigSizes: number[];
  /** fresh: every VS Code window an empty Chromium profile; same: one kept profile per extension (window 1 a user's first, the rest later ones). */
  vscodeProfile: 'fresh' | 'same';
  /** A slow link between Chromium and code-server (bench/vscode/throttle.ts): Mbit/s each way; null: none. */
  vscodeThrottleMbit: number | null;
  /** The round trip that link adds (half each way). */
  vscodeThrottleRttMs: number;
  /** Where results.json goes. */
  out: string;
}

const USAGE = `usage: npm run bench -- [--quick] [--runs N] [--warmup N] [--memory-runs N] [--sizes 64,512] [--texts prose,code] [--no-webgpu] [--vscode-windows N] [--vscode-warm N] [--vscode-only] [--vscode-baseline DIR] [--vscode-extension DIR] [--vscode-profile fresh|same] [--vscode-throttle-mbit N [--vscode-throttle-rtt-ms 20]] [--big|--no-big] [--vscode-big|--no-vscode-big] [--big-models ${BIG_MODELS.join(',')}] [--big-sizes 512,128] [--out FILE]`;

function count(flag: string, v: string | undefined, min: number): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < min) throw new Error(`${flag} needs a whole number ≥ ${min}\n${USAGE}`);
  return n;
}

/** A number, not necessarily whole: > 0, or ≥ 0 where zero is allowed. */
function amount(flag: string, v: string | undefined, zero: boolean): number {
  const n = Number(v);
  if (v === undefined || v.trim() === '' || !Number.isFinite(n) || n < 0 || (!zero && n === 0)) throw new Error(`${flag} needs a number ${zero ? '≥' : '>'} 0\n${USAGE}`);
  return n;
}

export function parseOptions(argv: readonly string[], defaultOut: string): BenchOptions {
  const quick = argv.includes('--quick');
  const o: BenchOptions = {
    quick, warmup: quick ? 1 : 2, runs: quick ? 5 : 7, memoryRuns: quick ? 0 : 50, sizes: null, texts: null, webgpu: !quick, out: defaultOut,
    vscodeWindows: quick ? 1 : 3, vscodeWarm: quick ? 3 : 5, vscodeOnly: false, vscodeBaseline: null, vscodeExtension: null, big: !quick,
    vscodeBig: !quick, bigModels: [...BIG_MODELS], bigSizes: [...BIG_VSCODE_SIZES],
    vscodeProfile: 'fresh', vscodeThrottleMbit: null, vscodeThrottleRttMs: 20,
  };
  let rttAsked = false;
  let bigAsked = false;
  let vscodeBigAsked = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') continue;
    else if (a === '--runs') o.runs = count(a, argv[++i], 1);
    else if (a === '--warmup') o.warmup = count(a, argv[++i], 0);
    else if (a === '--memory-runs') {
      o.memoryRuns = count(a, argv[++i], 0);
      if (o.memoryRuns === 1) throw new Error('--memory-runs needs 0 (no check) or at least 2 runs');
    } else if (a === '--sizes') {
      const v = argv[++i] ?? '';
      o.sizes = v.split(',').map((s) => count(a, s, 2));
    } else if (a === '--texts') {
      const v = (argv[++i] ?? '').split(',');
      if (!v.every((t): t is TextKind => t === 'prose' || t === 'code')) throw new Error(`--texts takes prose and/or code\n${USAGE}`);
      o.texts = v;
    } else if (a === '--no-webgpu') o.webgpu = false;
    else if (a === '--webgpu') o.webgpu = true;
    else if (a === '--vscode-windows') o.vscodeWindows = count(a, argv[++i], 0);
    else if (a === '--vscode-warm') o.vscodeWarm = count(a, argv[++i], 1);
    else if (a === '--vscode-only') o.vscodeOnly = true;
    else if (a === '--vscode-profile') {
      const v = argv[++i];
      if (v !== 'fresh' && v !== 'same') throw new Error(`--vscode-profile takes fresh or same\n${USAGE}`);
      o.vscodeProfile = v;
    } else if (a === '--vscode-throttle-mbit') o.vscodeThrottleMbit = amount(a, argv[++i], false);
    else if (a === '--vscode-throttle-rtt-ms') { o.vscodeThrottleRttMs = amount(a, argv[++i], true); rttAsked = true; }
    else if (a === '--vscode-extension') {
      const v = argv[++i];
      if (!v) throw new Error(`--vscode-extension needs an extension folder\n${USAGE}`);
      o.vscodeExtension = path.resolve(v);
    } else if (a === '--big') { o.big = true; bigAsked = true; }
    else if (a === '--no-big') { o.big = false; bigAsked = true; }
    else if (a === '--vscode-big') { o.vscodeBig = true; vscodeBigAsked = true; }
    else if (a === '--no-vscode-big') { o.vscodeBig = false; vscodeBigAsked = true; }
    else if (a === '--big-models') {
      const v = (argv[++i] ?? '').split(',');
      if (!v.every((m): m is BigModelName => (BIG_MODELS as readonly string[]).includes(m))) throw new Error(`--big-models takes ${BIG_MODELS.join(', ')}\n${USAGE}`);
      o.bigModels = v;
    } else if (a === '--big-sizes') {
      const v = argv[++i] ?? '';
      o.bigSizes = v.split(',').map((s) => count(a, s, 2));
    }
    else if (a === '--vscode-baseline') {
      const v = argv[++i];
      if (!v) throw new Error(`--vscode-baseline needs an extension folder\n${USAGE}`);
      o.vscodeBaseline = path.resolve(v);
    }
    else if (a === '--out') {
      const v = argv[++i];
      if (!v) throw new Error(`--out needs a file\n${USAGE}`);
      o.out = v;
    } else if (a === '--help' || a === '-h') throw new Error(USAGE);
    else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  if (rttAsked && o.vscodeThrottleMbit === null) throw new Error(`--vscode-throttle-rtt-ms needs --vscode-throttle-mbit\n${USAGE}`);
  if (o.vscodeOnly && !bigAsked) o.big = false;
  if (o.vscodeOnly && !vscodeBigAsked) o.vscodeBig = false;
  if (o.quick) o.vscodeBig = false;
  return o;
}
