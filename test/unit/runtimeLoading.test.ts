// Loading onnxruntime in the page and the VS Code launchers' plumbing (issue 13): the WASM thread
// count from cross-origin isolation, the one-node model that starts the runtime early (loaded and
// run by onnxruntime-node here), the command line a VS Code executable receives from
// @vscode/test-electron, and how the VS Code bench folds its windows into results.json.
import * as assert from 'assert';
import * as ort from 'onnxruntime-node';
import { summarize } from '../../bench/vscode/phase';
import type { CommandTiming, WindowReport } from '../../bench/vscode/protocol';
import { identityModel } from '../../src/shared/tinyOnnx';
import { CLI_FLAGS, parseVsCodeArgs } from '../vscode/launcher/cli';
import { threadsFact, wasmThreads } from '../../webview/runtime';

describe('WASM threads in the page', () => {
  it('one thread unless the page is cross-origin isolated', () => {
    for (const cores of [1, 2, 8, 64]) assert.strictEqual(wasmThreads(false, cores), 1);
  });
  it('isolated: half the cores, at least 1 and at most 4 (onnxruntime-web\'s own default)', () => {
    assert.deepStrictEqual([1, 2, 3, 4, 6, 8, 16].map((c) => wasmThreads(true, c)), [1, 1, 2, 2, 3, 4, 4]);
  });
  it('the header says how many threads and, with one, how to get more', () => {
    assert.strictEqual(threadsFact(4), '4 WASM threads (the panel is cross-origin isolated)');
    assert.match(threadsFact(1), /^1 WASM thread \(the panel is not cross-origin isolated: vscode\.dev\/\?vscode-coi=on or code --enable-coi gives it threads\)$/);
  });
});

describe('the warm-up model', () => {
  it('is a valid ONNX model that onnxruntime loads and runs: y = x', async () => {
    const session = await ort.InferenceSession.create(identityModel());
    try {
      assert.deepStrictEqual(session.inputNames, ['x']);
      assert.deepStrictEqual(session.outputNames, ['y']);
      const out = await session.run({ x: new ort.Tensor('float32', new Float32Array([3.25]), [1]) });
      assert.deepStrictEqual(Array.from(out.y.data as Float32Array), [3.25]);
    } finally {
      await session.release();
    }
  });
  it('is a few dozen bytes', () => {
    assert.ok(identityModel().length < 100, `${identityModel().length} bytes`);
  });
});

describe('the VS Code command line @vscode/test-electron gives the executable', () => {
  // What runTests builds: launchArgs first, then its own flags, then the profile flags.
  const argv = [
    '/tmp/ws', '--user-data-dir=/tmp/h/user-data', '--extensions-dir=/tmp/h/extensions', '--remote-debugging-port=9333',
    CLI_FLAGS.trust, '--enable-unsafe-webgpu', CLI_FLAGS.web,
    '--no-sandbox', '--disable-gpu-sandbox', '--disable-updates', '--skip-welcome', '--skip-release-notes',
    '--disable-workspace-trust', '--extensionTestsPath=/repo/out/test/vscode/index', '--extensionDevelopmentPath=/repo',
  ];
  it('finds the folder, the extension, the tests, the profile and the DevTools port', () => {
    assert.deepStrictEqual(parseVsCodeArgs(argv), {
      folder: '/tmp/ws', extensionDevelopmentPath: '/repo', extensionTestsPath: '/repo/out/test/vscode/index',
      userDataDir: '/tmp/h/user-data', remoteDebuggingPort: 9333, webgpu: true, workspaceTrust: true, web: true, proxy: null,
    });
  });
  it('takes the web pass\'s proxy for Chromium', () => {
    assert.strictEqual(parseVsCodeArgs([...argv, `${CLI_FLAGS.proxy}=127.0.0.1:4567`]).proxy, '127.0.0.1:4567');
  });
  it('keeps workspace trust, WebGPU and the web worker host off unless asked', () => {
    const c = parseVsCodeArgs(argv.filter((a) => a !== CLI_FLAGS.trust && a !== '--enable-unsafe-webgpu' && a !== CLI_FLAGS.web));
    assert.strictEqual(c.workspaceTrust, false);
    assert.strictEqual(c.webgpu, false);
    assert.strictEqual(c.web, false);
  });
});

describe('the VS Code bench summary', () => {
  const timing = (total: number, phases: Record<string, number> | null): CommandTiming => ({
    total_ms: total, host_ms: 10, ready_ms: null, result_ms: total - 1, load_ms: 0, inference_ms: total / 2,
    phases, render_ms: 5, fetches: null, backend: 'wasm', tokens: 512,
  });
  it('takes medians per phase, cold over windows and warm over every warm run', () => {
    const w = (cold: number, warm: number[]): WindowReport => ({
      activate_ms: 3, cold: { ...timing(cold, { session_ms: cold / 10 }), ready_ms: 100, fetches: { 'model.onnx': { start_ms: 1, fetch_ms: 50, bytes: 9 } } },
      warm: warm.map((t) => timing(t, null)),
    });
    const s = summarize([w(1000, [100, 300]), w(3000, [200]), w(2000, [400, 500])]);
    assert.strictEqual(s.windows, 3);
    assert.strictEqual(s.warm_runs, 5);
    assert.strictEqual(s.cold.total_ms, 2000);
    assert.strictEqual(s.cold.phase_session_ms, 200);
    assert.strictEqual(s.cold.ready_ms, 100);
    assert.strictEqual(s.warm.total_ms, 300);
    assert.strictEqual(s.warm.ready_ms, null, 'a figure never measured is null, not 0');
    assert.deepStrictEqual(s.cold_fetches['model.onnx'], { start_ms: 1, fetch_ms: 50, bytes: 9 });
  });
});
