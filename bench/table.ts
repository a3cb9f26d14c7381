// The table `npm run bench` prints. Pure: rows in, text out.
import { Row } from './results';
import { TargetResult } from './targets';

const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const mib = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : (v / 2 ** 20).toFixed(1));
const times = (v: number | null | undefined): string => (v === null || v === undefined ? '' : ` (${v.toFixed(2)}×)`);

interface Column {
  head: string;
  cell(r: Row): string;
  /** A column only some runs fill (the real VS Code's): printed only when some row has it. */
  has?(r: Row): boolean;
}

const filled = (v: number | null | undefined): boolean => v !== null && v !== undefined;

const COLUMNS: Column[] = [
  { head: 'text', cell: (r) => r.text },
  { head: 'tokens', cell: (r) => (r.capped_at ? `${r.tokens}*` : String(r.tokens)) },
  { head: 'tokenize', cell: (r) => ms(r.tokenize_ms) },
  { head: 'load warm', cell: (r) => ms(r.load_ms) },
  { head: 'wasm (×native)', cell: (r) => ms(r.wasm_ms) + times(r.wasm_native_ratio) },
  { head: 'webgpu (×native)', cell: (r) => ms(r.webgpu_ms) + times(r.webgpu_native_ratio) },
  { head: 'native 1t', cell: (r) => ms(r.native_ms) },
  { head: 'native dflt', cell: (r) => ms(r.native_default_ms) },
  { head: 'native whole', cell: (r) => ms(r.native_whole_model_ms) },
  { head: 'postproc', cell: (r) => ms(r.postprocess_ms) },
  { head: 'tokens paint', cell: (r) => ms(r.token_view_paint_ms) },
  { head: 'grid paint', cell: (r) => ms(r.grid_paint_ms) },
  { head: '1st overlay', cell: (r) => ms(r.first_overlay_ms) },
  { head: 'hover', cell: (r) => ms(r.hover_ms) + (r.synthetic_attention ? '†' : '') },
  { head: 'attn MiB', cell: (r) => mib(r.attention_bytes) },
  { head: 'heap MiB', cell: (r) => mib(r.js_heap_bytes) },
  { head: 'vscode cold', cell: (r) => ms(r.vscode_cold_first_overlay_ms), has: (r) => filled(r.vscode_cold_first_overlay_ms) },
  // --vscode-profile same: the first window (empty profile) and the later ones (profile kept).
  { head: 'cold 1st win', cell: (r) => ms(r.vscode_cold_first_window_ms), has: (r) => filled(r.vscode_cold_first_window_ms) },
  { head: 'cold later', cell: (r) => ms(r.vscode_cold_later_windows_ms), has: (r) => filled(r.vscode_cold_later_windows_ms) },
  { head: 'vscode warm', cell: (r) => ms(r.vscode_warm_first_overlay_ms), has: (r) => filled(r.vscode_warm_first_overlay_ms) },
];

export function formatTable(rows: readonly Row[]): string {
  const columns = COLUMNS.filter((c) => !c.has || rows.some((r) => c.has!(r)));
  const cells = rows.map((r) => columns.map((c) => c.cell(r)));
  const widths = columns.map((c, i) => Math.max(c.head.length, ...cells.map((row) => row[i].length)));
  const line = (xs: string[]): string => xs.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  return [line(columns.map((c) => c.head)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function formatTargets(results: readonly TargetResult[]): string {
  const w = Math.max(...results.map((r) => r.verdict.length));
  return results.map((r) => `${r.verdict.padEnd(w)}  ${r.target}: ${r.measured}`).join('\n');
}
