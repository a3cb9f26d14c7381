// Cuts an ONNX model down to the outputs that are used. onnxruntime runs every node of a graph,
// whether or not its output is fetched; the panel fetches only attentions (and queries/keys), so
// without this it would also compute the logits (the vocabulary projection, the largest matmul of
// a small model) and the last layer's MLP on every run. Pure: bytes in, bytes out.
//
// Only the graph's node, output, initializer and value_info entries are dropped; every other byte
// of the model is copied as it is. A graph with subgraphs (If, Loop, Scan), whose bodies can use
// outer values by name, is left whole.

/** What pruneOnnx did; `bytes` is the input itself when nothing was removed. */
export interface Pruned {
  bytes: Uint8Array;
  keptOutputs: string[];
  removedOutputs: string[];
  removedNodes: number;
  /** Why nothing was removed, or null when something was. */
  unchanged: string | null;
}

export class OnnxFormatError extends Error {}

interface Field {
  field: number;
  wire: number;
  /** The whole field, tag included: [start, end). */
  start: number;
  end: number;
  /** A length-delimited field's payload: [valueStart, end). */
  valueStart: number;
}

function readVarint(b: Uint8Array, pos: number, end: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let i = pos; i < end && i < pos + 10; i++) {
    value += (b[i] & 0x7f) * scale;
    scale *= 128;
    if ((b[i] & 0x80) === 0) return { value, next: i + 1 };
  }
  throw new OnnxFormatError(`the model is truncated or corrupt at byte ${pos}`);
}

/** The fields of the message in b[start, end), in order. */
function fields(b: Uint8Array, start: number, end: number): Field[] {
  const out: Field[] = [];
  let pos = start;
  while (pos < end) {
    const tag = readVarint(b, pos, end);
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    let valueStart = tag.next;
    let next: number;
    switch (wire) {
      case 0: next = readVarint(b, tag.next, end).next; break;
      case 1: next = tag.next + 8; break;
      case 5: next = tag.next + 4; break;
      case 2: {
        const len = readVarint(b, tag.next, end);
        valueStart = len.next;
        next = len.next + len.value;
        break;
      }
      default: throw new OnnxFormatError(`the model has a field of wire type ${wire} at byte ${pos}, which ONNX does not use`);
    }
    if (next > end) throw new OnnxFormatError(`the model is truncated: a field at byte ${pos} runs past its message`);
    out.push({ field, wire, start: pos, end: next, valueStart });
    pos = next;
  }
  return out;
}

const utf8 = new TextDecoder();
const text = (b: Uint8Array, f: Field): string => utf8.decode(b.subarray(f.valueStart, f.end));

/** The string fields numbered `n` of a message. */
function strings(b: Uint8Array, msg: Field, n: number): string[] {
  return fields(b, msg.valueStart, msg.end).filter((f) => f.field === n && f.wire === 2).map((f) => text(b, f));
}

function encodeVarint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 128) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

// Field numbers from onnx.proto.
const MODEL_GRAPH = 7;
const GRAPH = { node: 1, initializer: 5, input: 11, output: 12, valueInfo: 13 } as const;
const NODE = { input: 1, output: 2, attribute: 5 } as const;
const ATTRIBUTE = { g: 6, graphs: 11 } as const;
const TENSOR_NAME = 8;
const VALUE_INFO_NAME = 1;

/**
 * Keeps the graph outputs for which `keep(name)` is true and the nodes and initializers they
 * need. Throws OnnxFormatError when the bytes are not an ONNX model it can read, or when no
 * output would be left.
 */
export function pruneOnnx(model: Uint8Array, keep: (output: string) => boolean): Pruned {
  const top = fields(model, 0, model.length);
  const graphs = top.filter((f) => f.field === MODEL_GRAPH && f.wire === 2);
  if (graphs.length !== 1) throw new OnnxFormatError(`the model has ${graphs.length} graphs, expected 1`);
  const graph = graphs[0];
  const gf = fields(model, graph.valueStart, graph.end);

  const outputs = gf.filter((f) => f.field === GRAPH.output).map((f) => ({ f, name: strings(model, f, VALUE_INFO_NAME)[0] ?? '' }));
  const kept = outputs.filter((o) => keep(o.name));
  const result = (unchanged: string): Pruned => ({
    bytes: model, keptOutputs: outputs.map((o) => o.name), removedOutputs: [], removedNodes: 0, unchanged,
  });
  if (kept.length === 0) throw new OnnxFormatError('no graph output would be left');
  if (kept.length === outputs.length) return result('every output is used');

  const nodes = gf.filter((f) => f.field === GRAPH.node).map((f) => {
    const nf = fields(model, f.valueStart, f.end);
    const subgraph = nf.some((a) => a.field === NODE.attribute
      && fields(model, a.valueStart, a.end).some((x) => x.field === ATTRIBUTE.g || x.field === ATTRIBUTE.graphs));
    return {
      f,
      inputs: nf.filter((x) => x.field === NODE.input).map((x) => text(model, x)),
      outputs: nf.filter((x) => x.field === NODE.output).map((x) => text(model, x)),
      subgraph,
    };
  });
  if (nodes.some((n) => n.subgraph)) return result('the graph has subgraphs');

  // Nodes are in topological order (the ONNX spec requires it): walk back from the kept outputs.
  const needed = new Set(kept.map((o) => o.name));
  const live = new Set<Field>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!n.outputs.some((o) => needed.has(o))) continue;
    live.add(n.f);
    for (const x of n.inputs) if (x) needed.add(x);
  }
  const graphInputs = new Set(gf.filter((f) => f.field === GRAPH.input).map((f) => strings(model, f, VALUE_INFO_NAME)[0]));
  const keptOutputs = new Set(kept.map((o) => o.f));
  const drop = (f: Field): boolean => {
    switch (f.field) {
      case GRAPH.node: return !live.has(f);
      case GRAPH.output: return !keptOutputs.has(f);
      case GRAPH.initializer: {
        const name = strings(model, f, TENSOR_NAME)[0];
        return !needed.has(name) && !graphInputs.has(name);
      }
      case GRAPH.valueInfo: return !needed.has(strings(model, f, VALUE_INFO_NAME)[0]);
      default: return false;
    }
  };
  const parts = gf.filter((f) => !drop(f));
  const graphLen = parts.reduce((s, f) => s + f.end - f.start, 0);
  const header = [...encodeVarint(MODEL_GRAPH * 8 + 2), ...encodeVarint(graphLen)];
  const out = new Uint8Array(graph.start + header.length + graphLen + (model.length - graph.end));
  out.set(model.subarray(0, graph.start), 0);
  let pos = graph.start;
  out.set(header, pos);
  pos += header.length;
  for (const f of parts) {
    out.set(model.subarray(f.start, f.end), pos);
    pos += f.end - f.start;
  }
  out.set(model.subarray(graph.end), pos);
  return {
    bytes: out,
    keptOutputs: kept.map((o) => o.name),
    removedOutputs: outputs.filter((o) => !keptOutputs.has(o.f)).map((o) => o.name),
    removedNodes: nodes.length - live.size,
    unchanged: null,
  };
}

/** The outputs the panel reads: attentions.i, and queries.i / keys.i for the three-steps view. */
export function isAttentionOutput(name: string): boolean {
  return /^(attentions|queries|keys)\.\d+$/.test(name);
}
