// Issue 19 item 6 in the real VS Code: files from the Hub are untrusted input. A model folder whose
// tokenizer.json splits on `(a+)+$` (catastrophic backtracking) used to hang the extension host on a
// line of 48 `a`s and a `!`; a config.json or a graph claiming absurd sizes must be refused before
// anything is sized from it. Each gives one message naming the file, the bundled model explains the
// text instead, and the extension host's event loop never stalls. Host-side checks: WASM pass only.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AttentionLensApi } from '../../../src/api';
import { ensureFixtures } from '../../fixtures/build';
import { buildModel } from '../../fixtures/onnxBuilder';
import { ui } from '../driverClient';
import { CMD, closePanelIfOpen, cursorOnIt, show, writeWorkspaceFile } from './hardening';
import { EXTENSION_ID, Recorder, lensApi, testPass, until } from './helpers';

const PASS = testPass();
const HOSTILE_LINE = `${'a'.repeat(48)}!`;
const TEXT = `The animal didn't cross the street because it was too tired.\n${HOSTILE_LINE}\n`;
/** The longest the host's event loop may go without running a timer (a machine shared by several test runs). */
const MAX_STALL_MS = 5000;
const settings = () => vscode.workspace.getConfiguration('attentionLens');

/** Measures the longest gap between ticks of a 50 ms timer in this (the extension host's) process. */
function stallMeter(): { stop: () => number } {
  let last = Date.now();
  let worst = 0;
  const t = setInterval(() => {
    const now = Date.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 50);
  return { stop: () => { clearInterval(t); return Math.max(worst, Date.now() - last); } };
}

if (PASS === 'wasm') describe(`Hostile model folders (${PASS} pass)`, function () {
  this.timeout(180_000);
  let api: AttentionLensApi;
  let tmp = '';
  let bundledDir = '';

  before(async () => {
    api = await lensApi();
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    bundledDir = path.join(ext.extensionPath, 'models', 'default');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-hostile-'));
  });
  after(async () => {
    await settings().update('modelPath', undefined, vscode.ConfigurationTarget.Global);
    await until('modelPath reset', () => settings().get<string>('modelPath') === '');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const copyOf = (from: string, name: string, change: (dir: string) => void): string => {
    const dir = path.join(tmp, name);
    fs.cpSync(from, dir, { recursive: true });
    change(dir);
    return dir;
  };

  /** modelPath → `dir`; Explain on " it " of TEXT: one message naming `file`, the bundled model runs, no stall. */
  async function expectRefused(dir: string, file: string, says: RegExp): Promise<void> {
    await closePanelIfOpen(api);
    await settings().update('modelPath', dir, vscode.ConfigurationTarget.Global);
    await until('the setting to apply', () => settings().get<string>('modelPath') === dir);
    const editor = await show(writeWorkspaceFile('hostile.md', TEXT));
    cursorOnIt(editor);
    const shown = api.messagesShown();
    const meter = stallMeter();
    const rec = new Recorder(api);
    let stall: number;
    try {
      await vscode.commands.executeCommand(CMD.explain);
      await until('a result from the bundled model', () => {
        const r = api.lastResult();
        return r && api.model()?.bundled && api.lastRun()?.runId === r.runId ? r : null;
      }, 120_000);
      // The hostile text itself, through the bundled model's tokenizer: the cursor on the line of a's.
      editor.selection = new vscode.Selection(new vscode.Position(1, 10), new vscode.Position(1, 10));
      const before = api.lastRun()?.runId ?? 0;
      await vscode.commands.executeCommand(CMD.explain);
      const run = await until('a run on the line of a\'s', () => {
        const r = api.lastResult();
        return r && (api.lastRun()?.runId ?? 0) > before && api.lastRun()?.runId === r.runId ? api.lastRun() : null;
      }, 120_000);
      const onLine = run.documentRanges.filter((r) => r.start.line === 1 && r.end.line === 1 && r.end.character > r.start.character);
      assert.ok(onLine.length > 0, `the line of a's was not tokenized: ${JSON.stringify(run.range)}`);
    } finally {
      rec.dispose();
      stall = meter.stop();
    }
    assert.strictEqual(api.model()?.bundled, true);
    const error = api.lastError() ?? '';
    assert.ok(error.includes(file), `the message does not name ${file}: ${error}`);
    assert.match(error, says);
    assert.match(error, /Using the bundled model instead/);
    const told = api.messagesSince(shown).filter((m) => m.severity !== 'info');
    assert.strictEqual(told.length, 1, `shown: ${JSON.stringify(told)}`);
    assert.ok(told[0].text.includes(file), told[0].text);
    assert.ok(stall < MAX_STALL_MS, `the extension host's event loop stalled for ${stall} ms`);
    await ui.log(`      ${error.split(tmp).join('$TMP')} (longest event-loop stall ${stall} ms)`);
  }

  it(`tokenizer.json splitting on (a+)+$, text with a line of 48 a's and "!": refused naming tokenizer.json, the bundled model explains, the host never stalls ${MAX_STALL_MS / 1000} s`, async () => {
    const dir = copyOf(bundledDir, 'redos-tokenizer', (d) => {
      const file = path.join(d, 'tokenizer.json');
      const j = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      j.pre_tokenizer = { type: 'Sequence', pretokenizers: [j.pre_tokenizer, { type: 'Split', pattern: { Regex: '(a+)+$' }, behavior: 'Isolated', invert: false }] };
      fs.writeFileSync(file, JSON.stringify(j));
    });
    await expectRefused(dir, path.join(dir, 'tokenizer.json'), /"\(a\+\)\+\$" can take exponential time/);
  });

  it('config.json claiming a billion layers: refused naming config.json and the bound, the bundled model explains', async () => {
    const dir = copyOf(ensureFixtures().gpt2.dir, 'absurd-config', (d) => {
      const file = path.join(d, 'config.json');
      const c = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      c.n_layer = 1_000_000_000;
      fs.writeFileSync(file, JSON.stringify(c, null, 2));
    });
    await expectRefused(dir, path.join(dir, 'config.json'), /n_layer \(number of layers\) is 1000000000, more than Attention Lens accepts \(1024\)/);
  });

  it('a graph whose weight claims [2^20, 2^20] floats while holding 16 bytes: refused naming model.onnx, the bundled model explains', async () => {
    const dir = copyOf(ensureFixtures().gpt2.dir, 'absurd-graph', (d) => {
      fs.writeFileSync(path.join(d, 'model.onnx'), buildModel({
        inputs: [{ name: 'x', dims: [1, 2] }],
        outputs: [{ name: 'y', dims: [1, 2] }],
        nodes: [{ opType: 'MatMul', name: 'mm', inputs: ['x', 'w'], outputs: ['y'], attributes: [] }],
        initializers: { w: [[1 << 20, 1 << 20], [1, 0, 0, 1]] },
      }));
    });
    await expectRefused(dir, path.join(dir, 'model.onnx'), /initializer "w" is \[1048576, 1048576\] of float32 .*more than the panel can hold.*refused before anything is allocated/);
  });
});
