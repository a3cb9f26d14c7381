// An ONNX model's graph as far as the attention rewriting needs it: the nodes (operator, domain,
// inputs, outputs, a few attributes), the graph's inputs with their declared types and shapes,
// its outputs, its initializers' names and the opsets. Everything keeps its byte range, so the
// rewriting copies the rest of the model untouched.
import { Field, OnnxFormatError, fields, inner, intField, intsField, strings, text } from './proto';

// Field numbers from onnx.proto.
export const MODEL = { irVersion: 1, graph: 7, opsetImport: 8 } as const;
export const GRAPH = { node: 1, initializer: 5, input: 11, output: 12, valueInfo: 13 } as const;
export const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;
export const ATTRIBUTE = { name: 1, i: 3, g: 6, ints: 8, graphs: 11, type: 20 } as const;
const TENSOR = { name: 8, externalData: 13, dataLocation: 14 } as const;
const TENSOR_NAME = TENSOR.name;
const EXTERNAL = 1;
const VALUE_INFO = { name: 1, type: 2 } as const;
const TYPE_TENSOR = 1;
const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;
const DIM = { value: 1, param: 2 } as const;

/** TensorProto.DataType values the page feeds or reads. */
export const ELEM = { float: 1, int32: 6, int64: 7, bool: 9, float16: 10 } as const;
const ELEM_NAMES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16',
};
export const elemName = (t: number | undefined): string => (t === undefined ? 'untyped' : ELEM_NAMES[t] ?? `type ${t}`);

export interface OnnxNode {
  field: Field;
  index: number;
  name: string;
  opType: string;
  /** '' for the default (ai.onnx) domain. */
  domain: string;
  inputs: string[];
  outputs: string[];
  /** Integer and integer-list attributes by name (axis, perm, to, …). */
  ints: Map<string, number[]>;
  hasSubgraph: boolean;
}

/** A graph input or output: its declared element type and shape (a number, a symbolic name, or null). */
export interface OnnxValue {
  field: Field;
  name: string;
  elemType: number | undefined;
  dims: (number | string | null)[] | null;
}

export interface OnnxModel {
  bytes: Uint8Array;
  graph: Field;
  graphFields: Field[];
  nodes: OnnxNode[];
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  initializers: Set<string>;
  /** Opset version per domain ('' for ai.onnx). */
  opsets: Map<string, number>;
  /** Where the first initializer kept outside the file says its data is (ONNX external data), or null. */
  externalData: string | null;
  /** Every file the initializers' external data names (model.onnx_data, _1, … or model.onnx.data), in order. */
  externalFiles: string[];
}

function externalLocation(b: Uint8Array, f: Field): string | null {
  const tf = inner(b, f);
  if (intField(b, tf, TENSOR.dataLocation) !== EXTERNAL) return null;
  for (const e of tf.filter((x) => x.field === TENSOR.externalData && x.wire === 2)) {
    const [key, value] = [strings(b, e, 1)[0], strings(b, e, 2)[0]];
    if (key === 'location' && value) return value;
  }
  return '';
}

function parseNode(b: Uint8Array, f: Field, index: number): OnnxNode {
  const nf = inner(b, f);
  const one = (n: number): string => {
    const x = nf.filter((y) => y.field === n && y.wire === 2).pop();
    return x ? text(b, x) : '';
  };
  const ints = new Map<string, number[]>();
  let hasSubgraph = false;
  for (const a of nf.filter((x) => x.field === NODE.attribute)) {
    const af = inner(b, a);
    if (af.some((x) => x.field === ATTRIBUTE.g || x.field === ATTRIBUTE.graphs)) hasSubgraph = true;
    const name = strings(b, a, ATTRIBUTE.name)[0] ?? '';
    const i = intField(b, af, ATTRIBUTE.i);
    const list = intsField(b, af, ATTRIBUTE.ints);
    if (list.length) ints.set(name, list);
    else if (i !== undefined) ints.set(name, [i]);
  }
  return {
    field: f, index, name: one(NODE.name), opType: one(NODE.opType), domain: one(NODE.domain),
    inputs: nf.filter((x) => x.field === NODE.input).map((x) => text(b, x)),
    outputs: nf.filter((x) => x.field === NODE.output).map((x) => text(b, x)),
    ints, hasSubgraph,
  };
}

function parseValue(b: Uint8Array, f: Field): OnnxValue {
  const vf = inner(b, f);
  const nameF = vf.find((x) => x.field === VALUE_INFO.name && x.wire === 2);
  const typeF = vf.find((x) => x.field === VALUE_INFO.type && x.wire === 2);
  let elemType: number | undefined;
  let dims: OnnxValue['dims'] = null;
  const tensor = typeF ? inner(b, typeF).find((x) => x.field === TYPE_TENSOR && x.wire === 2) : undefined;
  if (tensor) {
    const tf = inner(b, tensor);
    elemType = intField(b, tf, TENSOR_TYPE.elemType);
    const shape = tf.find((x) => x.field === TENSOR_TYPE.shape && x.wire === 2);
    if (shape) {
      dims = inner(b, shape).filter((x) => x.field === 1 && x.wire === 2).map((d) => {
        const df = inner(b, d);
        const v = intField(b, df, DIM.value);
        if (v !== undefined) return v;
        const p = df.find((x) => x.field === DIM.param && x.wire === 2);
        return p ? text(b, p) : null;
      });
    }
  }
  return { field: f, name: nameF ? text(b, nameF) : '', elemType, dims };
}

/** Reads the model's graph; throws OnnxFormatError when the bytes are not an ONNX model. */
export function parseModel(bytes: Uint8Array): OnnxModel {
  const top = fields(bytes, 0, bytes.length);
  const graphs = top.filter((f) => f.field === MODEL.graph && f.wire === 2);
  if (graphs.length !== 1) throw new OnnxFormatError(`the model has ${graphs.length} graphs, expected 1`);
  const opsets = new Map<string, number>();
  for (const o of top.filter((f) => f.field === MODEL.opsetImport && f.wire === 2)) {
    const of = inner(bytes, o);
    const d = of.find((x) => x.field === 1 && x.wire === 2);
    const domain = d ? text(bytes, d) : '';
    opsets.set(domain === 'ai.onnx' ? '' : domain, intField(bytes, of, 2) ?? 0);
  }
  const graph = graphs[0];
  const graphFields = inner(bytes, graph);
  const inits = graphFields.filter((f) => f.field === GRAPH.initializer && f.wire === 2);
  const external = new Set<string>();
  for (const f of inits) {
    const at = externalLocation(bytes, f);
    if (at !== null) external.add(at);
  }
  const nodes: OnnxNode[] = [];
  for (const f of graphFields) if (f.field === GRAPH.node && f.wire === 2) nodes.push(parseNode(bytes, f, nodes.length));
  return {
    bytes, graph, graphFields, nodes,
    inputs: graphFields.filter((f) => f.field === GRAPH.input && f.wire === 2).map((f) => parseValue(bytes, f)),
    outputs: graphFields.filter((f) => f.field === GRAPH.output && f.wire === 2).map((f) => parseValue(bytes, f)),
    initializers: new Set(inits.map((f) => strings(bytes, f, TENSOR_NAME)[0])),
    opsets,
    externalData: external.size > 0 ? [...external][0] : null,
    externalFiles: [...external],
  };
}

export const initializerName = (b: Uint8Array, f: Field): string => strings(b, f, TENSOR_NAME)[0];
export const valueInfoName = (b: Uint8Array, f: Field): string => strings(b, f, VALUE_INFO.name)[0];
