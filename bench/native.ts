// The native peer: the same model.onnx run by onnxruntime-node on the CPU, with one thread (the
// same as the webview's single-threaded WASM, since webviews are not cross-origin isolated) and
// with onnxruntime's default thread count.
import * as ort from 'onnxruntime-node';
import { AttentionStack, makeStack } from '../src/shared/attention';
import { sample } from './stats';

export type NativeThreads = 'one' | 'default';

/** `count`: intra-op threads when 'one' is really n (the page's thread count when it is isolated). */
function sessionOptions(threads: NativeThreads, count = 1): ort.InferenceSession.SessionOptions {
  return threads === 'one'
    ? { intraOpNumThreads: count, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' }
    : { graphOptimizationLevel: 'all' };
}

export interface NativeLoad {
  /** The first session created in this process (the model file may already be in the OS cache). */
  coldMs: number;
  /** Later session creations: their times. */
  warmMs: number[];
}

/** Session creation times; the sessions are released right away. */
export async function measureNativeLoad(modelPath: string, warmRuns: number): Promise<NativeLoad> {
  const create = async (): Promise<number> => {
    const t0 = performance.now();
    const s = await ort.InferenceSession.create(modelPath, sessionOptions('one'));
    const ms = performance.now() - t0;
    await s.release();
    return ms;
  };
  const coldMs = await create();
  const warmMs: number[] = [];
  for (let i = 0; i < warmRuns; i++) warmMs.push(await create());
  return { coldMs, warmMs };
}

export class NativeModel {
  private constructor(private readonly session: ort.InferenceSession, readonly threads: NativeThreads) {}

  /** A session on a model file or on model bytes (the pruned graph the page runs). */
  static async open(model: string | Uint8Array, threads: NativeThreads, count = 1): Promise<NativeModel> {
    const session = typeof model === 'string'
      ? await ort.InferenceSession.create(model, sessionOptions(threads, count))
      : await ort.InferenceSession.create(model, sessionOptions(threads, count));
    return new NativeModel(session, threads);
  }

  private feeds(ids: readonly number[]): Record<string, ort.Tensor> {
    return { input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, (x) => BigInt(x)), [1, ids.length]) };
  }

  /** Inference times (ms) for `ids`, every output of the session fetched. */
  async time(ids: readonly number[], warmup: number, runs: number): Promise<number[]> {
    const feeds = this.feeds(ids);
    return sample(() => this.session.run(feeds), warmup, runs);
  }

  /** One run's attention, as the views get it: [heads, seq, seq] per layer. */
  async attention(ids: readonly number[], layers: number, heads: number): Promise<AttentionStack> {
    const out = await this.session.run(this.feeds(ids));
    const seq = ids.length;
    const stack: Float32Array[] = [];
    for (let l = 0; l < layers; l++) {
      const t = out[`attentions.${l}`];
      if (!t) throw new Error(`model.onnx has no output attentions.${l}`);
      stack.push(t.data as Float32Array);
    }
    return makeStack(stack, heads, seq);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
