// Mocha reporter for the command-line parts of `npm test`: the spec reporter's output, plus the
// counts written as JSON to $TEST_COUNTS_FILE so scripts/test-all.sh can add the parts up.
// Pending (skipped) tests are reported separately; test-all counts them as failures.
import * as fs from 'fs';
import Mocha from 'mocha';

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.TEST_COUNTS_FILE;
      if (!file) return;
      const s = this.stats;
      fs.writeFileSync(file, JSON.stringify({ passed: s.passes, failed: s.failures, pending: s.pending }));
    });
  }
}

export = CountingReporter;
