// The big rows' options (never in --quick) and the peak-memory summary of a VS Code window.
import * as assert from 'assert';
import { parseOptions } from '../../bench/options';
import { BIG_MODELS } from '../../bench/vscode/bigRows';
import { ProcPeak, windowMemory } from '../../bench/vscode/procMemory';

describe('bench: real-size models in the real VS Code', () => {
  it('are in the full bench, never in --quick, and only when asked with --vscode-only', () => {
    assert.strictEqual(parseOptions([], 'r.json').vscodeBig, true);
    assert.strictEqual(parseOptions(['--quick'], 'r.json').vscodeBig, false);
    assert.strictEqual(parseOptions(['--quick', '--vscode-big'], 'r.json').vscodeBig, false);
    assert.strictEqual(parseOptions(['--vscode-only'], 'r.json').vscodeBig, false);
    assert.strictEqual(parseOptions(['--vscode-only', '--vscode-big'], 'r.json').vscodeBig, true);
    assert.strictEqual(parseOptions(['--no-vscode-big'], 'r.json').vscodeBig, false);
  });

  it('take the models and sizes asked for, and refuse unknown models', () => {
    const o = parseOptions(['--big-models', 'smollm2-135m', '--big-sizes', '512'], 'r.json');
    assert.deepStrictEqual(o.bigModels, ['smollm2-135m']);
    assert.deepStrictEqual(o.bigSizes, [512]);
    assert.deepStrictEqual(parseOptions([], 'r.json').bigModels, [...BIG_MODELS]);
    assert.throws(() => parseOptions(['--big-models', 'gpt2-xl'], 'r.json'), /--big-models takes/);
  });

  it('report the largest renderer and the extension host, not other processes', () => {
    const p = (pid: number, kind: ProcPeak['kind'], mib: number): ProcPeak => ({ pid, kind, peak_bytes: mib * 2 ** 20, rss_bytes: 0 });
    const m = windowMemory([p(1, 'browser', 900), p(2, 'renderer', 300), p(3, 'renderer', 1500), p(4, 'extension-host', 250), p(5, 'other', 4000)]);
    assert.strictEqual(m.page_peak_bytes, 1500 * 2 ** 20);
    assert.strictEqual(m.host_peak_bytes, 250 * 2 ** 20);
    assert.strictEqual(m.renderers, 2);
    assert.ok(!m.processes.some((x) => x.kind === 'other'));
    assert.strictEqual(windowMemory([]).page_peak_bytes, null);
  });
});
