// What an ONNX graph claims, bounded on the host before the page (and onnxruntime in it) allocates
// anything from it: a graph from the Hub is untrusted input. onnxruntime sizes each weight from its
// dims before it reads the data, so a 16-byte initializer claiming [2^20, 2^20] floats, or external
// data said to lie past the end of its file, would ask the panel for terabytes. The graph is walked
// from disk field header by field header (weights are skipped, never read), subgraphs (If branches)
// and Constant nodes' tensors included. Every refusal names the file and the claim.
import { Header, WindowReader } from './externalData';
import { ModelFolderError } from './errors';
import type { Loc, OpenFile } from './modelFs';

/** Far above any real graph (Llama 3 70B as ONNX: ~10,000 nodes, ~700 initializers; a q4 export a few times that). */
export const GRAPH_LIMITS = { nodes: 2_000_000, initializers: 1_000_000, rank: 32, depth: 16, nameBytes: 4096 } as const;

/** Bytes per element by TensorProto.DataType (0.5: 4-bit types); strings (8) are not sized. */
const ELEM_BYTES: Record<number, number> = {
  1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 14: 8, 15: 16, 16: 2,
  17: 1, 18: 1, 19: 1, 20: 1, 21: 0.5, 22: 0.5, 23: 0.5,
};
const TYPE_NAMES: Record<number, string> = { 1: 'float32', 7: 'int64', 10: 'float16', 16: 'bfloat16', 3: 'int8', 2: 'uint8', 6: 'int32' };
const MODEL_GRAPH = 7;
const GRAPH = { node: 1, initializer: 5, sparseInitializer: 15 } as const;
const NODE_ATTRIBUTE = 5;
const ATTR = { t: 5, g: 6, tensors: 10, graphs: 11 } as const;
const TENSOR = { dims: 1, dataType: 2, name: 8, raw: 9, external: 13, location: 14 } as const;
const TYPED_DATA = new Set([4, 5, 6, 7, 10, 11]);
const EXTERNAL = 1;

class GraphClaimError extends Error {}

const size = (n: number): string => (n >= 1e9 ? `${(n / 1e9).toPrecision(3)} GB` : n >= 1e6 ? `${(n / 1e6).toPrecision(3)} MB` : `${n} bytes`);

interface Walk { r: WindowReader; counts: { nodes: number; initializers: number }; externalSizes: Map<string, number>; maxBytes: number }

async function children(r: WindowReader, start: number, end: number, each: (h: Header) => Promise<void>): Promise<void> {
  for (let pos = start; pos < end;) {
    const h = await r.header(pos);
    if (h.end > end) throw new GraphClaimError(`is truncated or corrupt: a field at byte ${pos} runs past its message`);
    await each(h);
    pos = h.end;
  }
}

async function varints(r: WindowReader, h: Header): Promise<number[]> {
  if (h.wire === 0) return [await signed(r, h.valueStart)];
  const out: number[] = [];
  for (let pos = h.valueStart; pos < h.end;) {
    out.push(await signed(r, pos));
    pos = (await r.varint(pos)).next;
  }
  return out;
}

async function signed(r: WindowReader, pos: number): Promise<number> {
  const b = await r.bytes(pos, Math.min(10, r.size - pos));
  let v = 0n;
  let shift = 0n;
  for (const x of b) {
    v |= BigInt(x & 0x7f) << shift;
    shift += 7n;
    if ((x & 0x80) === 0) break;
  }
  return Number(BigInt.asIntN(64, v));
}

const text = async (r: WindowReader, h: Header): Promise<string> =>
  new TextDecoder().decode(await r.bytes(h.valueStart, Math.min(h.end - h.valueStart, GRAPH_LIMITS.nameBytes)));

async function checkTensor(w: Walk, h: Header, what: string): Promise<void> {
  const dims: number[] = [];
  let type = 0;
  let name = '';
  let raw = -1;
  let typed = 0;
  let external = false;
  const entries = new Map<string, string>();
  await children(w.r, h.valueStart, h.end, async (f) => {
    if (f.field === TENSOR.dims) {
      if (f.end - f.valueStart > GRAPH_LIMITS.rank * 10) throw new GraphClaimError(`has a tensor of rank over ${GRAPH_LIMITS.rank}`);
      dims.push(...await varints(w.r, f));
    } else if (f.field === TENSOR.dataType && f.wire === 0) type = await signed(w.r, f.valueStart);
    else if (f.field === TENSOR.name && f.wire === 2) name = await text(w.r, f);
    else if (f.field === TENSOR.raw && f.wire === 2) raw = f.end - f.valueStart;
    else if (TYPED_DATA.has(f.field)) typed += Math.max(1, f.end - f.valueStart);
    else if (f.field === TENSOR.location && f.wire === 0) external = (await signed(w.r, f.valueStart)) === EXTERNAL;
    else if (f.field === TENSOR.external && f.wire === 2) {
      let key = '';
      let value = '';
      await children(w.r, f.valueStart, f.end, async (e) => {
        if (e.field === 1 && e.wire === 2) key = await text(w.r, e);
        if (e.field === 2 && e.wire === 2) value = await text(w.r, e);
      });
      entries.set(key, value);
    }
  });
  const label = `${what} "${name}"`;
  if (dims.length > GRAPH_LIMITS.rank) throw new GraphClaimError(`has ${label} of rank ${dims.length}, over ${GRAPH_LIMITS.rank}`);
  const bad = dims.find((d) => d < 0);
  if (bad !== undefined) throw new GraphClaimError(`gives ${label} a negative dimension (${bad})`);
  const elements = dims.reduce((a, d) => a * d, 1);
  const per = ELEM_BYTES[type];
  if (per === undefined) return; // strings and unknown types: onnxruntime sizes them from the data
  const claimed = Math.ceil(elements * per);
  const shape = `[${dims.join(', ')}] of ${TYPE_NAMES[type] ?? `type ${type}`} (${size(claimed)})`;
  if (claimed > w.maxBytes) throw new GraphClaimError(`claims ${label} is ${shape}, more than the panel can hold (${size(w.maxBytes)})`);
  if (external) {
    const location = entries.get('location') ?? '';
    const fileSize = w.externalSizes.get(location);
    if (fileSize === undefined) throw new GraphClaimError(`keeps ${label} in "${location}", which is not beside it`);
    const offset = Number(entries.get('offset') ?? '0');
    const length = entries.has('length') ? Number(entries.get('length')) : fileSize - offset;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > fileSize) {
      throw new GraphClaimError(`says ${label} lies at offset ${entries.get('offset') ?? 0}, length ${entries.get('length') ?? '(to the end)'} of ${location}, which has ${size(fileSize)}`);
    }
    if (claimed > length) throw new GraphClaimError(`claims ${label} is ${shape} but keeps ${size(length)} of it in ${location}`);
  } else if (raw >= 0) {
    if (claimed > raw) throw new GraphClaimError(`claims ${label} is ${shape} but holds ${size(raw)}`);
  } else if (elements > typed) {
    throw new GraphClaimError(`claims ${label} is ${shape} but holds ${typed ? 'fewer values' : 'no data'}`);
  }
}

async function walkGraph(w: Walk, start: number, end: number, depth: number): Promise<void> {
  if (depth > GRAPH_LIMITS.depth) throw new GraphClaimError(`nests subgraphs over ${GRAPH_LIMITS.depth} deep`);
  await children(w.r, start, end, async (g) => {
    if (g.wire !== 2) return;
    if (g.field === GRAPH.initializer || g.field === GRAPH.sparseInitializer) {
      if (++w.counts.initializers > GRAPH_LIMITS.initializers) throw new GraphClaimError(`has over ${GRAPH_LIMITS.initializers.toLocaleString('en')} initializers`);
      if (g.field === GRAPH.initializer) await checkTensor(w, g, 'initializer');
    } else if (g.field === GRAPH.node) {
      if (++w.counts.nodes > GRAPH_LIMITS.nodes) throw new GraphClaimError(`has over ${GRAPH_LIMITS.nodes.toLocaleString('en')} nodes`);
      await children(w.r, g.valueStart, g.end, async (a) => {
        if (a.field !== NODE_ATTRIBUTE || a.wire !== 2) return;
        await children(w.r, a.valueStart, a.end, async (v) => {
          if (v.wire !== 2) return;
          if (v.field === ATTR.t || v.field === ATTR.tensors) await checkTensor(w, v, 'a node\'s tensor');
          if (v.field === ATTR.g || v.field === ATTR.graphs) await walkGraph(w, v.valueStart, v.end, depth + 1);
        });
      });
    }
  });
}

/**
 * Checks what `modelFile`'s graph claims against GRAPH_LIMITS, the panel's `maxBytes` and the sizes of
 * its external data files (location → bytes). Throws ModelFolderError naming the file and the claim.
 */
export async function checkGraphClaims(graph: OpenFile, modelFile: Loc, externalSizes: Map<string, number>, maxBytes: number): Promise<{ nodes: number; initializers: number }> {
  try {
    const r = new WindowReader(graph, 64 * 1024);
    const w: Walk = { r, counts: { nodes: 0, initializers: 0 }, externalSizes, maxBytes };
    await children(r, 0, r.size, async (h) => {
      if (h.field === MODEL_GRAPH && h.wire === 2) await walkGraph(w, h.valueStart, h.end, 0);
    });
    return w.counts;
  } catch (e) {
    if (e instanceof GraphClaimError) throw new ModelFolderError(modelFile, `${modelFile} ${e.message}; refused before anything is allocated from it`);
    throw new ModelFolderError(modelFile, `${modelFile} is corrupt: ${(e as Error).message}`);
  }
}
