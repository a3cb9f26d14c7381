// Everything one finished run gives the views, and the matrices computed from it, each computed
// once and kept for as long as the selection that needs it: a hover only reads a row or column.
import { AttentionStack, aggregateHeads, allHeads, column, headMatrix, row, topTargets } from '../src/shared/attention';
import { rollout } from '../src/shared/rollout';
import type { ModelConfig } from '../src/shared/modelConfig';
import type { Backend, RunMessage, Target, TokenInfo } from '../src/shared/protocol';
import type { ModelOutputs } from './inference';
import type { Direction, ViewState } from './viewState';

export interface RunData {
  runId: number;
  message: RunMessage;
  tokens: TokenInfo[];
  config: ModelConfig;
  modelName: string;
  stack: AttentionStack;
  outputs: ModelOutputs;
  backend: Backend;
  backendReason: string | null;
  /** Auto's measurement for this model, in words (webview/backendTrial.ts); absent when none. */
  backendNote?: string | null;
  loadMs: number;
  inferenceMs: number;
  /** WASM threads the run had (webview/runtime.ts); absent on WebGPU and in the bench's renders. */
  threads?: number;
  /** Where the model's bytes came from when it was loaded: the panel's own cache or the host. */
  modelFrom?: 'cache' | 'host';
}

/** What the panel lights for a hovered token, and what the editor decorates. */
export const PANEL_TARGETS = { k: 64, minWeight: 0.005, atLeast: 3 } as const;
export const HOST_TARGETS = { k: 32, minWeight: 0.01, atLeast: 3 } as const;

export class Matrices {
  private means = new Map<number, Float32Array>();
  private rolled: Float32Array[] | null = null;
  private viewKey = '';
  private viewMatrix: Float32Array | null = null;

  constructor(readonly run: RunData) {}

  get seq(): number {
    return this.run.stack.seq;
  }

  /** Mean of every head of a layer (the explanation's per-layer line). */
  layerMean(layer: number): Float32Array {
    let m = this.means.get(layer);
    if (!m) {
      m = aggregateHeads(this.run.stack.layers[layer], this.seq, allHeads(this.run.stack.heads), 'mean');
      this.means.set(layer, m);
    }
    return m;
  }

  /** Rollout up to each layer, computed on first use. */
  rollout(): Float32Array[] {
    if (!this.rolled) this.rolled = rollout(this.run.stack);
    return this.rolled;
  }

  /** The [seq, seq] matrix the view shows; recomputed only when the selection changes. */
  forView(v: ViewState): Float32Array {
    const key = `${v.mode}|${v.layer}|${v.mode === 'head' ? v.head : v.heads.join(',')}`;
    if (key === this.viewKey && this.viewMatrix) return this.viewMatrix;
    const { stack } = this.run;
    const layer = stack.layers[v.layer];
    let m: Float32Array;
    switch (v.mode) {
      case 'head': m = headMatrix(layer, v.head, this.seq); break;
      case 'rollout': m = this.rollout()[v.layer]; break;
      case 'max': m = aggregateHeads(layer, this.seq, v.heads, 'max'); break;
      default:
        m = v.heads.length === stack.heads ? this.layerMean(v.layer) : aggregateHeads(layer, this.seq, v.heads, 'mean');
    }
    this.viewKey = key;
    this.viewMatrix = m;
    return m;
  }

  /** The weights of token `index`'s row (from) or column (to) in the view's matrix. */
  weights(v: ViewState, index: number, direction: Direction): Float32Array {
    const m = this.forView(v);
    return direction === 'from' ? row(m, this.seq, index) : column(m, this.seq, index);
  }

  targets(v: ViewState, index: number, direction: Direction, opts: { k: number; minWeight: number; atLeast: number }): Target[] {
    return topTargets(this.weights(v, index, direction), opts);
  }

  /** One head's weight between two tokens (from → to). */
  headWeight(layer: number, head: number, from: number, to: number): number {
    const s = this.seq;
    return this.run.stack.layers[layer][(head * s + from) * s + to];
  }
}
