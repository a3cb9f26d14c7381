// The VS Code rows of `npm run bench`: the real VS Code (code-server, installed by
// scripts/install-code-server.sh) in Debian's Chromium without a WebGPU adapter (the WASM path a
// user without a GPU gets), the extension loaded for development and bench/vscode/inHost.ts run in
// its extension host. Each cold sample is a new window in a new Chromium (a new extension host;
// empty HTTP and code caches and IndexedDB, or with profile 'same' the profile the extension's
// earlier windows left); the warm runs follow in that window. With a throttle, Chromium reaches
// code-server through a slow link (./throttle.ts), as a remote user does.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startCodeServer } from '../../test/vscode/launcher/codeServer';
import { SETTINGS, codeServerEntry } from '../../test/vscode/launcher/settings';
import { startUiDriver } from '../../test/vscode/launcher/uiDriver';
import { openWorkbench } from '../../test/vscode/launcher/workbench';
import { ENV } from '../../test/vscode/driverProtocol';
import { descendantMemory, windowMemory } from './procMemory';
import { BENCH_ENV, ProfileState, WindowReport } from './protocol';
import { Throttle, bytesSince, startThrottle } from './throttle';

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
  /**
   * fresh (default): every window an empty profile, thrown away. same: every window of one extension
   * opens one persistent profile, so window 1 is a user's first window and the others later ones.
   */
  profile?: 'fresh' | 'same';
  /** A slow link between Chromium and code-server: each direction `mbit` Mbit/s, plus `rttMs` round trip. */
  throttle?: { mbit: number; rttMs: number };
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
  // One profile per extension folder, in the temp home (deleted with it); used: opened once already.
  const profiles = new Map(extensions.map((e, i) => [e, path.join(home, `chromium-profile-${i}`)]));
  const used = new Set<string>();
  let throttle: Throttle | null = null;
  try {
    // One forwarder for the whole run: its port is the workbench's origin, and IndexedDB is kept per origin.
    if (o.throttle) throttle = await startThrottle({ targetPort: server.port, mbit: o.throttle.mbit, rttMs: o.throttle.rttMs });
    const origin = throttle ? { origin: throttle.origin, port: throttle.port } : { origin: server.origin, port: server.port };
    for (let k = 0; k < o.windows * extensions.length; k++) {
      const w = Math.floor(k / extensions.length);
      const extension = extensions[k % extensions.length];
      const before = new Set(fs.readdirSync(reports));
      const console: string[] = [];
      const profileDir = o.profile === 'same' ? profiles.get(extension)! : undefined;
      const profile: ProfileState = !profileDir ? 'fresh' : used.has(profileDir) ? 'later' : 'first';
      if (profileDir) used.add(profileDir);
      const bytes0 = throttle?.bytes();
      const wb = await openWorkbench({
        ...origin, folder: ws, extensionPath: extension, profileDir,
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
        report.profile = profile;
        if (throttle && bytes0 && o.throttle) report.throttle = { mbit: o.throttle.mbit, rtt_ms: o.throttle.rttMs, ...bytesSince(bytes0, throttle.bytes()) };
        const how = windowConditions(report);
        if (report.error) {
          // One window's failure (say VS Code's resource loader timing out on an overloaded machine)
          // is said and counted; the other windows still give their figures.
          failed.set(extension, [...(failed.get(extension) ?? []), `window ${w + 1}: ${report.error.split('\n')[0]}`]);
          o.log(`VS Code window ${w + 1} (${extension}, ${how}) FAILED: ${report.error.split('\n')[0]}`);
          continue;
        }
        out.get(extension)!.push(report);
        const runtime = report.cold.phases?.runtime_from;
        o.log(`VS Code window ${w + 1} (${extensions.length > 1 ? `${extension}, ` : ''}${how}): cold ${report.cold.total_ms.toFixed(0)} ms (ready ${report.cold.ready_ms?.toFixed(0) ?? '—'}, load ${report.cold.load_ms.toFixed(0)}, inference ${report.cold.inference_ms.toFixed(0)}${runtime ? `, runtime from ${runtime}` : ''}), warm ${report.warm.map((r) => r.total_ms.toFixed(0)).join(', ')} ms`);
      } finally {
        await wb.close().catch(() => undefined);
      }
    }
  } finally {
    await throttle?.close();
    await server.stop();
    await driver.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
  for (const [extension, reports] of out) {
    if (reports.length === 0) throw new Error(`no VS Code window of ${extension} finished: ${(failed.get(extension) ?? []).join('; ')}`);
  }
  return out;
}

/** The log's words for a window's profile and link: 'profile later, 50 Mbit/s + 20 ms: 41.2 MB down, 1.3 MB up'. */
function windowConditions(r: WindowReport): string {
  const t = r.throttle;
  const link = t ? `, ${t.mbit} Mbit/s + ${t.rtt_ms} ms: ${(t.down_bytes / 1e6).toFixed(1)} MB down, ${(t.up_bytes / 1e6).toFixed(1)} MB up` : '';
  return `profile ${r.profile ?? 'fresh'}${link}`;
}
