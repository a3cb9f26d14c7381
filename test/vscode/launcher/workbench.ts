// Opens the VS Code workbench served by code-server in Debian's Chromium (playwright-core), with an
// extension under development and its tests, and resolves with the exit code the workbench reports
// through window.codeAutomationExit when the tests end.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BrowserContext, Page, chromium } from 'playwright-core';

export interface WorkbenchOptions {
  origin: string;
  port: number;
  folder: string;
  extensionPath: string;
  testsPath: string;
  /** Start Chromium with --enable-unsafe-webgpu (SwiftShader adapter) or without (no adapter). */
  webgpu: boolean;
  /** Run the extension (and its tests) in the browser worker extension host, as VS Code for the Web does. */
  web?: boolean;
  /**
   * host:port of an HTTP proxy for Chromium. Loopback bypasses it (Chromium's implicit rule), so only
   * what would leave the machine reaches it, from any page, frame, worker or service worker.
   */
  proxy?: string;
  onConsole?: (text: string) => void;
  /**
   * Also open Chrome's DevTools protocol on this port, for a driver in another process
   * (connectOverCDP; see launcher/cli.ts). The page then lives in the browser's default context.
   */
  remoteDebuggingPort?: number;
  /**
   * A Chromium profile folder to open (launchPersistentContext) and leave in place on close, so a
   * later window finds this one's IndexedDB, HTTP cache and code cache, as a user's later windows do.
   * Absent: a fresh, empty profile each time (a new browser context, or a temp folder deleted on close).
   */
  profileDir?: string;
}

export interface Workbench {
  page: Page;
  exitCode: Promise<number>;
  close(): Promise<void>;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The payload URL: extensionDevelopmentPath/extensionTestsPath as vscode-remote URIs on this server. */
export function workbenchUrl(o: Pick<WorkbenchOptions, 'origin' | 'port' | 'folder' | 'extensionPath' | 'web'> & { testsPath?: string }): string {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${o.port}${p}`;
  const payload: [string, string][] = [['extensionDevelopmentPath', remote(o.extensionPath)]];
  if (o.testsPath) payload.push(['extensionTestsPath', remote(o.testsPath)]);
  // The extension under development goes to the web worker host (its "browser" entry) instead of the Node one.
  // VS Code 1.100's browser workbench drops this entry (see WEB_SETTINGS in ./settings.ts, which does the work);
  // it stays for the versions that read it.
  if (o.web) payload.push(['extensionDevelopmentKind', 'web']);
  return `${o.origin}/?folder=${encodeURIComponent(o.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export async function openWorkbench(o: WorkbenchOptions): Promise<Workbench> {
  const args = [
    // This machine's network is closed: keep Chromium from trying Google's services.
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-quic', '--no-first-run',
    ...(o.webgpu ? ['--enable-unsafe-webgpu'] : []),
    ...(o.proxy ? [`--proxy-server=http://${o.proxy}`] : []),
  ];
  const viewport = { width: 1440, height: 900 };
  let context: BrowserContext;
  let close: () => Promise<void>;
  if (o.remoteDebuggingPort || o.profileDir) {
    // A profile folder (given, or a temp one), in the default context, which a CDP client in another
    // process can see.
    const profile = o.profileDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-chromium-'));
    const debugging = o.remoteDebuggingPort ? [`--remote-debugging-port=${o.remoteDebuggingPort}`, '--remote-debugging-address=127.0.0.1'] : [];
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, viewport, args: [...args, ...debugging],
    });
    close = async () => {
      await context.close();
      if (!o.profileDir) fs.rmSync(profile, { recursive: true, force: true });
    };
  } else {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
    context = await browser.newContext({ viewport });
    close = () => browser.close();
  }
  const page = context.pages()[0] ?? await context.newPage();
  let resolveExit: (code: number) => void = () => undefined;
  const exitCode = new Promise<number>((r) => { resolveExit = r; });
  await page.exposeFunction('codeAutomationExit', (code: unknown) => {
    resolveExit(typeof code === 'number' ? code : 1);
  });
  if (o.onConsole) {
    const sink = o.onConsole;
    page.on('console', (m) => sink(m.text()));
    page.on('pageerror', (e) => sink(`[page error] ${e.message}`));
  }
  await page.goto(workbenchUrl(o), { waitUntil: 'domcontentloaded' });
  return { page, exitCode, close };
}
