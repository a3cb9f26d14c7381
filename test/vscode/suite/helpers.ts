// What the VS Code suites share: the extension's test API, the sample files, the expected backend
// of this pass, the same model run natively (onnxruntime-node) as the reference, and waits.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AttentionLensApi, PlainRange } from '../../../src/api';
import type { AttentionStack } from '../../../src/shared/attention';
import { ModelConfig, parseModelConfig } from '../../../src/shared/modelConfig';
import type { ToHost } from '../../../src/shared/protocol';
import { ui } from '../driverClient';
import { ENV, TEST_PASSES, TestPass } from '../driverProtocol';
import { nativeAttention as runNative } from '../../support/nativeAttention';
import { BundledKind, closeWebviewTabs, sleep, until } from '../lensHelpers';

export { EXTENSION_ID, lensApi, nextMessage, openSample, sleep, until, useBundled } from '../lensHelpers';
export type { BundledKind } from '../lensHelpers';

/** Which pass this is: Chromium with a WebGPU adapter (webgpu), without (wasm), or the untrusted workspace. */
export function testPass(): TestPass {
  const p = process.env[ENV.pass];
  if (!(TEST_PASSES as readonly (string | undefined)[]).includes(p)) throw new Error(`${ENV.pass} is ${String(p)}: run through runTests.js`);
  return p as TestPass;
}

export const plain = (r: vscode.Range): PlainRange => ({
  start: { line: r.start.line, character: r.start.character },
  end: { line: r.end.line, character: r.end.character },
});
export const toRange = (r: PlainRange): vscode.Range =>
  new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

export function modelFiles(api: AttentionLensApi): { dir: string; config: ModelConfig } {
  const model = api.model();
  assert.ok(model, 'the extension reports no model');
  return { dir: model.dir, config: parseModelConfig(fs.readFileSync(path.join(model.dir, 'config.json'), 'utf8')) };
}

/** The model run natively by onnxruntime-node on the same token ids: the reference the panel must match. */
export function nativeAttention(modelDir: string, ids: readonly number[], config: ModelConfig): Promise<AttentionStack> {
  return runNative(modelDir, ids, config.num_layers, config.num_heads);
}

/**
 * Backend checks for this pass. The WebGPU pass's adapter is SwiftShader, a software renderer: auto
 * runs WASM there and says why, `attentionLens.backend: webgpu` runs WebGPU. Without an adapter: WASM with a reason.
 */
export function assertBackend(backend: string, reason: string | null): void {
  const setting = vscode.workspace.getConfiguration('attentionLens').get<string>('backend', 'auto');
  if (testPass() === 'webgpu' && setting === 'webgpu') {
    assert.strictEqual(backend, 'webgpu', `expected WebGPU with --enable-unsafe-webgpu and backend webgpu, got ${backend} (${reason})`);
    assert.strictEqual(reason, null);
  } else if (testPass() === 'webgpu' && setting === 'auto') {
    assert.strictEqual(backend, 'wasm', `auto on a software adapter must run WASM, got ${backend}`);
    assert.match(reason ?? '', /WebGPU adapter is SwiftShader, a software renderer/);
  } else {
    assert.strictEqual(backend, 'wasm', 'without a WebGPU adapter the panel must fall back to WASM');
    assert.ok(reason && /adapter|navigator\.gpu|WebGPU/i.test(reason), `the fallback must say why WebGPU was not used, got ${reason}`);
  }
}

const PCT = /(<1|\d+)%/g;

/**
 * An explanation line as shown equals the reference line computed from the native model's
 * numbers: the same words and token names in the same order, and each percentage the same up to
 * rounding (WebGPU/WASM and the CPU differ in the last float bits, which can move a value that
 * sits on a .5% boundary by one).
 */
export function assertSameLine(shown: string, reference: string): void {
  assert.strictEqual(shown.replace(PCT, '#%'), reference.replace(PCT, '#%'), 'token names or order differ from the model run natively');
  const a = [...shown.matchAll(PCT)].map((m) => m[1]);
  const b = [...reference.matchAll(PCT)].map((m) => m[1]);
  a.forEach((p, i) => {
    if (p === b[i]) return;
    const x = p === '<1' ? 0.5 : Number(p);
    const y = b[i] === '<1' ? 0.5 : Number(b[i]);
    assert.ok(Math.abs(x - y) <= 1, `"${shown}": ${p}% where the native model gives ${b[i]}% ("${reference}")`);
  });
}

/** Closes the Attention Lens panel the way a user does: its editor tab. */
export async function closePanelTab(): Promise<void> {
  assert.ok((await closeWebviewTabs()) > 0, 'no webview tab is open');
}

/** Both bundled models, for the checks that differ between a bidirectional and a causal model. */
export const BUNDLED: readonly BundledKind[] = ['encoder', 'decoder'];
const ARCHITECTURE = { encoder: 'bidirectional', decoder: 'causal' } as const;

/** The latest run ran on the bundled `kind`: its folder and its architecture. Returns its config. */
export function assertBundled(api: AttentionLensApi, kind: BundledKind): ModelConfig {
  const model = api.model();
  assert.ok(model?.bundled, `not a bundled model: ${model?.dir} (${api.lastError() ?? 'no error'})`);
  assert.strictEqual(path.basename(model.dir), kind === 'encoder' ? 'encoder' : 'default', `expected the bundled ${kind}`);
  const { config } = modelFiles(api);
  assert.strictEqual(config.architecture, ARCHITECTURE[kind]);
  return config;
}

/**
 * Waits until the workbench shows no notification, clearing them (a toast from an earlier test
 * or run can still be on its way in): a README picture shows Attention Lens and nothing else.
 */
export async function withoutNotifications(): Promise<void> {
  const deadline = Date.now() + 30_000;
  let shown = await ui.toasts();
  // No toast for a second in a row: nothing queued is about to show.
  for (let quiet = 0; quiet < 5; quiet = shown.length ? 0 : quiet + 1) {
    if (Date.now() > deadline) throw new Error(`notifications keep showing: ${shown.join(' | ')}`);
    await vscode.commands.executeCommand('notifications.clearAll');
    await sleep(200);
    shown = await ui.toasts();
  }
}

/** A screenshot with no notification in it: taken again if one showed up meanwhile. */
export async function cleanScreenshot(name: string, target: 'window' | { webview: string }): Promise<string> {
  for (let i = 0; ; i++) {
    await withoutNotifications();
    const file = await ui.screenshot(name, target);
    const shown = await ui.toasts();
    if (shown.length === 0) return file;
    if (i === 2) throw new Error(`${name}: a notification showed up during the screenshot: ${shown.join(' | ')}`);
  }
}

/**
 * Writes `lines` as the section `title` of readme-examples.txt in the artifacts folder (other
 * sections kept): the product's own words, for the README to quote.
 */
export function writeReadmeExample(title: string, lines: readonly string[]): void {
  const dir = process.env[ENV.artifacts];
  assert.ok(dir, `${ENV.artifacts} is not set: run through runTests.js`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'readme-examples.txt');
  const sections = new Map<string, string>();
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  for (const block of old.split(/^(?=## )/m).filter((b) => b.startsWith('## '))) {
    sections.set(block.slice(3, block.indexOf('\n')), block.trimEnd());
  }
  sections.set(title, [`## ${title}`, ...lines].join('\n'));
  fs.writeFileSync(file, `${[...sections.values()].join('\n\n')}\n`);
}

/**
 * Every webview message from the moment it is made, for waiting on a run whose id is only known
 * after the command returns, and for checking what did (not) arrive. Dispose it when done: its
 * listener counts in stats().listeners.
 */
export class Recorder {
  readonly messages: ToHost[] = [];
  private readonly off: () => void;

  constructor(private readonly api: AttentionLensApi) {
    this.off = api.onDidReceive((m) => this.messages.push(m));
  }

  of<T extends ToHost['type']>(type: T, runId?: number): Extract<ToHost, { type: T }>[] {
    return this.messages.filter((m): m is Extract<ToHost, { type: T }> =>
      m.type === type && (runId === undefined || ('runId' in m && m.runId === runId)));
  }

  /** The first message of `type` for `runId` (already received or still to come). */
  async wait<T extends ToHost['type']>(type: T, runId: number, timeoutMs = 240_000): Promise<Extract<ToHost, { type: T }>> {
    return until(`a ${type} message for run ${runId} (last error: ${this.api.lastError() ?? 'none'})`, () => this.of(type, runId)[0], timeoutMs);
  }

  dispose(): void {
    this.off();
  }
}
