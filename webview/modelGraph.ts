// The page's side of src/shared/attentionGraph.ts: the graph a session is created from (its
// attention exposed and everything else cut, once per model load), the tensors fed to each input
// the graph declares, and the run-time check that what comes out is attention.
import type * as ort from 'onnxruntime-web';
import { attentionSteps } from '../src/shared/attention';
import { AttentionGraph, AttentionGraphError, InputPlan, attentionGraph, unsupportedOperatorMessage } from '../src/shared/attentionGraph';
import { makeFeeds } from '../src/shared/onnxGraph/feeds';
import type { ModelConfig } from '../src/shared/modelConfig';

/** A model the page cannot use: the message names what is wrong (webview/inference.ts re-exports it). */
export class ModelContractError extends Error {}

/**
 * How a model's URI is named in messages: model.onnx, or onnx/model.onnx in a Hugging Face ONNX
 * repository. The URI is a webview resource URL or a chunked transfer's key (a file path inside).
 */
export function graphFileName(modelUri: string): string {
  let p = modelUri;
  try {
    p = new URL(modelUri).pathname;
  } catch {
    // not a URL: the path as it is
  }
  try {
    p = decodeURIComponent(p);
  } catch {
    // a stray % sign: leave it encoded
  }
  const parts = p.split(/[\\/]/).filter(Boolean);
  const last = parts.pop() ?? 'model.onnx';
  return parts.pop() === 'onnx' ? `onnx/${last}` : last;
}

/** The graph to run: attention exposed, cut to it; throws ModelContractError saying what is wrong. */
export function graphForPage(bytes: Uint8Array, config: ModelConfig, modelUri: string, externalFiles: readonly string[] = []): AttentionGraph {
  const fileName = graphFileName(modelUri);
  let g: AttentionGraph;
  try {
    g = attentionGraph(bytes, { fileName, kvHeads: config.num_kv_heads ?? config.num_heads, headDim: config.head_dim });
  } catch (e) {
    if (e instanceof AttentionGraphError) throw new ModelContractError(e.message);
    throw e;
  }
  const missing = g.externalFiles.filter((f) => !externalFiles.includes(f));
  if (missing.length > 0) {
    throw new ModelContractError(`${fileName} keeps its weights in ${missing.join(', ')} (ONNX external data), which did not come with it`);
  }
  if (g.source !== 'outputs' && g.layers !== config.num_layers) {
    throw new ModelContractError(`${fileName} has ${g.layers} attention Softmax layer${g.layers === 1 ? '' : 's'} but config.json says ${config.num_layers} layers`);
  }
  return g;
}

/** Session creation's error, said as the operator onnxruntime-web lacks when that is what it was. */
export function sessionError(e: unknown, modelUri: string): Error | null {
  const text = e instanceof Error ? e.message : String(e);
  const msg = unsupportedOperatorMessage(text, graphFileName(modelUri));
  return msg ? new ModelContractError(msg) : null;
}

/** One tensor per input the graph declares, in its declared types. */
export function feedsFor(Tensor: typeof ort.Tensor, plans: readonly InputPlan[], ids: readonly number[]): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const f of makeFeeds(plans, ids)) feeds[f.name] = new Tensor(f.type, f.data, f.dims);
  return feeds;
}

/**
 * Checks that each layer's output is attention: every row of every head sums to 1 (a Softmax over
 * the keys). Throws ModelContractError naming the first layer that is not. Shapes are checked before.
 */
export function checkRows(attentions: readonly Float32Array[], heads: number, seq: number): void {
  attentions.forEach((a, l) => {
    for (let r = 0; r < heads * seq; r++) {
      let sum = 0;
      for (let j = 0; j < seq; j++) sum += a[r * seq + j];
      if (!(Math.abs(sum - 1) < 1e-3)) {
        const h = Math.floor(r / seq);
        throw new ModelContractError(`attention layer ${l}, head ${h}, token ${r % seq}: the weights sum to ${sum.toFixed(4)}, not 1, so this output is not attention probabilities`);
      }
    }
  });
}

type Outputs = ort.InferenceSession.OnnxValueMapType;

/**
 * Whether queries.N and keys.N are [1, heads, seq, d] and give back the attention: softmax(q·k/√d)
 * for the last token of every layer's first head. A graph that scales Q or K elsewhere, or whose
 * Q/K pair is not per query head, would make the three-steps view wrong, so it is not shown.
 */
export function queryKeyAgree(out: Outputs, config: ModelConfig, seq: number): boolean {
  const H = config.num_heads;
  for (let l = 0; l < config.num_layers; l++) {
    const q = out[`queries.${l}`];
    const k = out[`keys.${l}`];
    const a = out[`attentions.${l}`];
    if (!q || !k || !a || q.type !== 'float32' || k.type !== 'float32') return false;
    const [b, h, s, d] = q.dims;
    if (q.dims.length !== 4 || b !== 1 || h !== H || s !== seq || !(d > 0)) return false;
    if (k.dims.length !== 4 || k.dims.some((x, i) => x !== q.dims[i])) return false;
    const steps = attentionSteps(q.data as Float32Array, k.data as Float32Array, 0, seq, d, seq - 1, config.architecture === 'causal');
    const row = (a.data as Float32Array).subarray((seq - 1) * seq, seq * seq);
    for (let j = 0; j < seq; j++) if (!(Math.abs(steps.weights[j] - row[j]) < 1e-3)) return false;
  }
  return true;
}
