// Folds the VS Code windows' reports into results.json: medians of command → first overlay, cold
// (one per window) and warm, each with its split into phases; with one kept profile, the first
// window (a user's first ever) apart from the later ones.
import type { Row } from '../results';
import { medianOrNull, round } from '../stats';
import type { CommandTiming, ProfileState, WindowReport } from './protocol';

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
  /** fresh: every window an empty profile; same: one profile kept across the windows (--vscode-profile). */
  profile: 'fresh' | 'same';
  /** Each window's profile state and cold total, in window order. */
  windows_profile: ProfileState[];
  cold_windows_ms: number[];
  /** With profile same: the first window's cold total, and the median of the later windows' (null if none). */
  cold_first_ms?: number | null;
  cold_later_ms?: number | null;
  /** With profile same: the cold split of the first window and of the later windows (medians). */
  cold_by_profile?: { first: Split; later: Split };
  /** With --vscode-throttle-mbit: the link, and each window's bytes through it, in window order. */
  throttle?: { mbit: number; rtt_ms: number; down_bytes: number[]; up_bytes: number[]; connections: number[] };
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
  const states = reports.map((r) => r.profile ?? 'fresh');
  const same = states.some((p) => p !== 'fresh');
  const first = reports.filter((r) => r.profile === 'first').map((r) => r.cold);
  const later = reports.filter((r) => r.profile === 'later').map((r) => r.cold);
  const links = reports.map((r) => r.throttle).filter((t) => t !== undefined);
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
    profile: same ? 'same' : 'fresh',
    windows_profile: states,
    cold_windows_ms: colds.map((c) => round(c.total_ms)!),
    ...(same ? {
      cold_first_ms: med(first.map((c) => c.total_ms)), cold_later_ms: med(later.map((c) => c.total_ms)),
      cold_by_profile: { first: split(first), later: split(later) },
    } : {}),
    ...(links.length ? {
      throttle: {
        mbit: links[0].mbit, rtt_ms: links[0].rtt_ms,
        down_bytes: links.map((t) => t.down_bytes), up_bytes: links.map((t) => t.up_bytes), connections: links.map((t) => t.connections),
      },
    } : {}),
  };
}

export function fillRow(row: Row, s: VsCodeSummary): void {
  row.vscode_cold_first_overlay_ms = s.cold.total_ms;
  row.vscode_warm_first_overlay_ms = s.warm.total_ms;
  if (s.profile === 'same') {
    row.vscode_cold_first_window_ms = s.cold_first_ms ?? null;
    row.vscode_cold_later_windows_ms = s.cold_later_ms ?? null;
  }
}
