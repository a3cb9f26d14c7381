// Auto's remembered measurements: per model identity, malformed state ignored, bounded.
import * as assert from 'assert';
import type * as vscode from 'vscode';
import { BackendMemory, modelIdentity } from '../../src/panel/backendMemory';
import type { LoadedModel } from '../../src/models/modelFolder';

/** globalState's contract (get/update/keys), kept in a Map: the real Memento is a VS Code object. */
class MapMemento implements vscode.Memento {
  readonly map = new Map<string, unknown>();
  keys(): readonly string[] { return [...this.map.keys()]; }
  get<T>(key: string, fallback?: T): T | undefined { return this.map.has(key) ? (this.map.get(key) as T) : fallback; }
  update(key: string, value: unknown): Thenable<void> { this.map.set(key, JSON.parse(JSON.stringify(value))); return Promise.resolve(); }
}

const model = (file: string, size = 100, mtimeMs = 1): LoadedModel => ({ model: { modelFile: file, sizeBytes: size, mtimeMs } } as unknown as LoadedModel);

describe('backend memory (globalState)', () => {
  it('remembers a measurement per model file, size and modification time', async () => {
    const state = new MapMemento();
    const mem = new BackendMemory(state);
    await mem.remember(model('/m/a.onnx'), { backend: 'wasm', webgpuMs: 40, wasmMs: 9, tokens: 24 });
    assert.deepStrictEqual(new BackendMemory(state).get(model('/m/a.onnx')), { backend: 'wasm', webgpuMs: 40, wasmMs: 9, tokens: 24 });
    assert.strictEqual(mem.get(model('/m/a.onnx', 100, 2)), undefined, 'a rebuilt model is timed again');
    assert.strictEqual(mem.get(model('/m/b.onnx')), undefined);
    assert.notStrictEqual(modelIdentity(model('/m/a.onnx', 100)), modelIdentity(model('/m/a.onnx', 101)));
  });

  it('ignores malformed state and keeps at most 50 models', async () => {
    const state = new MapMemento();
    state.map.set('attentionLens.backendByModel', { x: { backend: 'cuda', webgpuMs: 1, wasmMs: 2, tokens: 3, at: 4 }, y: 'no' });
    const mem = new BackendMemory(state);
    for (let i = 0; i < 60; i++) await mem.remember(model(`/m/${i}.onnx`), { backend: 'webgpu', webgpuMs: 1, wasmMs: 2, tokens: 3 });
    const kept = Object.keys(state.map.get('attentionLens.backendByModel') as object);
    assert.strictEqual(kept.length, 50);
    assert.ok(!kept.includes('x') && !kept.includes('y'));
  });
});
