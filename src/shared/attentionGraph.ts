// The graph the page runs, from whatever model.onnx a user brings: one that returns
// attentions.N is used as it is; in one that does not (most exports), each layer's attention
// Softmax becomes the output attentions.N (layers in graph order) and, where the scores come from
// one MatMul(Q, Kᵀ), Q and K become queries.N and keys.N ([batch, heads, seq, head_dim], per
// query head, post-rotary) for the three-steps view. Everything else the attention does not need
// (logits, the last MLP, present.*) is cut. A graph whose attention is one fused operator gives that
// operator's probabilities instead (onnxGraph/fusedAttention.ts). Pure: bytes in, bytes out; done
// once per model load.
import { ELEM, OnnxModel, parseModel } from './onnxGraph/model';
import { customOperator, findAttentionLayers, fusedAttention, isFusedAttention } from './onnxGraph/findAttention';
import { FusedAttentionError, exposeFusedAttention } from './onnxGraph/fusedAttention';
import { InputError, InputPlan, PastSizes, planInputs } from './onnxGraph/inputs';
import { inlineNoCacheBranch, mergedDecoderIf } from './onnxGraph/mergedDecoder';
import { OnnxFormatError } from './onnxGraph/proto';
import { NewNode, NewOutput, RewriteExtras, rewriteGraph } from './onnxGraph/rewrite';
import { isAttentionOutput } from './onnxPrune';

export type { InputPlan, InputRole, FeedType } from './onnxGraph/inputs';

export type GraphProblem = 'format' | 'external-data' | 'fused-attention' | 'custom-operator' | 'no-attention' | 'input';

/** A graph the page cannot show attention for; the message names the operator or input. */
export class AttentionGraphError extends Error {
  constructor(readonly problem: GraphProblem, message: string, readonly subject: string | null = null) {
    super(message);
  }
}

export interface GraphOptions extends PastSizes {
  /** How the file is named in messages. */
  fileName?: string;
}

export interface AttentionGraphInfo {
  /** How many attention layers the graph gives (attentions.0 … attentions.{layers−1}). */
  layers: number;
  /** 'outputs': the graph returns attentions.N itself; 'softmax': its Softmax nodes were exposed; 'fused': its fused attention operators' (onnxGraph/fusedAttention.ts). */
  source: 'outputs' | 'softmax' | 'fused';
  /** queries.N and keys.N are outputs too. */
  queryKey: boolean;
  /** The Softmax nodes exposed, in layer order (empty for 'outputs'). */
  softmaxNodes: string[];
  /** How to fill each input the graph asks for. */
  inputs: InputPlan[];
  /** The files its weights are kept in (ONNX external data), as the graph names them; the page passes them to onnxruntime. */
  externalFiles: string[];
  /** A merged decoder whose If was replaced by its no-cache branch. */
  merged: boolean;
  /** Why the graph runs on WASM only (a fused operator's probabilities WebGPU does not give). */
  wasmOnly?: string | null;
}

export interface AttentionGraph extends AttentionGraphInfo {
  /** The graph to hand onnxruntime: outputs attentions.N (+ queries.N, keys.N) only. */
  bytes: Uint8Array;
  removedNodes: number;
}

/** Kept short: the page shows the first 300 characters of a load error. */
export const HOW_TO_EXPORT = 'export without fusion: torch.onnx.export with attn_implementation="eager", '
  + 'or optimum-cli export onnx --no-post-process, and no onnxruntime transformer optimizer';

const short = (name: string): string => (name.length > 48 ? `…${name.slice(-47)}` : name);

const LAYER = /^attentions\.(\d+)$/;

interface Plan {
  info: AttentionGraphInfo;
  nodes: NewNode[];
  outputs: NewOutput[];
  extras?: RewriteExtras;
}

function plan(m: OnnxModel, opts: GraphOptions, merged: boolean): Plan {
  const file = opts.fileName ?? 'model.onnx';
  const externalFiles = m.externalFiles;
  if (externalFiles.includes('')) {
    throw new AttentionGraphError('external-data', `${file} keeps an initializer's data outside the file (ONNX external data) without naming the file (no location)`);
  }
  const extra = { externalFiles, merged };
  const own = m.outputs.filter((o) => LAYER.test(o.name)).length;
  const custom = customOperator(m);
  if (custom) {
    throw new AttentionGraphError('custom-operator', `${file} uses the operator ${custom.domain}.${custom.opType} (node "${short(custom.name)}"), which onnxruntime-web does not have`, custom.opType);
  }
  let inputs: InputPlan[];
  try {
    inputs = planInputs(m.inputs, m.initializers, opts, file);
  } catch (e) {
    if (e instanceof InputError) throw new AttentionGraphError('input', e.message, e.input);
    throw e;
  }
  if (own > 0) {
    const qk = m.outputs.some((o) => o.name === 'queries.0') && m.outputs.some((o) => o.name === 'keys.0');
    return { info: { layers: own, source: 'outputs', queryKey: qk, softmaxNodes: [], inputs, ...extra }, nodes: [], outputs: [] };
  }
  const fused = fusedAttention(m);
  const layers = fused ? [] : findAttentionLayers(m);
  if (!fused && layers.length === 0) {
    const sub = m.nodes.find((n) => n.hasSubgraph);
    const why = sub
      ? `${file} keeps its layers inside a ${sub.opType} subgraph (a merged decoder, e.g. decoder_model_merged.onnx); use the folder's model.onnx or decoder_model.onnx`
      : `${file} returns no attentions.N and has no attention Softmax (over the keys, multiplied by V); ${HOW_TO_EXPORT}`;
    throw new AttentionGraphError('no-attention', why);
  }
  // K = Kᵀ with its last two axes swapped: a Transpose where Kᵀ's rank is known to be 4, else an
  // Einsum that swaps them at any rank (opset 12+), so that exposing K can never break the graph.
  const einsum = (m.opsets.get('') ?? 0) >= 12;
  const queryKey = !fused && layers.every((l) => l.query !== null && l.keyT !== null && (l.keyTRank === 4 || einsum));
  const nodes: NewNode[] = [];
  const outputs: NewOutput[] = [];
  const taken = new Set(m.nodes.flatMap((n) => n.outputs));
  const fresh = (name: string): string => {
    let n = name;
    for (let i = 1; taken.has(n); i++) n = `${name}_${i}`;
    taken.add(n);
    return n;
  };
  // Casts to float32 make the outputs what the page reads whatever the graph computes in (fp16 too).
  const expose = (value: string, output: string): void => {
    nodes.push({ opType: 'Cast', name: fresh(`attention_lens/${output}`), inputs: [value], outputs: [output], attributes: [{ name: 'to', int: ELEM.float }] });
    outputs.push({ name: output, elemType: ELEM.float });
  };
  if (fused) {
    try {
      const f = exposeFusedAttention(m, isFusedAttention, fresh);
      f.probs.forEach((p, i) => expose(p, `attentions.${i}`));
      return { info: { layers: f.probs.length, source: 'fused', queryKey, softmaxNodes: [], inputs, wasmOnly: f.wasmOnly, ...extra }, nodes: [...f.nodes, ...nodes], outputs, extras: { replace: f.replace, types: f.types } };
    } catch (e) {
      if (!(e instanceof FusedAttentionError)) throw e;
      const op = `${e.node.domain || 'ai.onnx'}.${e.node.opType}`;
      throw new AttentionGraphError('fused-attention', `${file} fuses attention into the ${op} operator (node "${short(e.node.name)}"), which ${e.message}; ${HOW_TO_EXPORT}`, e.node.opType);
    }
  }
  layers.forEach((l, i) => {
    expose(l.probs, `attentions.${i}`);
    if (queryKey && l.query && l.keyT) {
      expose(l.query, `queries.${i}`);
      const k = fresh(`attention_lens/keys.${i}/transposed`);
      nodes.push(l.keyTRank === 4
        ? { opType: 'Transpose', name: k, inputs: [l.keyT], outputs: [k], attributes: [{ name: 'perm', ints: [0, 1, 3, 2] }] }
        : { opType: 'Einsum', name: k, inputs: [l.keyT], outputs: [k], attributes: [{ name: 'equation', str: '...ij->...ji' }] });
      expose(k, `keys.${i}`);
    }
  });
  return { info: { layers: layers.length, source: 'softmax', queryKey, softmaxNodes: layers.map((l) => l.softmax.name), inputs, ...extra }, nodes, outputs };
}

/** The model, a merged decoder's no-cache branch inlined (src/shared/onnxGraph/mergedDecoder.ts). */
function parse(bytes: Uint8Array, opts: GraphOptions): { m: OnnxModel; merged: boolean } {
  try {
    const m = parseModel(bytes);
    const ifNode = mergedDecoderIf(m);
    return ifNode ? { m: parseModel(inlineNoCacheBranch(m, ifNode).bytes), merged: true } : { m, merged: false };
  } catch (e) {
    if (e instanceof OnnxFormatError) throw new AttentionGraphError('format', `${opts.fileName ?? 'model.onnx'}: ${e.message}`);
    throw e;
  }
}

/** What attentionGraph would give, without writing the new graph (for checks before loading). */
export function inspectAttentionGraph(bytes: Uint8Array, opts: GraphOptions = {}): AttentionGraphInfo {
  const { m, merged } = parse(bytes, opts);
  return plan(m, opts, merged).info;
}

/**
 * The graph cut to its attention outputs, with the attention exposed where the graph does not
 * return it. Throws AttentionGraphError with a message for the user.
 */
export function attentionGraph(bytes: Uint8Array, opts: GraphOptions = {}): AttentionGraph {
  const { m, merged } = parse(bytes, opts);
  const p = plan(m, opts, merged);
  // A graph with subgraphs keeps all its nodes (their bodies may use outer values by name).
  const r = rewriteGraph(m, p.nodes, p.outputs, isAttentionOutput, p.extras);
  return { ...p.info, bytes: r.bytes, removedNodes: r.removedNodes };
}

/**
 * onnxruntime's failures for an operator it does not know or has no kernel for, said as which
 * operator the model uses that onnxruntime-web cannot run; null for any other error.
 */
export function unsupportedOperatorMessage(error: string, fileName = 'model.onnx'): string | null {
  const say = (op: string, detail: string): string => `${fileName} uses the operator ${op} (${detail}), which onnxruntime-web cannot run`;
  const kernel = /Could not find an implementation for (\S+?)\((\d+)\) node with name '([^']*)'/.exec(error);
  if (kernel) return say(kernel[1], `opset ${kernel[2]}, node "${short(kernel[3])}"`);
  const noOp = /\("([^"]*)", (\S+?), "([^"]*)", -?\d+\).*No Op registered for \S+ with domain_version of (\d+)/.exec(error);
  if (noOp) return say(noOp[3] ? `${noOp[3]}.${noOp[2]}` : noOp[2], `opset ${noOp[4]}, node "${short(noOp[1])}"`);
  const unknown = /([\w.]*):(\w+)\(-?\d+\) is not a registered function\/op/.exec(error);
  if (unknown) return say(unknown[1] ? `${unknown[1]}.${unknown[2]}` : unknown[2], 'not a registered operator');
  return null;
}
