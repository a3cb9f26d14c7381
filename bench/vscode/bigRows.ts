// The `big` rows of `npm run bench` (results.json → big): real-size models in the real VS Code
// (code-server + Chromium, WASM), each model at 128 and 512 tokens of prose, one new window per
// row: "Explain attention here" cold (model on disk, panel closed) and warm, hover in the panel,
// and the peak memory of the extension host and of Chromium's renderer. The models are built at
// bench time with PyTorch from Debian (random weights, cached, never committed): GPT-2 small
// (124 M) in fp32 and q8 (DynamicQuantizeLinear + MatMulInteger, as the Hub's _quantized files),
// and SmolLM2-135M's shape (30 layers × 9 heads, 3 key/value heads).
import * as os from 'os';
import { loadModelFolder } from '../../src/models/modelFolder';
import { ensureFixtures } from '../../test/fixtures/build';
import { ensureQuantized } from '../../test/fixtures/hubForms';
import type { ModelConfig } from '../../src/shared/modelConfig';
import { TextTokenizer, tokenizeForModel } from '../../src/tokenizers/tokenize';
import { loadSource, prefixWithTokens } from '../texts';
import { medianOrNull, round } from '../stats';
import { benchVsCode } from './launch';
import type { CommandTiming, WindowReport } from './protocol';

export const BIG_MODELS = ['gpt2-small-q8', 'gpt2-small', 'smollm2-135m'] as const;
export type BigModelName = (typeof BIG_MODELS)[number];
export const BIG_VSCODE_SIZES = [512, 128] as const;

export interface BigRow {
  /** The extension build (a folder with dist/) this window ran. */
  extension: string;
  model: BigModelName;
  /** The graph given as attentionLens.modelPath. */
  graph: string;
  /** The window's browser profile: fresh, or (profile 'same') a user's first or later window. */
  profile: 'fresh' | 'first' | 'later';
  /** The slow link the window had, and what crossed it (null: loopback). */
  throttle: WindowReport['throttle'] | null;
  tokens: number;
  /** Load average (1 min) as the window opened and as it closed: these cores are shared. */
  load_start: number;
  load_end: number;
  cold_ms: number | null;
  warm_ms: number | null;
  /** The cold command's split: host (model folder read, tokenize, post), the page's phases. */
  cold_split: Record<string, number | string | null> | null;
  warm_inference_ms: number | null;
  hover_ms: number | null;
  hover_work_ms: number | null;
  page_peak_bytes: number | null;
  host_peak_bytes: number | null;
  attention_bytes: number;
  error: string | null;
}

export interface BigModelFile { name: BigModelName; dir: string; graph: string }

/** Builds (first time: minutes each) and finds the models. */
export function prepareBigModels(names: readonly BigModelName[]): BigModelFile[] {
  return names.map((name) => {
    const f = name === 'gpt2-small-q8' ? ensureQuantized('gpt2-small') : ensureFixtures(name)[name];
    return { name, dir: f.dir, graph: f.modelFile };
  });
}

const med = (xs: number[]): number | null => round(medianOrNull(xs));

/**
 * A prefix of the prose that the host makes exactly `n` tokens of (bos and the tokenizer's own
 * additions included): bench/inputs.ts's makeCase assumes config.prepend_bos is the only one.
 */
export function exactText(root: string, tok: TextTokenizer, config: ModelConfig, n: number): string {
  const source = loadSource(root, 'prose');
  for (let extra = 0; extra <= 3; extra++) {
    const { text } = prefixWithTokens(tok, source, n - extra);
    if (tokenizeForModel(tok, text, config, config.max_tokens, null).tokens.length === n) return text;
  }
  throw new Error(`no prefix of the prose makes exactly ${n} tokens for this model`);
}

function split(t: CommandTiming): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = { host_ms: round(t.host_ms), ready_ms: round(t.ready_ms), load_ms: round(t.load_ms), inference_ms: round(t.inference_ms), render_ms: round(t.render_ms) };
  for (const [k, v] of Object.entries(t.phases ?? {})) out[`phase_${k}`] = typeof v === 'number' ? round(v) : v;
  return out;
}

function row(extension: string, m: BigModelFile, tokens: number, attentionBytes: number, load0: number, r: WindowReport | null, error: string | null): BigRow {
  const hovers = r?.hovers ?? [];
  return {
    extension, model: m.name, graph: m.graph, profile: r?.profile ?? 'fresh', throttle: r?.throttle ?? null, tokens, load_start: load0, load_end: round(os.loadavg()[0], 2)!,
    cold_ms: r ? round(r.cold.total_ms) : null,
    warm_ms: r ? med(r.warm.map((w) => w.total_ms)) : null,
    cold_split: r ? split(r.cold) : null,
    warm_inference_ms: r ? med(r.warm.map((w) => w.inference_ms)) : null,
    hover_ms: med(hovers.map((h) => h.frame_ms)),
    hover_work_ms: med(hovers.flatMap((h) => (h.work_ms === null ? [] : [h.work_ms]))),
    page_peak_bytes: r?.memory?.page_peak_bytes ?? null,
    host_peak_bytes: r?.memory?.host_peak_bytes ?? r?.host_max_rss_bytes ?? null,
    attention_bytes: attentionBytes,
    error,
  };
}

/** One window per model and size; a window that fails gives a row with its error, the others still run. */
export interface BigRunOptions {
  sizes: readonly number[];
  warmRuns: number;
  hovers: number;
  log: (l: string) => void;
  /** Called after each row (the rows so far), e.g. to write them out before the next window. */
  onRow?: (rows: BigRow[]) => void;
  /** Extension builds to time, one window each in turn (default: the repository's own). */
  extensions?: string[];
  /** same: each model and build gets a user's first window and then a later one with the same browser profile. */
  profile?: 'fresh' | 'same';
  /** A slow link between Chromium and code-server (bench/vscode/throttle.ts), as a remote user has. */
  throttle?: { mbit: number; rttMs: number };
}

export async function benchBigInVsCode(repo: string, models: BigModelFile[], options: BigRunOptions): Promise<BigRow[]> {
  const { sizes, warmRuns, hovers, log } = options;
  const rows: BigRow[] = [];
  // Every model at the first size, then at the next: the figures that matter most come first.
  for (const n of sizes) {
    for (const m of models) {
      const model = await loadModelFolder(m.dir, false);
      let text: string;
      try {
        text = exactText(repo, model.tokenizer, model.config, n);
      } catch (e) {
        log(`VS Code big ${m.name} ${n} tokens: ${(e as Error).message}`);
        continue;
      }
      const attention = model.config.num_layers * model.config.num_heads * n * n * 4;
      for (const extension of options.extensions ?? [repo]) {
        const load0 = round(os.loadavg()[0], 2)!;
        let reports: WindowReport[] = [];
        let error: string | null = null;
        try {
          const byExtension = await benchVsCode({
            repo, extensions: [extension], text, windows: options.profile === 'same' ? 2 : 1, warmRuns, log, hovers, memory: true, commandTimeoutMs: 900_000,
            settings: { 'attentionLens.modelPath': m.graph }, profile: options.profile, throttle: options.throttle,
          });
          reports = byExtension.get(extension) ?? [];
        } catch (e) {
          error = (e as Error).message.split('\n')[0];
        }
        const mb = (b: number | null) => (b === null ? '—' : `${(b / 2 ** 20).toFixed(0)} MiB`);
        for (const r of reports.length > 0 ? reports : [null]) {
          const out = row(extension, m, n, attention, load0, r, error);
          rows.push(out);
          log(`VS Code big ${m.name} ${n} tokens, ${extension}, ${out.profile} window (load ${out.load_start} → ${out.load_end}): ${error ?? `cold ${out.cold_ms} ms, warm ${out.warm_ms} ms, hover ${out.hover_ms ?? '—'} ms, page peak ${mb(out.page_peak_bytes)}, host peak ${mb(out.host_peak_bytes)}; cold split ${JSON.stringify(out.cold_split)}`}`);
        }
        options.onRow?.(rows);
      }
    }
  }
  return rows;
}
