// Entry point of the web pass (extensionTestsPath), bundled for the browser worker extension host by
// launcher/webTests.ts: mocha's browser build runs suite-web/, each result and the counts go to the
// launcher through the fetch driver (the worker has no stdout and no file system of its own).
import type { PassReport } from '../driverProtocol';
import { ui } from './fetchDriver';
import { WEB_ENV } from './webTestEnv';

export async function run(): Promise<void> {
  // mocha's browser build is UMD: required (not imported) so that the bundler gives it a module of its own;
  // as an import it would take this module's exports (run) for its own. It sets the global `mocha`.
  require('mocha/mocha.js');
  let queue: Promise<void> = Promise.resolve();
  const say = (line: string): void => { queue = queue.then(() => ui.log(`[vscode:web] ${line}`)).catch(() => undefined); };
  // No reporter of mocha's own (they write to a DOM or a terminal): the events below are the report.
  mocha.setup({ ui: 'bdd', timeout: 240_000, reporter: function Silent() { /* events are read below */ } as unknown as Mocha.ReporterConstructor });
  if (WEB_ENV.grep) mocha.grep(WEB_ENV.grep);
  // Loaded after setup, which defines describe/it for them; in this order (no-network last: it checks the whole pass).
  require('../suite-web/1-explain.test');
  require('../suite-web/2-selection.test');
  require('../suite-web/3-compare.test');
  require('../suite-web/4-choose-model.test');
  require('../suite-web/4b-exports.test');
  require('../suite-web/5-running-extensions.test');
  require('../suite-web/5b-download.test');
  require('../suite-web/6-no-network.test');

  const report: PassReport = { passed: 0, failed: 0, failures: [] };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('suite', (s: Mocha.Suite) => { if (s.title) say(s.title); });
    runner.on('pass', (t: Mocha.Test) => {
      report.passed++;
      say(`  ✓ ${t.title} (${t.duration ?? 0} ms)`);
    });
    runner.on('fail', (t: Mocha.Test, err: Error) => {
      report.failed++;
      report.failures.push({ title: t.fullTitle(), message: err?.stack ?? String(err) });
      say(`  ✗ ${t.title}: ${err?.message ?? err}`);
    });
    runner.on('pending', (t: Mocha.Test) => {
      report.failed++;
      report.failures.push({ title: t.fullTitle(), message: 'skipped' });
      say(`  - ${t.title}: skipped (counted as failed)`);
    });
  });
  await queue;
  await ui.report(report);
  if (report.failed > 0 || report.passed === 0) throw new Error(`${report.failed} VS Code web test(s) failed`);
}
