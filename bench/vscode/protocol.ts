// What the VS Code bench's launcher (bench/vscode/launch.ts) and its part inside the extension host
// (bench/vscode/inHost.ts) share: the environment that carries the task in, the report that comes
// back. Times are epoch milliseconds (performance.timeOrigin + performance.now()), comparable
// across the extension host, the launcher and the webview, which all run on this machine.

import type { WindowMemory } from './procMemory';
import type { ThrottleBytes } from './throttle';

export const BENCH_ENV = {
  /** Folder the in-host bench writes its report into (one file per window). */
  reportDir: 'ATTENTION_LENS_BENCH_REPORT_DIR',
  /** Workspace-relative file holding the text to explain. */
  file: 'ATTENTION_LENS_BENCH_FILE',
  /** Warm runs after the cold one (0: cold only). */
  warmRuns: 'ATTENTION_LENS_BENCH_WARM_RUNS',
  /** How long to let the window settle after opening the file, before the first command. */
  settleMs: 'ATTENTION_LENS_BENCH_SETTLE_MS',
  /** Hovers timed in the panel after the warm runs (0 or unset: none). */
  hovers: 'ATTENTION_LENS_BENCH_HOVERS',
  /** "org/name:variant": run Download model… on it before the first command, timed. */
  download: 'ATTENTION_LENS_BENCH_DOWNLOAD',
  /** How long one command may take to its overlay (default 240 s; the big models need more). */
  commandTimeoutMs: 'ATTENTION_LENS_BENCH_COMMAND_TIMEOUT_MS',
} as const;

/** Download model… as the window's first step (BENCH_ENV.download). */
export interface DownloadTiming {
  /** The command, from its start to its return (listing, download, hashes checked, setting written). */
  wall_ms: number;
  /** What the command reported: bytes fetched and its own seconds. */
  bytes: number;
  seconds: number;
  dtype: string;
  modelPath: string;
}

/** One hover in the real panel: a pointerover on a token's span at a frame's start, timed to that frame's end. */
export interface HoverTiming {
  frame_ms: number;
  /** The webview's own attention-lens:highlight measure (its JS only), when it took one. */
  work_ms: number | null;
  /** Tokens lit by the hover (0 would mean the hover did nothing, and is reported as an error). */
  lit: number;
}

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
  phases: Record<string, number | string> | null;
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
  download?: DownloadTiming;
  /** Hovers after the warm runs (BENCH_ENV.hovers), in the panel as the last run left it. */
  hovers?: HoverTiming[];
  /** Peak memory of the extension host and Chromium in this window, read by the launcher as it closes. */
  memory?: WindowMemory;
  /** The extension host's own peak resident set (process.resourceUsage().maxRSS), read at its end. */
  host_max_rss_bytes?: number;
  /** The window's console lines that name the extension (the page's warnings, say a runtime that did not come by message). */
  console?: string[];
  /**
   * The Chromium profile the window opened in (set by the launcher): fresh (empty, thrown away:
   * --vscode-profile fresh), first (empty, kept: a user's first window) or later (one an earlier
   * window of this extension used: its IndexedDB, HTTP cache and code cache).
   */
  profile?: ProfileState;
  /** The window's traffic through the throttled link (--vscode-throttle-mbit), set by the launcher. */
  throttle?: WindowThrottle;
  error?: string;
}

export type ProfileState = 'fresh' | 'first' | 'later';

export interface WindowThrottle extends ThrottleBytes {
  mbit: number;
  rtt_ms: number;
}
