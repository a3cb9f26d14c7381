// Entry point VS Code's extension host loads as extensionTestsPath: runs the mocha suites in
// suite/ inside the real extension host, streams each result to the launcher's console and writes
// the pass's counts to the report file the launcher reads.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { ui } from './driverClient';
import { ENV, PassReport, suiteFolder } from './driverProtocol';
import { installNetMonitor } from './netMonitor';

export async function run(): Promise<void> {
  // First, before any test runs a command: record every network attempt in this extension host.
  installNetMonitor();
  const pass = process.env[ENV.pass] ?? 'unknown';
  const grep = process.env[ENV.grep];
  const mocha = new Mocha({ ui: 'bdd', timeout: 240_000, color: false, reporter: 'base', ...(grep ? { grep } : {}) });
  const suiteDir = path.join(__dirname, suiteFolder(pass));
  for (const f of fs.readdirSync(suiteDir).filter((n) => n.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(suiteDir, f));
  }

  // Lines go through the driver in order; the extension host's own stdout reaches no terminal.
  let queue: Promise<void> = Promise.resolve();
  const say = (line: string) => { queue = queue.then(() => ui.log(`[vscode:${pass}] ${line}`)).catch(() => undefined); };

  const report: PassReport = { passed: 0, failed: 0, failures: [] };
  const writeReport = () => {
    const file = process.env[ENV.report];
    if (file) fs.writeFileSync(file, JSON.stringify(report));
  };
  await new Promise<void>((resolve) => {
    let runner: Mocha.Runner;
    try {
      runner = mocha.run(() => resolve());
    } catch (e) {
      // A suite that cannot even load (a missing module, a syntax error) is one failure, said why.
      report.failed++;
      report.failures.push({ title: 'loading the VS Code suites', message: e instanceof Error ? e.stack ?? e.message : String(e) });
      resolve();
      return;
    }
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_SUITE_BEGIN } = Mocha.Runner.constants;
    runner.on(EVENT_SUITE_BEGIN, (s: Mocha.Suite) => { if (s.title) say(s.title); });
    runner.on(EVENT_TEST_PASS, (t: Mocha.Test) => {
      report.passed++;
      say(`  ✓ ${t.title} (${t.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_FAIL, (t: Mocha.Test, err: Error) => {
      report.failed++;
      report.failures.push({ title: t.fullTitle(), message: err?.stack ?? String(err) });
      say(`  ✗ ${t.title}: ${err?.message ?? err}`);
    });
    // A skipped test is a test that did not show anything: it counts as failed.
    runner.on(EVENT_TEST_PENDING, (t: Mocha.Test) => {
      report.failed++;
      report.failures.push({ title: t.fullTitle(), message: 'skipped' });
      say(`  - ${t.title}: skipped (counted as failed)`);
    });
  });
  await queue;
  writeReport();
  if (report.failed > 0 || report.passed === 0) {
    throw new Error(`${report.failed} VS Code test(s) failed`);
  }
}
