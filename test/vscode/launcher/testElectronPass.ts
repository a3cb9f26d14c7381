// One pass of the VS Code suite through @vscode/test-electron's runTests: the runner's UI driver
// is started here, the VS Code executable (code-server + Chromium by default, a desktop VS Code
// with --desktop) is started by runTests with a DevTools port, and the driver attaches to its
// workbench window over that port. The executable exits with the suite's exit code.
import * as fs from 'fs';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { Browser, Page, chromium } from 'playwright-core';
import { CLI_FLAGS } from './cli';
import { freePort } from './codeServer';
import { UiDriver } from './uiDriver';

export const CODE_SERVER_AS_VSCODE = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'vscode', 'launcher', 'code-server-as-vscode');

export interface ElectronPassOptions {
  /** The VS Code executable: ./code-server-as-vscode, or a desktop VS Code's. */
  executable: string;
  /** Folder holding user-data/ (settings already written) and extensions/. */
  home: string;
  workspace: string;
  extensionPath: string;
  testsPath: string;
  /** Environment for the extension host (the tests). */
  env: Record<string, string>;
  /** Chromium flags for this pass (e.g. --enable-unsafe-webgpu, --disable-gpu). */
  flags: string[];
  workspaceTrust: boolean;
  driver: UiDriver;
  say: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The workbench window of the browser behind `port`, once it is up (a desktop VS Code's, or Chromium's). */
async function attachWorkbench(port: number, stop: Promise<unknown>): Promise<{ browser: Browser; page: Page } | null> {
  let stopped = false;
  void stop.finally(() => { stopped = true; });
  const deadline = Date.now() + 180_000;
  while (!stopped && Date.now() < deadline) {
    try {
      const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 5000 });
      for (let k = 0; k < 100 && !stopped; k++) {
        const page = browser.contexts().flatMap((c) => c.pages()).find((p) => !p.url().startsWith('devtools:') && p.url() !== 'about:blank');
        if (page) return { browser, page };
        await sleep(200);
      }
      await browser.close();
    } catch {
      await sleep(500);
    }
  }
  return null;
}

/** Runs the pass; resolves with the executable's exit code (0 when the suite passed). */
export async function runThroughTestElectron(o: ElectronPassOptions): Promise<number> {
  const port = await freePort();
  const run = runTests({
    vscodeExecutablePath: o.executable,
    extensionDevelopmentPath: o.extensionPath,
    extensionTestsPath: o.testsPath,
    launchArgs: [
      o.workspace,
      `--user-data-dir=${path.join(o.home, 'user-data')}`,
      `--extensions-dir=${path.join(o.home, 'extensions')}`,
      `--remote-debugging-port=${port}`,
      ...(o.workspaceTrust ? [CLI_FLAGS.trust] : []),
      ...o.flags,
    ],
    extensionTestsEnv: o.env,
  }).then(() => 0, (e: unknown) => {
    const code = (e as { code?: number }).code;
    return typeof code === 'number' ? code : 1;
  });
  const attached = await attachWorkbench(port, run);
  if (attached) o.driver.attach(attached.page);
  else o.say('the UI driver could not attach to the workbench window (no DevTools port answered)');
  try {
    return await run;
  } finally {
    // Disconnects only: the executable owns the browser.
    await attached?.browser.close().catch(() => undefined);
  }
}

/** Writes VS Code user settings where both code-server and a desktop VS Code read them. */
export function writeUserSettings(home: string, settings: Record<string, unknown>): void {
  const dir = path.join(home, 'user-data', 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}
