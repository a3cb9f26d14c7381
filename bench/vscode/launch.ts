// The VS Code rows of `npm run bench`: the real VS Code (code-server, installed by
// scripts/install-code-server.sh) in Debian's Chromium without a WebGPU adapter (the WASM path a
// user without a GPU gets), the extension loaded for development and bench/vscode/inHost.ts run in
// its extension host. Each cold sample is a new window in a new Chromium (empty HTTP and code
// caches, a new extension host); the warm runs follow in that window.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startCodeServer } from '../../test/vscode/launcher/codeServer';
import { SETTINGS, codeServerEntry } from '../../test/vscode/launcher/settings';
import { startUiDriver } from '../../test/vscode/launcher/uiDriver';
import { openWorkbench } from '../../test/vscode/launcher/workbench';
import { ENV } from '../../test/vscode/driverProtocol';
import { descendantMemory, windowMemory } from './procMemory';
import { BENCH_ENV, WindowReport } from './protocol';

export interface VsCodeBenchOptions {
  repo: string;
  /** Extension folders to time (built: dist/), window by window in turn so they meet the same load; default [repo]. */
  extensions?: string[];
  /** The text to explain (its whole text is selected, cursor at its end). */
  text: string;
  /** New windows, each timed cold. */
  windows: number;
  warmRuns: number;
  log: (line: string) => void;
  /** User settings beside the launchers' own (e.g. attentionLens.modelPath for a big model). */
  settings?: Record<string, unknown>;
  /** Hovers timed in the panel after the warm runs (default 0). */
  hovers?: number;
  /** Read the peak memory of the extension host and Chromium as each window closes. */
  memory?: boolean;
  /** Environment for code-server and so the extension host (e.g. HF_ENDPOINT, HF_HUB_CACHE). */
  env?: Record<string, string>;
  /** "org/name:variant": the window first runs Download model… on it (timed), then the commands. */
  download?: string;
  /** One command's limit (default 240 s); a window gets its warm runs' worth more. */
  commandTimeoutMs?: number;
}

const WINDOW_TIMEOUT_MS = 300_000;

export async function benchVsCode(o: VsCodeBenchOptions): Promise<Map<string, WindowReport[]>> {
  const entry = codeServerEntry(o.repo);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-bench-vscode-'));
  const ws = path.join(home, 'workspace');
  const reports = path.join(home, 'reports');
  fs.mkdirSync(ws);
  fs.mkdirSync(reports);
  const file = 'bench-prose.txt';
  fs.writeFileSync(path.join(ws, file), o.text);
  const driver = await startUiDriver(path.join(home, 'artifacts'), o.log);
  const server = await startCodeServer({
    entry, home, settings: { ...SETTINGS, ...(o.settings ?? {}) },
    env: {
      [ENV.driver]: driver.url, [ENV.repo]: o.repo,
      ...(o.env ?? {}), ...(o.download ? { [BENCH_ENV.download]: o.download } : {}),
      [BENCH_ENV.reportDir]: reports, [BENCH_ENV.file]: file, [BENCH_ENV.warmRuns]: String(o.warmRuns), [BENCH_ENV.commandTimeoutMs]: String(o.commandTimeoutMs ?? 240_000), [BENCH_ENV.hovers]: String(o.hovers ?? 0),
    },
  });
  const extensions = o.extensions ?? [o.repo];
  const out = new Map<string, WindowReport[]>(extensions.map((e) => [e, []]));
  const failed = new Map<string, string[]>();
  try {
    for (let k = 0; k < o.windows * extensions.length; k++) {
      const w = Math.floor(k / extensions.length);
      const extension = extensions[k % extensions.length];
      const before = new Set(fs.readdirSync(reports));
      const console: string[] = [];
      const wb = await openWorkbench({
        origin: server.origin, port: server.port, folder: ws, extensionPath: extension,
        testsPath: path.join(o.repo, 'out', 'bench', 'vscode', 'inHost'), webgpu: false,
        onConsole: (t) => { console.push(t); if (console.length > 100) console.shift(); },
      });
      try {
        driver.attach(wb.page);
        let timer: NodeJS.Timeout | undefined;
        const code = await Promise.race([wb.exitCode, new Promise<number>((r) => { timer = setTimeout(() => r(-1), Math.max(WINDOW_TIMEOUT_MS, (o.commandTimeoutMs ?? 0) * (2 + o.warmRuns))); })]);
        clearTimeout(timer);
        const fresh = fs.readdirSync(reports).filter((f) => !before.has(f));
        if (fresh.length !== 1) {
          throw new Error(`window ${w + 1}: exit ${code}, ${fresh.length} reports\nconsole:\n${console.slice(-30).join('\n')}\ncode-server:\n${server.tail()}`);
        }
        const report = JSON.parse(fs.readFileSync(path.join(reports, fresh[0]), 'utf8')) as WindowReport;
        if (o.memory) report.memory = windowMemory(descendantMemory());
        report.console = console.filter((l) => l.includes('attention-lens')).slice(-20);
        if (report.error) {
          // One window's failure (say VS Code's resource loader timing out on an overloaded machine)
          // is said and counted; the other windows still give their figures.
          failed.set(extension, [...(failed.get(extension) ?? []), `window ${w + 1}: ${report.error.split('\n')[0]}`]);
          o.log(`VS Code window ${w + 1} (${extension}) FAILED: ${report.error.split('\n')[0]}`);
          continue;
        }
        out.get(extension)!.push(report);
        o.log(`VS Code window ${w + 1}${extensions.length > 1 ? ` (${extension})` : ''}: cold ${report.cold.total_ms.toFixed(0)} ms (ready ${report.cold.ready_ms?.toFixed(0) ?? '—'}, load ${report.cold.load_ms.toFixed(0)}, inference ${report.cold.inference_ms.toFixed(0)}), warm ${report.warm.map((r) => r.total_ms.toFixed(0)).join(', ')} ms`);
      } finally {
        await wb.close().catch(() => undefined);
      }
    }
  } finally {
    await server.stop();
    await driver.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
  for (const [extension, reports] of out) {
    if (reports.length === 0) throw new Error(`no VS Code window of ${extension} finished: ${(failed.get(extension) ?? []).join('; ')}`);
  }
  return out;
}
