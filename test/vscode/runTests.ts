// Runs the VS Code tests in a real VS Code: code-server (installed into .cache by
// scripts/install-code-server.sh) opened in Debian's Chromium, the extension loaded as a development
// extension and the mocha suite (out/test/vscode/index.js) run inside its real Node extension host.
// Three passes: Chromium with --enable-unsafe-webgpu (WebGPU on SwiftShader) and without (WASM
// fallback), running suite/; then a short one with workspace trust on, in a workspace that is not
// trusted and whose .vscode/settings.json sets attentionLens.modelPath, running suite-untrusted/;
// then the web pass: the extension in the browser worker extension host, running suite-web/.
//
// Each pass goes through @vscode/test-electron's runTests, with launcher/code-server-as-vscode as the
// VS Code executable; `--desktop PATH` runs the same suite in a desktop VS Code instead (WASM pass).
//
// node out/test/vscode/runTests.js [--pass webgpu|wasm|untrusted|web]... [--counts FILE] [--grep TITLE] [--desktop PATH]
// Prints each pass's result and `N passed, N failed`; exits 1 when anything failed or could not run.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureFixtures } from '../fixtures/build';
import { ensureFusedModels } from '../fixtures/fusedModels';
import { ensureHubForms } from '../fixtures/hubForms';
import { ENV, PassReport, TEST_PASSES, TestPass, UNTRUSTED_MODEL_NAME, WEB_WORKSPACE_MODEL } from './driverProtocol';
import { SETTINGS, TRUST_SETTINGS, WEB_SETTINGS, codeServerEntry } from './launcher/settings';
import { CODE_SERVER_AS_VSCODE, runThroughTestElectron, writeUserSettings } from './launcher/testElectronPass';
import { CLI_FLAGS } from './launcher/cli';
import { startUiDriver } from './launcher/uiDriver';
import { buildWebTests } from './launcher/webTests';

const REPO = path.resolve(__dirname, '..', '..', '..');

interface Args {
  passes: TestPass[]; counts: string | null; artifacts: string; extension: string; tests: string; grep: string | null;
  /** A desktop VS Code's executable (--desktop PATH, or $VSCODE_EXECUTABLE), else code-server + Chromium. */
  desktop: string | null;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    passes: [],
    counts: null,
    artifacts: path.join(REPO, 'test-artifacts'),
    extension: process.env.EXTENSION_PATH ? path.resolve(process.env.EXTENSION_PATH) : REPO,
    tests: path.join(__dirname, 'index'),
    grep: null,
    desktop: null,
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
      case '--desktop':
        // The Electron executable of an installed VS Code (e.g. /usr/share/code/code).
        if (v && !v.startsWith('--')) { a.desktop = path.resolve(v); i++; } else a.desktop = process.env.VSCODE_EXECUTABLE ?? null;
        if (!a.desktop) throw new Error('--desktop needs the path of a VS Code executable (or set VSCODE_EXECUTABLE)');
        break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  // A desktop VS Code runs the WASM pass (its GPU is its own; runTests turns workspace trust off).
  if (a.passes.length === 0) a.passes = a.desktop ? ['wasm'] : [...TEST_PASSES];
  return a;
}

/** The bundled decoder copied to `dir` under another name, so that loading it would show. */
function renamedDecoder(dir: string, name: string): void {
  fs.cpSync(path.join(REPO, 'models', 'default'), dir, { recursive: true });
  const configFile = path.join(dir, 'config.json');
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(configFile, JSON.stringify({ ...config, name }, null, 2));
}

/** Copies the committed sample folder into a fresh workspace the tests may change. */
function makeWorkspace(home: string, pass: TestPass): string {
  const ws = path.join(home, 'workspace');
  fs.cpSync(path.join(REPO, 'samples'), ws, { recursive: true });
  // The web host reads model folders only through the workspace: one inside it, for Choose model… → Browse….
  if (pass === 'web') renamedDecoder(path.join(ws, WEB_WORKSPACE_MODEL.folder), WEB_WORKSPACE_MODEL.name);
  if (pass === 'untrusted') {
    const model = path.join(home, 'workspace-model');
    renamedDecoder(model, UNTRUSTED_MODEL_NAME);
    fs.mkdirSync(path.join(ws, '.vscode'));
    fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'attentionLens.modelPath': model }, null, 2));
  }
  return ws;
}

async function runPass(pass: TestPass, args: Args): Promise<PassReport> {
  const t0 = Date.now();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `attention-lens-vscode-${pass}-`));
  const reportFile = path.join(home, 'report.json');
  const say = (line: string) => process.stdout.write(`[vscode:${pass}] ${line}\n`);
  const driver = await startUiDriver(args.artifacts, (line) => process.stdout.write(`${line}\n`), reportFile);
  const untrusted = pass === 'untrusted';
  const web = pass === 'web';
  writeUserSettings(home, untrusted ? { ...SETTINGS, ...TRUST_SETTINGS } : web ? { ...SETTINGS, ...WEB_SETTINGS } : SETTINGS);
  let report: PassReport;
  try {
    // The web pass's tests are a browser bundle inside the extension's folder (so they run in its host),
    // told the driver's address at build time.
    const testsPath = web ? path.join(args.extension, 'out', 'test', 'vscode-web', 'index.js') : args.tests;
    if (web) await buildWebTests(REPO, testsPath, { driver: driver.url, ...(args.grep ? { grep: args.grep } : {}) });
    // Through @vscode/test-electron's runTests, as a desktop VS Code would be run (--desktop).
    const code = await runThroughTestElectron({
      executable: args.desktop ?? CODE_SERVER_AS_VSCODE,
      home,
      workspace: makeWorkspace(home, pass),
      extensionPath: args.extension,
      testsPath,
      env: {
        [ENV.driver]: driver.url, [ENV.pass]: pass, [ENV.report]: reportFile, [ENV.repo]: REPO, [ENV.artifacts]: args.artifacts,
        ...(args.grep ? { [ENV.grep]: args.grep } : {}),
      },
      // A desktop VS Code has a GPU of its own: without one (--disable-gpu) it is the WASM pass.
      // The web pass's browser sends what would leave the machine to the driver (suite-web/6-no-network).
      flags: pass === 'webgpu' ? ['--enable-unsafe-webgpu'] : web ? [CLI_FLAGS.web, `${CLI_FLAGS.proxy}=${driver.proxy}`] : args.desktop ? ['--disable-gpu'] : [],
      workspaceTrust: untrusted,
      driver,
      say,
    });
    if (!fs.existsSync(reportFile)) throw new Error(`exit code ${code} but no test report: the suite did not run (the launcher's output above says why)`);
    report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as PassReport;
    if (code !== 0 && report.failed === 0) {
      report.failed = 1;
      report.failures.push({ title: 'extension host exit', message: `exit code ${code} with no failing test` });
    }
  } catch (e) {
    report = { passed: 0, failed: 1, failures: [{ title: `VS Code ${pass} pass`, message: e instanceof Error ? e.message : String(e) }] };
  } finally {
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
  // Installed (once, cached) before the passes: the launcher only looks it up.
  if (!args.desktop) codeServerEntry(REPO);
  // The Hugging Face-shaped fixture models (GPT-2, BERT, Llama; fused and unfillable graphs; a
  // 69 MB GPT-2 for the chunked transfer) the model suite points attentionLens.modelPath at: built
  // here with PyTorch on a clean clone (~20 s), then cached; the suite finds them in the same cache.
  if (args.passes.some((p) => p !== 'untrusted')) {
    const t0 = Date.now();
    const fx = ensureFixtures();
    // The Hub's forms and the fused-attention graphs (suite/5c-hub-forms), once for every pass.
    ensureHubForms();
    ensureFusedModels();
    console.log(`[vscode] fixture models ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${Object.keys(fx).join(', ')}`);
  }
  let passed = 0;
  let failed = 0;
  for (const pass of args.passes) {
    const r = await runPass(pass, args);
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
