// Cuts an ONNX model down to the outputs that are used. onnxruntime runs every node of a graph,
// whether or not its output is fetched; the panel fetches only attentions (and queries/keys),
// so without this it would also compute the logits (the vocabulary projection, the largest matmul
// of a small model) and the last layer's MLP on every run. Pure: bytes in, bytes out. The
// protobuf reading and writing live in onnxGraph/; exposing attention in graphs that do not
// return it is attentionGraph.ts.
import { parseModel } from './onnxGraph/model';
import { OnnxFormatError } from './onnxGraph/proto';
import { Rewritten, rewriteGraph } from './onnxGraph/rewrite';

export { OnnxFormatError };

/** What pruneOnnx did; `bytes` is the input itself when nothing was removed. */
export type Pruned = Rewritten;

/**
 * Keeps the graph outputs for which `keep(name)` is true and the nodes and initializers they
 * need. Throws OnnxFormatError when the bytes are not an ONNX model it can read, or when no
 * output would be left. A graph with subgraphs is left whole.
 */
export function pruneOnnx(model: Uint8Array, keep: (output: string) => boolean): Pruned {
  const m = parseModel(model);
  if (m.nodes.some((n) => n.hasSubgraph) && m.outputs.some((o) => keep(o.name))) {
    return { bytes: model, keptOutputs: m.outputs.map((o) => o.name), removedOutputs: [], removedNodes: 0, unchanged: 'the graph has subgraphs' };
  }
  return rewriteGraph(m, [], [], keep);
}

/** The outputs the panel reads: attentions.i, and queries.i / keys.i for the three-steps view. */
export function isAttentionOutput(name: string): boolean {
  return /^(attentions|queries|keys)\.\d+$/.test(name);
}
