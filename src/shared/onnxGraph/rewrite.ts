// Writes a model whose graph has some nodes and outputs added and keeps only the outputs asked
// for and the nodes and initializers they need. onnxruntime runs every node of a graph, fetched or
// not, so cutting what only fed the logits saves much of a run. Every byte outside the graph's
// node, output, initializer and value_info entries is copied as it is.
import { ATTRIBUTE, GRAPH, MODEL, NODE, OnnxModel, initializerName, valueInfoName } from './model';
import { Field, OnnxFormatError, encodeField, encodeVarint, message } from './proto';

export interface NewNode {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes?: { name: string; int?: number; ints?: number[]; str?: string }[];
  /** '' (or absent) for ai.onnx. */
  domain?: string;
  /** NODE.attribute fields copied as they are from another node (floats and all). */
  rawAttributes?: Uint8Array[];
}

/** A node of the graph written in place of node `index` (same position, so the order stays topological). */
export interface NodeReplacement {
  index: number;
  node: NewNode;
}

export interface NewOutput {
  name: string;
  /** TensorProto.DataType; the shape is left to onnxruntime's inference. */
  elemType: number;
}

export interface Rewritten {
  bytes: Uint8Array;
  keptOutputs: string[];
  removedOutputs: string[];
  removedNodes: number;
  /** Why the bytes are the input's own, or null when they were rewritten. */
  unchanged: string | null;
}

const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;
const ATTR_S = 4;

function encodeValue(a: NonNullable<NewNode['attributes']>[number]): Uint8Array[] {
  if (a.ints) return [...a.ints.map((v) => encodeField(ATTRIBUTE.ints, v)), encodeField(ATTRIBUTE.type, ATTR_INTS)];
  if (a.str !== undefined) return [encodeField(ATTR_S, a.str), encodeField(ATTRIBUTE.type, ATTR_STRING)];
  return [encodeField(ATTRIBUTE.i, a.int ?? 0), encodeField(ATTRIBUTE.type, ATTR_INT)];
}

export function encodeNode(n: NewNode): Uint8Array {
  const attrs = (n.attributes ?? []).map((a) => encodeField(NODE.attribute, message([encodeField(ATTRIBUTE.name, a.name), ...encodeValue(a)])));
  return encodeField(GRAPH.node, message([
    ...n.inputs.map((x) => encodeField(NODE.input, x)),
    ...n.outputs.map((x) => encodeField(NODE.output, x)),
    encodeField(NODE.name, n.name),
    encodeField(NODE.opType, n.opType),
    ...attrs,
    ...(n.rawAttributes ?? []),
    ...(n.domain ? [encodeField(NODE.domain, n.domain)] : []),
  ]));
}

export function encodeOutput(o: NewOutput, field: number = GRAPH.output): Uint8Array {
  const tensorType = message([encodeField(1, o.elemType)]);
  return encodeField(field, message([encodeField(1, o.name), encodeField(2, message([encodeField(1, tensorType)]))]));
}

/** What a rewrite changes besides adding nodes and outputs. */
export interface RewriteExtras {
  replace?: NodeReplacement[];
  /** Element types of new values whose type onnxruntime cannot infer (written as value_info). */
  types?: NewOutput[];
}

/**
 * Adds `nodes` and `outputs`, then keeps the outputs for which `keep(name)` is true. Throws
 * OnnxFormatError when no output would be left. A graph with subgraphs (If, Loop, Scan), whose
 * bodies may use outer values by name, keeps all its nodes.
 */
export function rewriteGraph(m: OnnxModel, nodes: NewNode[], outputs: NewOutput[], keep: (output: string) => boolean, extras: RewriteExtras = {}): Rewritten {
  const replace = extras.replace ?? [];
  const b = m.bytes;
  const allOutputs = [...m.outputs.map((o) => o.name), ...outputs.map((o) => o.name)];
  const kept = allOutputs.filter(keep);
  if (kept.length === 0) throw new OnnxFormatError('no graph output would be left');
  if (kept.length === allOutputs.length && nodes.length === 0 && replace.length === 0) {
    return { bytes: b, keptOutputs: allOutputs, removedOutputs: [], removedNodes: 0, unchanged: 'every output is used' };
  }
  const whole = m.nodes.some((n) => n.hasSubgraph);

  // Nodes are in topological order (the ONNX spec requires it): walk back from the kept outputs.
  const byIndex = new Map(replace.map((r) => [r.index, r.node]));
  const all = [...m.nodes.map((n) => {
    const r = byIndex.get(n.index) ?? n;
    return { inputs: r.inputs, outputs: r.outputs, field: n.field as Field | null };
  }),
    ...nodes.map((n) => ({ inputs: n.inputs, outputs: n.outputs, field: null }))];
  const needed = new Set(kept);
  const live = new Set<number>();
  for (let i = all.length - 1; i >= 0; i--) {
    const n = all[i];
    if (!whole && !n.outputs.some((o) => needed.has(o))) continue;
    live.add(i);
    for (const x of n.inputs) if (x) needed.add(x);
  }
  const graphInputs = new Set(m.inputs.map((i) => i.name));
  const keptSet = new Set(kept);
  const liveFields = new Set(all.filter((_, i) => live.has(i)).map((n) => n.field));
  const drop = (f: Field): boolean => {
    switch (f.field) {
      case GRAPH.node: return !liveFields.has(f);
      case GRAPH.output: return !keptSet.has(valueInfoName(b, f));
      case GRAPH.initializer: {
        const name = initializerName(b, f);
        return !needed.has(name) && !graphInputs.has(name);
      }
      case GRAPH.valueInfo: return !needed.has(valueInfoName(b, f));
      default: return false;
    }
  };
  const replacing = new Map(replace.map((r) => [m.nodes[r.index].field, encodeNode(r.node)]));
  const parts: Uint8Array[] = m.graphFields.filter((f) => !drop(f)).map((f) => replacing.get(f) ?? b.subarray(f.start, f.end));
  nodes.forEach((n, i) => { if (live.has(m.nodes.length + i)) parts.push(encodeNode(n)); });
  outputs.forEach((o) => { if (keptSet.has(o.name)) parts.push(encodeOutput(o)); });
  (extras.types ?? []).forEach((t) => { if (needed.has(t.name)) parts.push(encodeOutput(t, GRAPH.valueInfo)); });

  return {
    bytes: graphBytes(m, parts),
    keptOutputs: kept,
    removedOutputs: allOutputs.filter((o) => !keptSet.has(o)),
    removedNodes: m.nodes.length - [...live].filter((i) => i < m.nodes.length).length,
    unchanged: null,
  };
}

/** The model with its graph's fields replaced by `parts` (encoded fields, in order); the rest copied. */
export function graphBytes(m: OnnxModel, parts: Uint8Array[]): Uint8Array {
  const b = m.bytes;
  const graphLen = parts.reduce((s, p) => s + p.length, 0);
  const header = [...encodeVarint(MODEL.graph * 8 + 2), ...encodeVarint(graphLen)];
  const out = new Uint8Array(m.graph.start + header.length + graphLen + (b.length - m.graph.end));
  out.set(b.subarray(0, m.graph.start), 0);
  let pos = m.graph.start;
  out.set(header, pos);
  pos += header.length;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  out.set(b.subarray(m.graph.end), pos);
  return out;
}
