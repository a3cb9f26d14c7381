// A "VS Code executable" for @vscode/test-electron's runTests (see ./code-server-as-vscode): takes
// the VS Code command line that runTests builds (folder, --extensionDevelopmentPath=,
// --extensionTestsPath=, --user-data-dir=, ...) and runs it in the real VS Code available here,
// code-server opened in Debian's Chromium; exits with the code the workbench reports when the
// tests end. --remote-debugging-port=N opens Chromium's DevTools protocol for the UI driver in the
// runner's process (launcher/testElectronPass.ts), as a desktop VS Code (Electron) would.
import * as path from 'path';
import { startCodeServer } from './codeServer';
import { codeServerEntry } from './settings';
import { openWorkbench } from './workbench';

/** Flags of ours, beside VS Code's own, that runTests passes through launchArgs. */
export const CLI_FLAGS = {
  /** Keep workspace trust on (runTests always adds --disable-workspace-trust). */
  trust: '--attention-lens-workspace-trust',
  /** Run the extension in the browser worker extension host (the web pass). */
  web: '--attention-lens-web',
  /** --attention-lens-proxy=HOST:PORT: Chromium's proxy for everything beyond loopback (the web pass's driver, which records it). */
  proxy: '--attention-lens-proxy',
} as const;

export interface VsCodeCommandLine {
  folder: string | null;
  extensionDevelopmentPath: string | null;
  extensionTestsPath: string | null;
  userDataDir: string | null;
  remoteDebuggingPort: number | null;
  webgpu: boolean;
  workspaceTrust: boolean;
  web: boolean;
  proxy: string | null;
}

/** Reads the command line runTests gives a VS Code executable; flags it does not need are ignored. */
export function parseVsCodeArgs(argv: readonly string[]): VsCodeCommandLine {
  const c: VsCodeCommandLine = {
    folder: null, extensionDevelopmentPath: null, extensionTestsPath: null, userDataDir: null,
    remoteDebuggingPort: null, webgpu: false, workspaceTrust: false, web: false, proxy: null,
  };
  for (const a of argv) {
    const eq = a.indexOf('=');
    const [flag, value] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, ''];
    switch (flag) {
      case '--extensionDevelopmentPath': c.extensionDevelopmentPath = value; break;
      case '--extensionTestsPath': c.extensionTestsPath = value; break;
      case '--user-data-dir': c.userDataDir = value; break;
      case '--remote-debugging-port': c.remoteDebuggingPort = Number(value) || null; break;
      case '--enable-unsafe-webgpu': c.webgpu = true; break;
      case CLI_FLAGS.trust: c.workspaceTrust = true; break;
      case CLI_FLAGS.web: c.web = true; break;
      case CLI_FLAGS.proxy: c.proxy = value || null; break;
      default:
        if (!a.startsWith('-')) c.folder = a;
    }
  }
  return c;
}

const TIMEOUT_MS = Number(process.env.VSCODE_TEST_TIMEOUT_MS ?? 18 * 60_000);

async function main(): Promise<number> {
  const c = parseVsCodeArgs(process.argv.slice(2));
  if (!c.folder || !c.extensionDevelopmentPath || !c.extensionTestsPath || !c.userDataDir) {
    throw new Error('needs a folder, --extensionDevelopmentPath=, --extensionTestsPath= and --user-data-dir=');
  }
  const repo = path.resolve(__dirname, '..', '..', '..', '..');
  // code-server keeps user-data/, extensions/ and its XDG dirs under one folder.
  const home = path.dirname(path.resolve(c.userDataDir));
  // With a proxy watching what leaves (the web pass), VS Code's own marketplace (open-vsx.org) is off: it is
  // the workbench's, not the extension's, and this machine has no network.
  const server = await startCodeServer({
    entry: codeServerEntry(repo), home, workspaceTrust: c.workspaceTrust, ...(c.proxy ? { env: { EXTENSIONS_GALLERY: '{}' } } : {}),
  });
  const consoleLines: string[] = [];
  let close: () => Promise<void> = async () => undefined;
  try {
    const wb = await openWorkbench({
      origin: server.origin, port: server.port, folder: path.resolve(c.folder),
      extensionPath: path.resolve(c.extensionDevelopmentPath), testsPath: path.resolve(c.extensionTestsPath),
      webgpu: c.webgpu, web: c.web, proxy: c.proxy ?? undefined, remoteDebuggingPort: c.remoteDebuggingPort ?? undefined,
      onConsole: (t) => {
        if (process.env.VSCODE_TEST_CONSOLE) process.stderr.write(`[console] ${t}\n`);
        consoleLines.push(t);
        if (consoleLines.length > 300) consoleLines.shift();
      },
    });
    close = wb.close;
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([wb.exitCode, new Promise<number>((r) => { timer = setTimeout(() => r(-1), TIMEOUT_MS); })]);
    clearTimeout(timer);
    if (code !== 0) {
      // What the runner's report cannot show: the window's console and the server's last lines.
      process.stderr.write(`[code-server-as-vscode] exit ${code === -1 ? `none after ${TIMEOUT_MS / 1000} s` : code}\n` +
        `browser console:\n${consoleLines.slice(-40).join('\n')}\ncode-server:\n${server.tail()}\n`);
    }
    return code === -1 ? 124 : code;
  } finally {
    await close().catch(() => undefined);
    await server.stop();
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code), (e: unknown) => {
    process.stderr.write(`[code-server-as-vscode] ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
  });
}
