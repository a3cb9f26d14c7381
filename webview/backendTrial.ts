// The first run of a model where WebGPU is a real GPU: time it on both backends and keep the
// faster (src/shared/backendMeasure.ts). Each backend is timed warm: WebGPU after the user's run
// (which compiled its shaders), WASM after one run of its own.
import { BackendMeasurement, measure, measurementNote } from '../src/shared/backendMeasure';
import type { BackendPreference, InitMessage } from '../src/shared/protocol';
import type { Engine, RunResult } from './inference';

export interface TrialOutcome {
  measurement: BackendMeasurement;
  /** The faster engine, and its run of the input (what the panel shows). */
  engine: Engine;
  result: RunResult;
  /** The slower engine: the caller releases it. */
  other: Engine;
}

export async function trialBackends(gpu: Engine, ids: number[], loadWasm: () => Promise<Engine>): Promise<TrialOutcome> {
  const g = await gpu.run(ids);
  const wasm = await loadWasm();
  try {
    await wasm.run(ids);
    const w = await wasm.run(ids);
    const measurement = measure(g.inferenceMs, w.inferenceMs, ids.length);
    return measurement.backend === 'wasm'
      ? { measurement, engine: wasm, result: w, other: gpu }
      : { measurement, engine: gpu, result: g, other: wasm };
  } catch (e) {
    await wasm.release().catch(() => undefined);
    throw e;
  }
}

/**
 * Auto's memory in the page: a WASM win remembered by the host loads WASM directly; otherwise the
 * first run on a real GPU is timed on both backends once per engine; each engine's note says why.
 */
export class BackendAuto {
  private readonly notes = new WeakMap<Engine, string>();
  private readonly tried = new WeakSet<Engine>();

  /** The preference to load with. */
  preference(init: InitMessage): BackendPreference {
    return init.backend === 'auto' && init.measured?.backend === 'wasm' ? 'wasm' : init.backend;
  }

  /** A loaded engine: labelled with the remembered measurement when it ran on the measured backend. */
  loaded(engine: Engine, init: InitMessage): void {
    const m = init.backend === 'auto' ? init.measured : undefined;
    if (!m || m.backend !== engine.backend) return;
    this.tried.add(engine);
    this.label(engine, m);
  }

  /** Why this engine's backend, beyond the setting (null: nothing measured). */
  note(engine: Engine): string | null {
    return this.notes.get(engine) ?? null;
  }

  /**
   * After an engine's first run: on a real GPU under auto with nothing remembered, times both
   * backends; null when nothing was timed (or the trial failed: WebGPU stays).
   */
  async afterRun(engine: Engine, init: InitMessage, ids: number[], loadWasm: () => Promise<Engine>): Promise<TrialOutcome | null> {
    if (init.backend !== 'auto' || init.measured || engine.backend !== 'webgpu' || this.tried.has(engine)) return null;
    this.tried.add(engine);
    let t: TrialOutcome;
    try {
      t = await trialBackends(engine, ids, loadWasm);
    } catch (e) {
      console.warn('[attention-lens] timing WASM against WebGPU failed; WebGPU stays', e);
      return null;
    }
    this.tried.add(t.engine);
    this.label(t.engine, t.measurement);
    void t.other.release().catch(() => undefined);
    return t;
  }

  private label(engine: Engine, m: BackendMeasurement): void {
    const note = measurementNote(m);
    this.notes.set(engine, note);
    if (engine.backend === 'wasm') engine.reason = note;
  }
}
