// Runs the VS Code tests in a real VS Code: code-server (installed into .cache by
// scripts/install-code-server.sh) opened in Debian's Chromium, the extension loaded as a development
// extension and the mocha suite (out/test/vscode/index.js) run inside its real Node extension host.
// Three passes: Chromium with --enable-unsafe-webgpu (WebGPU on SwiftShader) and without (WASM
// fallback), running suite/; then a short one with workspace trust on, in a workspace that is not
// trusted and whose .vscode/settings.json sets attentionLens.modelPath, running suite-untrusted/.
//
// node out/test/vscode/runTests.js [--pass webgpu|wasm|untrusted]... [--counts FILE] [--grep TITLE]
// Prints each pass's result and `N passed, N failed`; exits 1 when anything failed or could not run.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureFixtures } from '../fixtures/build';
import { ENV, PassReport, TEST_PASSES, TestPass, UNTRUSTED_MODEL_NAME } from './driverProtocol';
import { startCodeServer } from './launcher/codeServer';
import { startUiDriver } from './launcher/uiDriver';
import { SETTINGS, TRUST_SETTINGS, codeServerEntry } from './launcher/settings';
import { openWorkbench } from './launcher/workbench';

const REPO = path.resolve(__dirname, '..', '..', '..');
const PASS_TIMEOUT_MS = Number(process.env.VSCODE_TEST_TIMEOUT_MS ?? 12 * 60_000);

interface Args { passes: TestPass[]; counts: string | null; artifacts: string; extension: string; tests: string; grep: string | null }

function parseArgs(argv: string[]): Args {
  const a: Args = {
    passes: [],
    counts: null,
    artifacts: path.join(REPO, 'test-artifacts'),
    extension: process.env.EXTENSION_PATH ? path.resolve(process.env.EXTENSION_PATH) : REPO,
    tests: path.join(__dirname, 'index'),
    grep: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--pass':
        if (!(TEST_PASSES as readonly string[]).includes(v)) throw new Error(`--pass takes ${TEST_PASSES.join(', ')}, not ${v}`);
        a.passes.push(v as TestPass); i++; break;
      case '--counts': a.counts = path.resolve(v); i++; break;
      case '--artifacts': a.artifacts = path.resolve(v); i++; break;
      case '--tests': a.tests = path.resolve(v); i++; break;
      case '--grep': a.grep = v; i++; break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (a.passes.length === 0) a.passes = [...TEST_PASSES];
  return a;
}

/** Copies the committed sample folder into a fresh workspace the tests may change. */
function makeWorkspace(home: string, pass: TestPass): string {
  const ws = path.join(home, 'workspace');
  fs.cpSync(path.join(REPO, 'samples'), ws, { recursive: true });
  if (pass === 'untrusted') {
    // A workable model (the bundled one under another name), so that loading it would show.
    const model = path.join(home, 'workspace-model');
    fs.cpSync(path.join(REPO, 'models', 'default'), model, { recursive: true });
    const configFile = path.join(model, 'config.json');
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(configFile, JSON.stringify({ ...config, name: UNTRUSTED_MODEL_NAME }, null, 2));
    fs.mkdirSync(path.join(ws, '.vscode'));
    fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'attentionLens.modelPath': model }, null, 2));
  }
  return ws;
}

async function runPass(pass: TestPass, args: Args, entry: string): Promise<PassReport> {
  const t0 = Date.now();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `attention-lens-vscode-${pass}-`));
  const reportFile = path.join(home, 'report.json');
  const say = (line: string) => process.stdout.write(`[vscode:${pass}] ${line}\n`);
  const driver = await startUiDriver(args.artifacts, (line) => process.stdout.write(`${line}\n`));
  const untrusted = pass === 'untrusted';
  const server = await startCodeServer({
    entry,
    home,
    settings: untrusted ? { ...SETTINGS, ...TRUST_SETTINGS } : SETTINGS,
    workspaceTrust: untrusted,
    env: {
      [ENV.driver]: driver.url, [ENV.pass]: pass, [ENV.report]: reportFile, [ENV.repo]: REPO,
      ...(args.grep ? { [ENV.grep]: args.grep } : {}),
    },
  });
  let report: PassReport;
  let browserClose: () => Promise<void> = async () => undefined;
  try {
    const consoleLines: string[] = [];
    const wb = await openWorkbench({
      origin: server.origin,
      port: server.port,
      folder: makeWorkspace(home, pass),
      extensionPath: args.extension,
      testsPath: args.tests,
      webgpu: pass === 'webgpu',
      onConsole: (t) => {
        if (process.env.VSCODE_TEST_CONSOLE) say(`[console] ${t}`);
        consoleLines.push(t);
        if (consoleLines.length > 300) consoleLines.shift();
      },
    });
    browserClose = () => wb.browser.close();
    driver.attach(wb.page);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      wb.exitCode,
      new Promise<number>((r) => { timer = setTimeout(() => r(-1), PASS_TIMEOUT_MS); }),
    ]);
    clearTimeout(timer);
    if (code === -1) {
      await wb.page.screenshot({ path: path.join(args.artifacts, `timeout-${pass}.png`) }).catch(() => undefined);
      throw new Error(`no exit from the workbench after ${PASS_TIMEOUT_MS / 1000} s`);
    }
    if (!fs.existsSync(reportFile)) {
      throw new Error(`exit code ${code} but no test report: the suite did not run.\n` +
        `browser console:\n${consoleLines.slice(-40).join('\n')}\ncode-server:\n${server.tail()}`);
    }
    report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as PassReport;
    if (code !== 0 && report.failed === 0) {
      report.failed = 1;
      report.failures.push({ title: 'extension host exit', message: `exit code ${code} with no failing test` });
    }
  } catch (e) {
    report = { passed: 0, failed: 1, failures: [{ title: `VS Code ${pass} pass`, message: e instanceof Error ? e.message : String(e) }] };
  } finally {
    await browserClose().catch(() => undefined);
    await server.stop();
    await driver.close();
  }
  if (report.failed > 0) {
    // VS Code's own logs (extension host, server, window) show what the test output cannot.
    const logs = path.join(args.artifacts, `vscode-logs-${pass}`);
    fs.rmSync(logs, { recursive: true, force: true });
    const src = path.join(home, 'user-data', 'logs');
    if (fs.existsSync(src)) fs.cpSync(src, logs, { recursive: true });
    say(`VS Code's logs: ${logs}`);
  }
  fs.rmSync(home, { recursive: true, force: true });
  say(`${report.passed} passed, ${report.failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  for (const f of report.failures) say(`FAILED ${f.title}: ${f.message}`);
  return report;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const entry = codeServerEntry(REPO);
  // The Hugging Face-shaped fixture models (GPT-2, BERT, Llama; fused and unfillable graphs) the
  // model suite points attentionLens.modelPath at: built here with PyTorch on a clean clone
  // (~20 s), then cached; the suite finds them in the same cache.
  if (args.passes.some((p) => p !== 'untrusted')) {
    const t0 = Date.now();
    const fx = ensureFixtures();
    // GPT-2 small for the model suite's size test, only when asked (minutes to build, ~500 MB).
    if (process.env.ATTENTION_LENS_BIG_MODEL === '1') Object.assign(fx, ensureFixtures('gpt2-small'));
    console.log(`[vscode] fixture models ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${Object.keys(fx).join(', ')}`);
  }
  let passed = 0;
  let failed = 0;
  for (const pass of args.passes) {
    const r = await runPass(pass, args, entry);
    passed += r.passed;
    failed += r.failed;
  }
  if (args.counts) fs.writeFileSync(args.counts, JSON.stringify({ passed, failed }));
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
