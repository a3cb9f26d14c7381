// Serves the real webview (dist/webview, media, models/default) on 127.0.0.1 under the host's own
// HTML and CSP (src/panel/webviewHtml.ts), and drives it in Debian's Chromium with playwright-core.
// The page's acquireVsCodeApi is a test driver standing in for the extension host only: it records
// what the webview posts and keeps its state; tests post protocol messages as the host would.
// Reusable by the benchmarks (bench/) as well as the browser tests.
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { Browser, BrowserContext, ConsoleMessage, Page, chromium } from 'playwright-core';
import { parseModelConfig } from '../../src/shared/modelConfig';
import type { ToHost, ToWebview } from '../../src/shared/protocol';
import { contentSecurityPolicy, makeNonce, webviewHtml } from '../../src/panel/webviewHtml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
  '.json': 'application/json', '.onnx': 'application/octet-stream', '.png': 'image/png', '.map': 'application/json',
  '.html': 'text/html',
};

/** URL prefix → folder of the repository that it serves (nothing else is reachable). */
const MOUNTS: [string, string][] = [
  ['/dist/webview/', 'dist/webview'],
  ['/media/', 'media'],
  ['/models/default/', 'models/default'],
];

export interface PageServer {
  origin: string;
  /** Every path the server was asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

export interface ServeOptions {
  repoRoot?: string;
  /** More folders to serve, e.g. ['/models/other/', '/abs/path']. */
  extraMounts?: [string, string][];
  /**
   * Serve every response with COOP/COEP headers, so the page is cross-origin isolated
   * (crossOriginIsolated, SharedArrayBuffer: WASM threads), as a VS Code started with --enable-coi.
   */
  isolated?: boolean;
  /** Mark the page as the host does (data-runtime="message"): it asks for the runtime's .wasm by message first. */
  runtimeByMessage?: boolean;
}

const ISOLATION_HEADERS = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/** Starts the page server on 127.0.0.1 (a free port). The page is at `${origin}/`. */
export async function startServer(opts: ServeOptions = {}): Promise<PageServer> {
  const root = opts.repoRoot ?? REPO_ROOT;
  for (const f of ['dist/webview/main.js', 'dist/webview/ort-wasm-simd-threaded.jsep.wasm']) {
    if (!fs.existsSync(path.join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
  const mounts = [...MOUNTS.map(([p, d]): [string, string] => [p, path.join(root, d)]), ...(opts.extraMounts ?? [])];
  const requests: string[] = [];
  let origin = '';
  const server = http.createServer((req, res) => {
    if (opts.isolated) for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end(); // browsers ask for it; VS Code webviews have none
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const nonce = makeNonce();
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        // the same policy the host puts in the page's meta tag, also as a header
        'content-security-policy': contentSecurityPolicy(origin, nonce),
        'cache-control': 'no-store',
      });
      res.end(testPage(origin, nonce, opts.runtimeByMessage === true));
      return;
    }
    for (const [prefix, dir] of mounts) {
      if (!url.pathname.startsWith(prefix)) continue;
      const file = path.resolve(dir, decodeURIComponent(url.pathname.slice(prefix.length)));
      if (!file.startsWith(path.resolve(dir) + path.sep)) break;
      fs.stat(file, (err, st) => {
        if (err || !st.isFile()) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': st.size });
        fs.createReadStream(file).pipe(res);
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The host's page (src/panel/webviewHtml.ts) with the test driver's script added before the webview's. */
function testPage(origin: string, nonce: string, runtimeByMessage: boolean): string {
  const html = webviewHtml({
    cspSource: origin,
    nonce,
    runtimeByMessage,
    scriptUri: `${origin}/dist/webview/main.js`,
    styleUri: `${origin}/media/panel.css`,
  });
  const driver = `<script nonce="${nonce}">${DRIVER}</script>\n`;
  return html.replace('<script type="module"', `${driver}<script type="module"`);
}

// Runs in the page before the webview: what VS Code's webview host would provide.
const DRIVER = `
(function () {
  var d = window.__driver = { posted: [], violations: [], themes: ${JSON.stringify(themesForPage())} };
  document.addEventListener('securitypolicyviolation', function (e) {
    d.violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
  });
  // Fault injection for tests: keep the GPUDevices the page creates, so a test can destroy one
  // (a real device loss) and watch the webview fall back to WASM.
  d.gpuDevices = [];
  if (window.GPUAdapter) {
    var requestDevice = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = function () {
      return requestDevice.apply(this, arguments).then(function (dev) { d.gpuDevices.push(dev); return dev; });
    };
  }
  var acquired = false;
  window.acquireVsCodeApi = function () {
    if (acquired) throw new Error('acquireVsCodeApi may be called once');
    acquired = true;
    return {
      postMessage: function (m) { d.posted.push(JSON.parse(JSON.stringify(m))); },
      getState: function () { var s = sessionStorage.getItem('vscode-state'); return s ? JSON.parse(s) : undefined; },
      setState: function (s) { sessionStorage.setItem('vscode-state', JSON.stringify(s)); }
    };
  };
  d.setTheme = function (name) {
    var vars = d.themes[name];
    var root = document.documentElement;
    Object.keys(vars).forEach(function (k) { root.style.setProperty(k, vars[k]); });
    var apply = function () { document.body.className = 'vscode-' + name; };
    if (document.body) apply(); else document.addEventListener('DOMContentLoaded', apply);
  };
  d.setTheme('dark');
})();
`;

/**
 * The theme variables VS Code gives a webview (the subset the panel and vscode-elements read),
 * with the values of VS Code's Light+ and Dark+ themes.
 */
export function themesForPage(): Record<'light' | 'dark', Record<string, string>> {
  const common = {
    '--vscode-font-family': 'system-ui, sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-font-weight': 'normal',
    '--vscode-editor-font-family': "'DejaVu Sans Mono', monospace",
    '--vscode-editor-font-size': '14px',
  };
  return {
    dark: {
      ...common,
      '--vscode-foreground': '#cccccc', '--vscode-editor-foreground': '#d4d4d4', '--vscode-editor-background': '#1e1e1e',
      '--vscode-descriptionForeground': '#9d9d9d', '--vscode-errorForeground': '#f85149', '--vscode-focusBorder': '#0078d4',
      '--vscode-panel-border': '#2b2b2b', '--vscode-widget-border': '#313131', '--vscode-textBlockQuote-background': '#2b2b2b',
      '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#89d185',
      '--vscode-charts-red': '#f14c4c', '--vscode-charts-purple': '#b180d7', '--vscode-charts-yellow': '#cca700',
      '--vscode-terminal-ansiCyan': '#11a8cd', '--vscode-terminal-ansiMagenta': '#bc3fbc',
      '--vscode-terminal-ansiBrightBlue': '#3b8eea', '--vscode-terminal-ansiBrightGreen': '#23d18b',
      '--vscode-terminal-ansiBrightRed': '#f14c4c', '--vscode-terminal-ansiBrightYellow': '#f5f543',
      '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff',
      '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-settings-dropdownBackground': '#313131', '--vscode-settings-dropdownForeground': '#cccccc',
      '--vscode-settings-dropdownBorder': '#3c3c3c', '--vscode-settings-checkboxBackground': '#313131',
      '--vscode-settings-checkboxBorder': '#3c3c3c', '--vscode-settings-checkboxForeground': '#cccccc',
      '--vscode-progressBar-background': '#0078d4',
    },
    light: {
      ...common,
      '--vscode-foreground': '#3b3b3b', '--vscode-editor-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff',
      '--vscode-descriptionForeground': '#717171', '--vscode-errorForeground': '#f85149', '--vscode-focusBorder': '#005fb8',
      '--vscode-panel-border': '#e5e5e5', '--vscode-widget-border': '#e5e5e5', '--vscode-textBlockQuote-background': '#f8f8f8',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-charts-blue': '#1a85ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#388a34',
      '--vscode-charts-red': '#e51400', '--vscode-charts-purple': '#652d90', '--vscode-charts-yellow': '#bf8803',
      '--vscode-terminal-ansiCyan': '#0598bc', '--vscode-terminal-ansiMagenta': '#bc05bc',
      '--vscode-terminal-ansiBrightBlue': '#0451a5', '--vscode-terminal-ansiBrightGreen': '#14ce14',
      '--vscode-terminal-ansiBrightRed': '#cd3131', '--vscode-terminal-ansiBrightYellow': '#b5ba00',
      '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff',
      '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-settings-dropdownBackground': '#ffffff', '--vscode-settings-dropdownForeground': '#3b3b3b',
      '--vscode-settings-dropdownBorder': '#cecece', '--vscode-settings-checkboxBackground': '#f8f8f8',
      '--vscode-settings-checkboxBorder': '#cecece', '--vscode-settings-checkboxForeground': '#3b3b3b',
      '--vscode-progressBar-background': '#005fb8',
    },
  };
}

export interface LaunchOptions {
  /** Start Chromium with --enable-unsafe-webgpu (SwiftShader's adapter without a GPU). */
  webgpu: boolean;
}

export function launchBrowser(opts: LaunchOptions): Promise<Browser> {
  const args = [
    '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run',
  ];
  if (opts.webgpu) args.push('--enable-unsafe-webgpu');
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args });
}

/** A page with the webview loaded, every request and console line recorded. */
export interface Panel {
  context: BrowserContext;
  page: Page;
  /** Every URL the page asked for (any origin). */
  requests: string[];
  console: string[];
  /** Sends a host → webview message (or any value, to test validation). */
  send(msg: ToWebview | unknown): Promise<void>;
  /** Sends several messages in one go (one task of the page), as a burst from the host would arrive. */
  sendAll(msgs: (ToWebview | unknown)[]): Promise<void>;
  /** What the webview has posted so far (from index `from` on). */
  posted(from?: number): Promise<ToHost[]>;
  /** How many messages the webview has posted so far. */
  count(): Promise<number>;
  /** Waits for a posted message matching `pred`, after `from` messages (index into posted()). */
  waitFor<T extends ToHost>(pred: (m: ToHost) => m is T, opts?: { from?: number; timeoutMs?: number }): Promise<T>;
  violations(): Promise<{ directive: string; blocked: string }[]>;
  setTheme(name: 'light' | 'dark'): Promise<void>;
  /**
   * Destroys every GPUDevice the page made (a device loss); returns how many. `idle`: first waits
   * until the GPU has finished all work submitted to it, so the loss falls between runs.
   */
  loseGpu(opts?: { idle?: boolean }): Promise<number>;
  close(): Promise<void>;
}

export async function openPanel(browser: Browser, server: PageServer, viewport = { width: 1100, height: 900 }): Promise<Panel> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const requests: string[] = [];
  const consoleLines: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m: ConsoleMessage) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  await page.goto(`${server.origin}/`);
  const panel: Panel = {
    context,
    page,
    requests,
    console: consoleLines,
    send: (msg) => page.evaluate((m) => window.postMessage(m, '*'), msg as object),
    sendAll: (msgs) => page.evaluate((ms) => ms.forEach((m) => window.postMessage(m, '*')), msgs as object[]),
    posted: (from = 0) => page.evaluate((f) => (window as unknown as { __driver: { posted: ToHost[] } }).__driver.posted.slice(f), from),
    count: () => page.evaluate(() => (window as unknown as { __driver: { posted: ToHost[] } }).__driver.posted.length),
    waitFor: async <T extends ToHost>(pred: (m: ToHost) => m is T, o: { from?: number; timeoutMs?: number } = {}) => {
      const deadline = Date.now() + (o.timeoutMs ?? 90_000);
      let from = o.from ?? 0;
      for (;;) {
        // only the messages not looked at yet cross over (an export can be megabytes)
        const fresh = await panel.posted(from);
        from += fresh.length;
        const hit = fresh.find(pred);
        if (hit) return hit;
        const err = fresh.find((m) => m.type === 'error');
        if (err) throw new Error(`the webview posted an error: ${JSON.stringify(err)}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for a message; console: ${consoleLines.slice(-10).join(' | ')}`);
        await page.waitForTimeout(100);
      }
    },
    violations: () => page.evaluate(() => (window as unknown as { __driver: { violations: { directive: string; blocked: string }[] } }).__driver.violations),
    setTheme: (name) => page.evaluate((n) => (window as unknown as { __driver: { setTheme(n: string): void } }).__driver.setTheme(n), name),
    loseGpu: (opts = {}) => page.evaluate(async (idle) => {
      const devices = (window as unknown as { __driver: { gpuDevices: { destroy(): void; queue: { onSubmittedWorkDone(): Promise<void> } }[] } }).__driver.gpuDevices;
      if (idle) {
        // Twice, a second apart: a readback the runtime starts after the first wait (a loaded machine
        // delays it) is then done too, and the mappings it resolved have settled.
        for (let i = 0; i < 2; i++) {
          await Promise.all(devices.map((dev) => dev.queue.onSubmittedWorkDone()));
          await new Promise((r) => setTimeout(r, i === 0 ? 1000 : 0));
        }
      }
      devices.forEach((dev) => dev.destroy());
      return devices.length;
    }, opts.idle === true),
    close: () => context.close(),
  };
  return panel;
}

/** Type guards for waitFor. */
export const is = {
  ready: (m: ToHost): m is Extract<ToHost, { type: 'ready' }> => m.type === 'ready',
  result: (m: ToHost): m is Extract<ToHost, { type: 'result' }> => m.type === 'result',
  highlight: (m: ToHost): m is Extract<ToHost, { type: 'highlight' }> => m.type === 'highlight',
  explanation: (m: ToHost): m is Extract<ToHost, { type: 'explanation' }> => m.type === 'explanation',
  save: (m: ToHost): m is Extract<ToHost, { type: 'save' }> => m.type === 'save',
  error: (m: ToHost): m is Extract<ToHost, { type: 'error' }> => m.type === 'error',
};

/** The init message the host would send, for the served bundled model. */
export function initMessage(server: PageServer, backend: 'auto' | 'webgpu' | 'wasm' = 'auto'): ToWebview {
  const dir = path.join(REPO_ROOT, 'models', 'default');
  const config = parseModelConfig(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  return {
    type: 'init',
    model: { name: config.name, config, modelUri: `${server.origin}/models/default/model.onnx`, sizeBytes: fs.statSync(path.join(dir, 'model.onnx')).size },
    wasmBase: `${server.origin}/dist/webview/`,
    backend,
  };
}

/** Where screenshots and other test outputs go (gitignored). */
export function artifactsDir(): string {
  const dir = path.join(REPO_ROOT, 'test-artifacts');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
