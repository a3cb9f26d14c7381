// Opens the VS Code workbench served by code-server in Debian's Chromium (playwright-core), with an
// extension under development and its tests, and resolves with the exit code the workbench reports
// through window.codeAutomationExit when the tests end.
import { Browser, Page, chromium } from 'playwright-core';

export interface WorkbenchOptions {
  origin: string;
  port: number;
  folder: string;
  extensionPath: string;
  testsPath: string;
  /** Start Chromium with --enable-unsafe-webgpu (SwiftShader adapter) or without (no adapter). */
  webgpu: boolean;
  onConsole?: (text: string) => void;
}

export interface Workbench {
  browser: Browser;
  page: Page;
  exitCode: Promise<number>;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The payload URL: extensionDevelopmentPath/extensionTestsPath as vscode-remote URIs on this server. */
export function workbenchUrl(o: Pick<WorkbenchOptions, 'origin' | 'port' | 'folder' | 'extensionPath'> & { testsPath?: string }): string {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${o.port}${p}`;
  const payload: [string, string][] = [['extensionDevelopmentPath', remote(o.extensionPath)]];
  if (o.testsPath) payload.push(['extensionTestsPath', remote(o.testsPath)]);
  return `${o.origin}/?folder=${encodeURIComponent(o.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export async function openWorkbench(o: WorkbenchOptions): Promise<Workbench> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      // This machine's network is closed: keep Chromium from trying Google's services.
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-quic', '--no-first-run',
      ...(o.webgpu ? ['--enable-unsafe-webgpu'] : []),
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
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
  return { browser, page, exitCode };
}
