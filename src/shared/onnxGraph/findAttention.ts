// Finds each layer's attention in an unfused graph: the Softmax over the key axis whose output
// (through casts) is the left factor of the product with V, and the MatMul(Q, Kᵀ) its scores come
// from (through the scaling, masking and casting an eager export puts between them).
import { OnnxModel, OnnxNode } from './model';

export interface AttentionLayer {
  softmax: OnnxNode;
  /** The Softmax's output: [batch, heads, seq, seq]. */
  probs: string;
  /** The MatMul(Q, Kᵀ) inputs, when the scores come from one: Q [b, h, s, d], Kᵀ [b, h, d, s]. */
  query: string | null;
  keyT: string | null;
  /** Kᵀ's rank when the graph shows it (Kᵀ made by a Transpose with a perm), else null. */
  keyTRank: number | null;
}

/** Operators an eager export puts between the scores and the Softmax (scale, mask, soft-capping, casts). */
const SCORE_PATH = new Set(['Add', 'Sub', 'Mul', 'Div', 'Where', 'Cast', 'Identity', 'Max', 'Min', 'Clip', 'Tanh']);
/** Operators between the probabilities and the product with V. */
const PROBS_PATH = new Set(['Cast', 'Identity', 'Dropout']);
const MAX_DEPTH = 8;

/** The node producing each value, and the nodes consuming it. */
function index(m: OnnxModel): { producer: Map<string, OnnxNode>; consumers: Map<string, OnnxNode[]> } {
  const producer = new Map<string, OnnxNode>();
  const consumers = new Map<string, OnnxNode[]>();
  for (const n of m.nodes) {
    for (const o of n.outputs) producer.set(o, n);
    for (const i of n.inputs) {
      const list = consumers.get(i) ?? [];
      list.push(n);
      consumers.set(i, list);
    }
  }
  return { producer, consumers };
}

/** Whether the Softmax normalises over the last axis (the keys), given the opset's default. */
function overLastAxis(n: OnnxNode, opset: number): boolean {
  const axis = n.ints.get('axis')?.[0];
  if (axis === undefined) return opset >= 13; // before opset 13 the default was axis 1 (of a flattened 2-D view)
  return axis === -1 || axis === 3;
}

const isDefault = (n: OnnxNode): boolean => n.domain === '' || n.domain === 'ai.onnx';

/** Whether `value` reaches a MatMul as its left factor, through casts and dropout only. */
function feedsProduct(value: string, consumers: Map<string, OnnxNode[]>, depth = 0): boolean {
  for (const c of consumers.get(value) ?? []) {
    if (!isDefault(c)) continue;
    if (c.opType === 'MatMul' && c.inputs[0] === value) return true;
    if (PROBS_PATH.has(c.opType) && depth < 3 && feedsProduct(c.outputs[0], consumers, depth + 1)) return true;
  }
  return false;
}

/** The nearest MatMul upstream of the scores, both of whose factors are computed (not weights). */
function scoresProduct(start: string, m: OnnxModel, producer: Map<string, OnnxNode>): OnnxNode | null {
  let frontier = [start];
  const seen = new Set<string>();
  for (let depth = 0; depth <= MAX_DEPTH && frontier.length; depth++) {
    const next: string[] = [];
    for (const v of frontier) {
      const n = producer.get(v);
      if (!n || seen.has(n.name + n.index) || !isDefault(n)) continue;
      seen.add(n.name + n.index);
      if (n.opType === 'MatMul') {
        const computed = n.inputs.every((x) => producer.has(x) && producer.get(x)?.opType !== 'Constant' && !m.initializers.has(x));
        if (computed) return n;
        continue;
      }
      if (SCORE_PATH.has(n.opType)) next.push(...n.inputs.filter((x) => x && !m.initializers.has(x)));
    }
    frontier = next;
  }
  return null;
}

/** Whether a value is a scale factor: a weight, a Constant, or a Sqrt (torch's SDPA export scales by √scale). */
function isScale(v: string, m: OnnxModel, producer: Map<string, OnnxNode>): boolean {
  const p = producer.get(v);
  return m.initializers.has(v) || p?.opType === 'Constant' || p?.opType === 'Sqrt';
}

/**
 * Q or Kᵀ before a scale applied to it ahead of the product (DistilBERT divides Q by √d; torch's
 * SDPA export multiplies Q and Kᵀ by √scale), so that q·k/√d is the score. The page checks on
 * the first run that the pair gives the attention back, and drops it when it does not.
 */
function unscaled(v: string, m: OnnxModel, producer: Map<string, OnnxNode>): string {
  const p = producer.get(v);
  if (!p || !isDefault(p)) return v;
  if (p.opType === 'Mul' && isScale(p.inputs[1], m, producer)) return p.inputs[0];
  if (p.opType === 'Mul' && isScale(p.inputs[0], m, producer)) return p.inputs[1];
  if (p.opType === 'Div' && isScale(p.inputs[1], m, producer)) return p.inputs[0];
  return v;
}

/** The attention Softmax of each layer, in graph order. */
export function findAttentionLayers(m: OnnxModel): AttentionLayer[] {
  const { producer, consumers } = index(m);
  const opset = m.opsets.get('') ?? 0;
  const layers: AttentionLayer[] = [];
  for (const n of m.nodes) {
    if (n.opType !== 'Softmax' || !isDefault(n) || !overLastAxis(n, opset)) continue;
    const probs = n.outputs[0];
    if (!probs || !feedsProduct(probs, consumers)) continue;
    const qk = scoresProduct(n.inputs[0], m, producer);
    const query = qk ? unscaled(qk.inputs[0], m, producer) : null;
    const keyT = qk ? unscaled(qk.inputs[1], m, producer) : null;
    const t = keyT ? producer.get(keyT) : undefined;
    const keyTRank = t?.opType === 'Transpose' ? t.ints.get('perm')?.length ?? null : null;
    layers.push({ softmax: n, probs, query, keyT, keyTRank });
  }
  return layers;
}

/** onnxruntime's contrib operators in which attention probabilities never exist as a tensor. */
const FUSED = new Set([
  'Attention', 'MultiHeadAttention', 'GroupQueryAttention', 'PackedAttention', 'PackedMultiHeadAttention',
  'DecoderAttention', 'DecoderMaskedMultiHeadAttention', 'DecoderMaskedSelfAttention', 'SparseAttention',
  'QAttention', 'QOrderedAttention', 'LongformerAttention', 'PagedAttention',
]);

/** Whether the node fuses attention into one operator. */
export const isFusedAttention = (n: OnnxNode): boolean => FUSED.has(n.opType) && (n.domain === 'com.microsoft' || isDefault(n));

/** The first node that fuses attention into one operator, if any. */
export function fusedAttention(m: OnnxModel): OnnxNode | null {
  return m.nodes.find(isFusedAttention) ?? null;
}

/** Domains onnxruntime-web has kernels for; anything else is a custom operator it cannot run. */
const KNOWN_DOMAINS = new Set(['', 'ai.onnx', 'com.microsoft', 'ai.onnx.ml', 'com.ms.internal.nhwc', 'com.microsoft.nchwc']);

/** The first node from an operator domain onnxruntime-web does not have, if any. */
export function customOperator(m: OnnxModel): OnnxNode | null {
  return m.nodes.find((n) => !KNOWN_DOMAINS.has(n.domain)) ?? null;
}
