// Auto's measurement per model, remembered across windows (globalState): which backend ran a
// model faster when both were timed on its first run. Keyed by the model file's identity (path,
// size, modification time), so a rebuilt model is timed again.
import type * as vscode from 'vscode';
import type { LoadedModel } from '../models/modelFolder';
import type { BackendMeasurement } from '../shared/backendMeasure';

const KEY = 'attentionLens.backendByModel';
/** Models remembered at most; the oldest measurements go first. */
const MAX_MODELS = 50;

interface Entry extends BackendMeasurement { at: number }

export function modelIdentity(l: LoadedModel): string {
  return `${l.model.modelFile}|${l.model.sizeBytes}|${l.model.mtimeMs}`;
}

const isEntry = (v: unknown): v is Entry => {
  const e = v as Partial<Entry> | null;
  return typeof e === 'object' && e !== null && (e.backend === 'webgpu' || e.backend === 'wasm')
    && [e.webgpuMs, e.wasmMs, e.tokens, e.at].every((n) => typeof n === 'number' && Number.isFinite(n));
};

export class BackendMemory {
  constructor(private readonly state: vscode.Memento) {}

  get(l: LoadedModel): BackendMeasurement | undefined {
    const e = this.all()[modelIdentity(l)];
    return e ? { backend: e.backend, webgpuMs: e.webgpuMs, wasmMs: e.wasmMs, tokens: e.tokens } : undefined;
  }

  async remember(l: LoadedModel, m: BackendMeasurement): Promise<void> {
    const all = this.all();
    all[modelIdentity(l)] = { ...m, at: Date.now() };
    const keys = Object.keys(all).sort((a, b) => all[b].at - all[a].at);
    for (const k of keys.slice(MAX_MODELS)) delete all[k];
    await this.state.update(KEY, all);
  }

  /** What globalState holds, anything malformed left out. */
  private all(): Record<string, Entry> {
    const raw = this.state.get<unknown>(KEY);
    const out: Record<string, Entry> = {};
    if (typeof raw === 'object' && raw !== null) {
      for (const [k, v] of Object.entries(raw)) if (isEntry(v)) out[k] = v;
    }
    return out;
  }
}
