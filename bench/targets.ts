// The targets, checked against measured rows. Pure: rows in, verdicts out.
import { Row } from './results';

export type Verdict = 'PASS' | 'MISS' | 'NOT MEASURED';

export interface TargetResult {
  target: string;
  verdict: Verdict;
  /** What was measured, in words ("prose 1.21×, code 1.18×"). */
  measured: string;
}

export const LIMITS = {
  /** WASM in the page over onnxruntime-node (one thread each) at 512 tokens. */
  wasmOverNative: 1.5,
  /** Hover to highlight at 1024 tokens, all heads selected. */
  hoverMs: 16,
  /** Tokens in → first overlay painted, 512 tokens, WASM, warm. */
  firstOverlayMs: 1000,
  /**
   * Memory growth over the 50-run check: the heap (with ArrayBuffer backing stores) may move by
   * allocator noise, but a leaked run would add at least one run's attention (MBs) each time.
   * Per run, in bytes.
   */
  heapGrowthPerRun: 16 * 1024,
  /** DOM nodes or listeners per run (least-squares slope; exactly 0 when the counts stay flat). */
  domGrowthPerRun: 0.05,
  /** In the real VS Code, 512 tokens of prose, WASM: command → first overlay, new window / panel open. */
  vscodeColdMs: 1500,
  vscodeWarmMs: 250,
} as const;

function check(target: string, picked: Row[], value: (r: Row) => number | null, ok: (v: number) => boolean, show: (v: number) => string): TargetResult {
  const measured = picked.map((r) => ({ r, v: value(r) })).filter((x): x is { r: Row; v: number } => x.v !== null);
  if (measured.length === 0) return { target, verdict: 'NOT MEASURED', measured: '—' };
  const verdict: Verdict = measured.every((x) => ok(x.v)) ? 'PASS' : 'MISS';
  return { target, verdict, measured: measured.map((x) => `${x.r.text} ${show(x.v)}`).join(', ') };
}

export function checkTargets(rows: readonly Row[]): TargetResult[] {
  const real512 = rows.filter((r) => r.tokens === 512 && !r.capped_at);
  const at1024 = rows.filter((r) => r.tokens === 1024);
  const withMemory = rows.filter((r) => (r.memory_runs ?? 0) > 0);
  return [
    check(`WASM in page ≤ ${LIMITS.wasmOverNative}× onnxruntime-node (1 thread) at 512 tokens`, real512,
      (r) => r.wasm_native_ratio ?? null, (v) => v <= LIMITS.wasmOverNative, (v) => `${v.toFixed(2)}×`),
    check(`hover → highlight < ${LIMITS.hoverMs} ms at 1024 tokens, all heads`, at1024,
      (r) => r.hover_ms, (v) => v < LIMITS.hoverMs, (v) => `${v.toFixed(2)} ms`),
    check(`tokens in → first overlay < ${LIMITS.firstOverlayMs} ms at 512 tokens, WASM, warm`, real512,
      (r) => r.first_overlay_ms, (v) => v < LIMITS.firstOverlayMs, (v) => `${v.toFixed(0)} ms`),
    check(`no per-run memory growth over ${withMemory[0]?.memory_runs ?? 50} runs (heap + buffers < ${LIMITS.heapGrowthPerRun / 1024} KiB/run, DOM nodes and listeners flat)`, withMemory,
      (r) => r.heap_growth_bytes_per_run ?? null,
      (v) => v < LIMITS.heapGrowthPerRun,
      (v) => `${(v / 1024).toFixed(1)} KiB/run`),
    // A DOM node or listener kept per run is a leak whatever its size.
    check('DOM nodes and event listeners flat over the same runs', withMemory,
      (r) => (r.dom_nodes_growth_per_run === undefined || r.listeners_growth_per_run === undefined ? null
        : Math.max(r.dom_nodes_growth_per_run ?? 0, r.listeners_growth_per_run ?? 0)),
      (v) => v <= LIMITS.domGrowthPerRun, (v) => `${v.toFixed(2)} per run`),
    check(`VS Code: command → first overlay ≤ ${LIMITS.vscodeColdMs} ms cold (new window) at 512 tokens, WASM`, real512,
      (r) => r.vscode_cold_first_overlay_ms ?? null, (v) => v <= LIMITS.vscodeColdMs, (v) => `${v.toFixed(0)} ms`),
    check(`VS Code: command → first overlay ≤ ${LIMITS.vscodeWarmMs} ms warm (panel open, model loaded) at 512 tokens`, real512,
      (r) => r.vscode_warm_first_overlay_ms ?? null, (v) => v <= LIMITS.vscodeWarmMs, (v) => `${v.toFixed(0)} ms`),
  ];
}
