// What the bench's phases share: the run's options, model, cases and rows, its log, and the
// native peer on the graph the page runs.
import * as fs from 'fs';
import { ModelFolder } from '../src/models/modelFolder';
import { Pruned, isAttentionOutput, pruneOnnx } from '../src/shared/onnxPrune';
import { BenchCase } from './inputs';
import { NativeModel } from './native';
import { BenchOptions } from './options';
import { Row } from './results';
import { medianOrNull, round } from './stats';

export function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

export const med = (xs: number[]): number | null => round(medianOrNull(xs));

/** The native peer on the graph the page runs (see nativePhase). */
export interface Natives {
  one: NativeModel;
  dflt: NativeModel;
  pruned: Pruned;
}

export async function openNatives(model: ModelFolder): Promise<Natives> {
  const pruned = pruneOnnx(new Uint8Array(fs.readFileSync(model.modelFile)), isAttentionOutput);
  return { one: await NativeModel.open(pruned.bytes, 'one'), dflt: await NativeModel.open(pruned.bytes, 'default'), pruned };
}

export interface Context {
  opts: BenchOptions;
  model: ModelFolder;
  cases: BenchCase[];
  rows: Map<BenchCase, Row>;
  /** Figures about the whole run rather than one row. */
  summary: Record<string, unknown>;
}
