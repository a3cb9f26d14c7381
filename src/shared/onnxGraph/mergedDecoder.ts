// A merged decoder (optimum's legacy export: Xenova/gpt2's model.onnx, decoder_model_merged.onnx)
// is one graph with a bool input use_cache_branch and a top-level If whose branches hold every
// layer: then_branch runs with a key/value cache, else_branch without. A first run has no cache,
// so the If is replaced by its else_branch's own nodes (their outputs renamed to the If's through
// Identity nodes), which puts each layer's Softmax in the main graph where it can be exposed. The
// switch, and past inputs only the cache branch read, are dropped. Pure: bytes in, bytes out.
import { ATTRIBUTE, GRAPH, OnnxModel, OnnxNode } from './model';
import { Field, OnnxFormatError, inner, strings, text } from './proto';
import { encodeNode, graphBytes } from './rewrite';

const SWITCH = 'use_cache_branch';
const PAST = /^(past_key_values|past_key_value|past)[._]/;

/** The top-level If a merged decoder switches on use_cache_branch, or null for any other graph. */
export function mergedDecoderIf(m: OnnxModel): OnnxNode | null {
  if (!m.inputs.some((i) => i.name === SWITCH)) return null;
  return m.nodes.find((n) => n.opType === 'If' && n.domain === '' && n.inputs[0] === SWITCH) ?? null;
}

/** The GraphProto field of the If's attribute named `name`. */
function branch(b: Uint8Array, node: OnnxNode, name: string): Field {
  for (const a of inner(b, node.field).filter((f) => f.field === 5 && f.wire === 2)) {
    if (strings(b, a, ATTRIBUTE.name)[0] !== name) continue;
    const g = inner(b, a).find((f) => f.field === ATTRIBUTE.g && f.wire === 2);
    if (g) return g;
  }
  throw new OnnxFormatError(`the If node "${node.name}" on ${SWITCH} has no ${name}`);
}

const valueName = (b: Uint8Array, f: Field): string => strings(b, f, 1)[0] ?? '';

/** Every name the nodes read (inputs, and any name at all inside a nested subgraph, to be safe). */
function namesRead(b: Uint8Array, nodes: Field[]): { names: Set<string>; nested: boolean } {
  const names = new Set<string>();
  let nested = false;
  for (const n of nodes) {
    for (const f of inner(b, n)) {
      if (f.field === 1 && f.wire === 2) names.add(text(b, f));
      if (f.field === 5 && f.wire === 2 && inner(b, f).some((x) => x.field === ATTRIBUTE.g || x.field === 11)) nested = true;
    }
  }
  return { names, nested };
}

export interface InlinedDecoder {
  bytes: Uint8Array;
  /** The graph inputs dropped: the switch and the past the no-cache branch does not read. */
  droppedInputs: string[];
}

/** The model with the merged decoder's If replaced by its no-cache (else) branch. */
export function inlineNoCacheBranch(m: OnnxModel, node: OnnxNode): InlinedDecoder {
  const b = m.bytes;
  const body = inner(b, branch(b, node, 'else_branch'));
  const bodyNodes = body.filter((f) => f.field === GRAPH.node && f.wire === 2);
  const bodyOutputs = body.filter((f) => f.field === GRAPH.output && f.wire === 2).map((f) => valueName(b, f));
  if (bodyOutputs.length !== node.outputs.length) {
    throw new OnnxFormatError(`the If node "${node.name}" has ${node.outputs.length} outputs but its else_branch ${bodyOutputs.length}`);
  }
  // Identity, not renaming: the branch's node bytes are copied untouched.
  const renames = bodyOutputs.map((from, i) => encodeNode({ opType: 'Identity', name: `attention_lens/no_cache/${i}`, inputs: [from], outputs: [node.outputs[i]] }))
    .filter((_, i) => node.outputs[i] !== '');
  const mainNodes = m.graphFields.filter((f) => f.field === GRAPH.node && f.wire === 2 && f !== node.field);
  const read = namesRead(b, [...mainNodes, ...bodyNodes]);
  const outputs = new Set(m.outputs.map((o) => o.name));
  const dropped = m.inputs.map((i) => i.name).filter((n) => (n === SWITCH || PAST.test(n)) && !read.nested && !read.names.has(n) && !outputs.has(n));
  const drop = new Set(dropped);
  const parts: Uint8Array[] = [];
  for (const f of m.graphFields) {
    if (f === node.field) {
      for (const n of bodyNodes) parts.push(b.subarray(n.start, n.end));
      parts.push(...renames);
      // The branch's own initializers and shapes (field numbers are the same in any GraphProto).
      for (const x of body) if ((x.field === GRAPH.initializer || x.field === GRAPH.valueInfo) && x.wire === 2) parts.push(b.subarray(x.start, x.end));
    } else if (!(f.field === GRAPH.input && drop.has(valueName(b, f)))) {
      parts.push(b.subarray(f.start, f.end));
    }
  }
  return { bytes: graphBytes(m, parts), droppedInputs: dropped };
}
