// Attention probabilities from graphs whose attention is one fused operator (what onnxruntime's
// transformer optimizer and the onnxruntime-genai builder write). Where the operator can give its
// own probabilities (GroupQueryAttention's qk_output, ONNX Attention's qk_matmul_output_mode) the
// node is rewritten in place to give them; MultiHeadAttention's scores output (scaled and masked,
// before the softmax) gets a Softmax; com.microsoft.Attention keeps Q, K and V packed behind its
// own weights, so they are rebuilt from its input and fed to a MultiHeadAttention with the same
// heads, scale and mask. The probabilities are thus always the operator's own arithmetic.
import { computeType } from './computeType';
import { ATTRIBUTE, ELEM, GRAPH, NODE, OnnxModel, OnnxNode } from './model';
import { inner, intField, strings } from './proto';
import { NewNode, NewOutput, NodeReplacement } from './rewrite';

/** A fused operator whose probabilities cannot be exposed; the message names it and why. */
export class FusedAttentionError extends Error {
  constructor(readonly node: OnnxNode, message: string) {
    super(message);
  }
}

export interface FusedExposure {
  /** Per layer, in graph order: the probabilities [batch, heads, seq, total_seq]. */
  probs: string[];
  nodes: NewNode[];
  replace: NodeReplacement[];
  /** Types of the scores outputs onnxruntime cannot infer (MultiHeadAttention's output 3). */
  types: NewOutput[];
  /** Why the graph must run on WASM (an output onnxruntime's WebGPU kernel refuses), or null. */
  wasmOnly: string | null;
}

const MS = 'com.microsoft';
const isDefault = (n: OnnxNode): boolean => n.domain === '' || n.domain === 'ai.onnx';

/** An operator as messages name it: domain.opType. */
const opName = (n: OnnxNode): string => `${isDefault(n) ? 'ai.onnx' : n.domain}.${n.opType}`;

/** The node's NODE.attribute fields as they are (floats included), those whose name `keep` accepts. */
function rawAttributes(m: OnnxModel, n: OnnxNode, keep: (name: string) => boolean): Uint8Array[] {
  return inner(m.bytes, n.field)
    .filter((f) => f.field === NODE.attribute && keep(strings(m.bytes, f, ATTRIBUTE.name)[0] ?? ''))
    .map((f) => m.bytes.subarray(f.start, f.end));
}

/** The node with one more output at `slot` and one integer attribute set. */
function withOutput(m: OnnxModel, n: OnnxNode, slot: number, output: string, attr: { name: string; int: number } | null): NodeReplacement {
  const outputs = Array.from({ length: Math.max(n.outputs.length, slot + 1) }, (_, i) => n.outputs[i] ?? '');
  outputs[slot] = output;
  return {
    index: n.index,
    node: {
      opType: n.opType, domain: n.domain, name: n.name, inputs: n.inputs, outputs,
      rawAttributes: rawAttributes(m, n, (a) => a !== attr?.name),
      attributes: attr ? [attr] : [],
    },
  };
}

type Fresh = (name: string) => string;

interface Step { probs: string; nodes: NewNode[]; replace: NodeReplacement[]; scores?: string; wasmOnly?: string }

function softmax(scores: string, probs: string, fresh: Fresh): NewNode {
  return { opType: 'Softmax', name: fresh(`${probs}/softmax`), inputs: [scores], outputs: [probs], attributes: [{ name: 'axis', int: -1 }] };
}

/** GroupQueryAttention: qk_output = 2 gives the probabilities after rotary, grouping, window, softcap and mask. */
function groupQuery(m: OnnxModel, n: OnnxNode, fresh: Fresh): Step {
  // smooth softmax adds a zero logit to every row: its weights are real but do not sum to 1, which the panel relies on
  if (n.ints.get('smooth_softmax')?.[0]) throw new FusedAttentionError(n, 'uses smooth_softmax, whose weights do not sum to 1 over the tokens');
  const probs = fresh(`attention_lens/${n.name || 'GroupQueryAttention'}/probs`);
  return {
    probs, nodes: [], replace: [withOutput(m, n, 3, probs, { name: 'qk_output', int: 2 })],
    wasmOnly: 'GroupQueryAttention gives its attention probabilities (qk_output) on WASM only; onnxruntime-web\'s WebGPU kernel refuses them',
  };
}

/** ONNX Attention (opset 23): qk_matmul_output_mode = 3 gives the softmax as output 3. */
function onnxAttention(m: OnnxModel, n: OnnxNode, fresh: Fresh): Step {
  const probs = fresh(`attention_lens/${n.name || 'Attention'}/probs`);
  return { probs, nodes: [], replace: [withOutput(m, n, 3, probs, { name: 'qk_matmul_output_mode', int: 3 })] };
}

// Its WebGPU kernel writes the output and the present key/value only (onnxruntime-web 1.30, applyAttention).
const MHA_WASM = 'MultiHeadAttention, whose scores (output 3) onnxruntime-web computes on WASM only; its WebGPU kernel does not write them';

/** MultiHeadAttention: output 3 is the scaled, masked scores before the softmax. */
function multiHead(m: OnnxModel, n: OnnxNode, fresh: Fresh): Step {
  const scores = fresh(`attention_lens/${n.name || 'MultiHeadAttention'}/scores`);
  const probs = fresh(`attention_lens/${n.name || 'MultiHeadAttention'}/probs`);
  return { probs, scores, nodes: [softmax(scores, probs, fresh)], replace: [withOutput(m, n, 3, scores, null)], wasmOnly: MHA_WASM };
}

/** MultiHeadAttention's attributes that com.microsoft.Attention shares, with the same meaning. */
const SHARED = new Set(['num_heads', 'unidirectional', 'scale', 'mask_filter_value']);

/**
 * com.microsoft.Attention: Q, K, V = input·weights + bias (packed [Q | K | V] on the last axis),
 * then a MultiHeadAttention with the node's heads, scale, causal flag and mask, whose scores get
 * the softmax. Its own output is not touched, so the model runs as it did.
 */
function packedAttention(m: OnnxModel, n: OnnxNode, fresh: Fresh): Step {
  const at = (i: number): string => n.inputs[i] ?? '';
  if (n.ints.get('do_rotary')?.[0]) throw new FusedAttentionError(n, 'applies rotary inside the operator (do_rotary), which Attention Lens does not rebuild');
  if ((m.opsets.get('') ?? 0) < 13) throw new FusedAttentionError(n, 'is in a graph of opset below 13, in which Attention Lens does not rebuild it');
  const base = `attention_lens/${n.name || 'Attention'}`;
  const nodes: NewNode[] = [];
  const add = (opType: string, inputs: string[], attributes: NewNode['attributes'] = [], domain = ''): string => {
    const out = fresh(`${base}/${opType.toLowerCase()}`);
    nodes.push({ opType, name: out, inputs, outputs: [out], attributes, domain });
    return out;
  };
  const constant = (ints: number[]): string => add('Constant', [], [{ name: 'value_ints', ints }]);
  let qkv = add('MatMul', [at(0), at(1)]);
  if (at(2)) qkv = add('Add', [qkv, at(2)]);
  const sizes = n.ints.get('qkv_hidden_sizes');
  let parts: string[];
  if (sizes && sizes.length === 3) {
    const ends = [sizes[0], sizes[0] + sizes[1], sizes[0] + sizes[1] + sizes[2]];
    parts = ends.map((e, i) => add('Slice', [qkv, constant([i ? ends[i - 1] : 0]), constant([e]), constant([-1])]));
  } else {
    // [B, S, 3D] → [B, S, 3, D]: the three equal parts without knowing D
    const split = add('Reshape', [qkv, constant([0, 0, 3, -1])]);
    parts = [0, 1, 2].map((i) => add('Gather', [split, add('Constant', [], [{ name: 'value_int', int: i }])], [{ name: 'axis', int: 2 }]));
  }
  const scores = fresh(`${base}/scores`);
  const probs = fresh(`${base}/probs`);
  nodes.push({
    opType: 'MultiHeadAttention', domain: MS, name: fresh(`${base}/mha`),
    inputs: [parts[0], parts[1], parts[2], '', at(3), at(5)], outputs: [fresh(`${base}/mha_out`), '', '', scores],
    rawAttributes: rawAttributes(m, n, (a) => SHARED.has(a)),
  });
  nodes.push(softmax(scores, probs, fresh));
  return { probs, scores, nodes, replace: [], wasmOnly: `com.microsoft.Attention's probabilities are rebuilt with a ${MHA_WASM}` };
}

/** The fused attention nodes in graph order (the same set findAttention.fusedAttention refuses). */
export function exposeFusedAttention(m: OnnxModel, fused: (n: OnnxNode) => boolean, fresh: Fresh): FusedExposure {
  const out: FusedExposure = { probs: [], nodes: [], replace: [], types: [], wasmOnly: null };
  for (const n of m.nodes.filter(fused)) {
    let step: Step;
    if (n.domain === MS && n.opType === 'GroupQueryAttention') step = groupQuery(m, n, fresh);
    else if (n.domain === MS && n.opType === 'MultiHeadAttention') step = multiHead(m, n, fresh);
    else if (n.domain === MS && n.opType === 'Attention') step = packedAttention(m, n, fresh);
    else if (isDefault(n) && n.opType === 'Attention' && (m.opsets.get('') ?? 0) >= 23) step = onnxAttention(m, n, fresh);
    else throw new FusedAttentionError(n, `gives no attention probabilities that Attention Lens can expose (${opName(n)})`);
    out.probs.push(step.probs);
    out.nodes.push(...step.nodes);
    out.replace.push(...step.replace);
    if (step.scores) out.types.push({ name: step.scores, elemType: computeType(m) });
    out.wasmOnly ??= step.wasmOnly ?? null;
  }
  return out;
}
