// What the VS Code bench's launcher (bench/vscode/launch.ts) and its part inside the extension host
// (bench/vscode/inHost.ts) share: the environment that carries the task in, the report that comes
// back. Times are epoch milliseconds (performance.timeOrigin + performance.now()), comparable
// across the extension host, the launcher and the webview, which all run on this machine.

export const BENCH_ENV = {
  /** Folder the in-host bench writes its report into (one file per window). */
  reportDir: 'ATTENTION_LENS_BENCH_REPORT_DIR',
  /** Workspace-relative file holding the text to explain. */
  file: 'ATTENTION_LENS_BENCH_FILE',
  /** Warm runs after the cold one (0: cold only). */
  warmRuns: 'ATTENTION_LENS_BENCH_WARM_RUNS',
  /** How long to let the window settle after opening the file, before the first command. */
  settleMs: 'ATTENTION_LENS_BENCH_SETTLE_MS',
} as const;

/** One command → first overlay, timed from the extension host. */
export interface CommandTiming {
  /** command → the focus token's highlight received by the host (editor decorations set). */
  total_ms: number;
  /** command → the command returned: model read (first time), text picked and tokenized, run posted. */
  host_ms: number;
  /** command → the webview's `ready` (page created, its script started); null when the page was already up. */
  ready_ms: number | null;
  /** command → the webview's `result`. */
  result_ms: number;
  /** The result message's own figures. */
  load_ms: number;
  inference_ms: number;
  /** Phase timings the page and host reported, when they report them (null before they did). */
  phases: Record<string, number> | null;
  /** The webview's attention-lens:render measure (JS: DOM built, grid drawn). */
  render_ms: number | null;
  /** The webview frame's resource timings of the files it fetched (name → fetch ms), for the split. */
  fetches: Record<string, { start_ms: number; fetch_ms: number; bytes: number }> | null;
  backend: string;
  tokens: number;
}

export interface WindowReport {
  /** Extension activation in this window (before the first command). */
  activate_ms: number;
  cold: CommandTiming;
  warm: CommandTiming[];
  error?: string;
}
