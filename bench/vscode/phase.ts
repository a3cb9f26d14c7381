// Folds the VS Code windows' reports into results.json: medians of command → first overlay, cold
// (one per window) and warm, each with its split into phases.
import type { Row } from '../results';
import { medianOrNull, round } from '../stats';
import type { CommandTiming, WindowReport } from './protocol';

export interface VsCodeSummary {
  windows: number;
  warm_runs: number;
  activate_ms: number | null;
  cold: Split;
  warm: Split;
  /** Cold: what the page fetched (file → median fetch ms and bytes). */
  cold_fetches: Record<string, { start_ms: number | null; fetch_ms: number | null; bytes: number }>;
  backend: string;
  /** Each cold window's phases that are words, not times (runtime_from: cache, message or fetch), in window order. */
  cold_words: Record<string, string[]>;
  /** The page's own console lines that name the extension ([attention-lens] …), per window. */
  console: string[][];
}

export type Split = Record<string, number | null>;

const med = (xs: (number | null | undefined)[]): number | null =>
  round(medianOrNull(xs.filter((x): x is number => typeof x === 'number')));

function split(ts: CommandTiming[]): Split {
  const out: Split = {
    total_ms: med(ts.map((t) => t.total_ms)),
    host_ms: med(ts.map((t) => t.host_ms)),
    ready_ms: med(ts.map((t) => t.ready_ms)),
    result_ms: med(ts.map((t) => t.result_ms)),
    load_ms: med(ts.map((t) => t.load_ms)),
    inference_ms: med(ts.map((t) => t.inference_ms)),
    render_ms: med(ts.map((t) => t.render_ms)),
  };
  const names = new Set(ts.flatMap((t) => Object.keys(t.phases ?? {})));
  for (const n of names) {
    const xs = ts.map((t) => t.phases?.[n]);
    if (xs.some((x) => typeof x === 'number')) out[`phase_${n}`] = med(xs.map((x) => (typeof x === 'number' ? x : null)));
  }
  return out;
}

function words(ts: CommandTiming[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of ts) {
    for (const [k, v] of Object.entries(t.phases ?? {}) as [string, unknown][]) if (typeof v === 'string') (out[k] ??= []).push(v);
  }
  return out;
}

export function summarize(reports: WindowReport[]): VsCodeSummary {
  const colds = reports.map((r) => r.cold);
  const fetches: VsCodeSummary['cold_fetches'] = {};
  const files = new Set(colds.flatMap((c) => Object.keys(c.fetches ?? {})));
  for (const f of files) {
    const seen = colds.map((c) => c.fetches?.[f]).filter((x) => x !== undefined);
    fetches[f] = { start_ms: med(seen.map((s) => s.start_ms)), fetch_ms: med(seen.map((s) => s.fetch_ms)), bytes: seen[0]?.bytes ?? 0 };
  }
  return {
    windows: reports.length,
    warm_runs: reports.reduce((n, r) => n + r.warm.length, 0),
    activate_ms: med(reports.map((r) => r.activate_ms)),
    cold: split(colds),
    warm: split(reports.flatMap((r) => r.warm)),
    cold_fetches: fetches,
    backend: colds[0]?.backend ?? 'none',
    cold_words: words(colds),
    console: reports.map((r) => r.console ?? []),
  };
}

export function fillRow(row: Row, s: VsCodeSummary): void {
  row.vscode_cold_first_overlay_ms = s.cold.total_ms;
  row.vscode_warm_first_overlay_ms = s.warm.total_ms;
}
