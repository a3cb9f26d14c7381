// The files a graph keeps its weights in (ONNX external data: model.onnx_data, _1, _2 … or
// model.onnx.data), as its initializers name them, found on the host before the page is asked to
// load: each must exist beside the graph, and the graph and its files together must fit what the
// panel can hold. The graph is walked field by field from disk, reading only small initializers
// (an initializer kept outside the file is a few dozen bytes), so a 1 GB graph is never read whole.
import { modelFs } from '../env/node/modelFs';
import { parseModel } from '../shared/onnxGraph/model';
import { encodeField } from '../shared/onnxGraph/proto';
import { ModelFolderError } from './errors';
import type { Loc, ModelFs, OpenFile } from './modelFs';

export interface ExternalFile {
  /** As the graph names it (what onnxruntime is told). */
  location: string;
  file: Loc;
  sizeBytes: number;
  mtimeMs: number;
}

const WINDOW = 1 << 20;
/** Initializers above this hold their own data, so they are not external. */
const SMALL = 64 * 1024;
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;

export interface Header { field: number; wire: number; valueStart: number; end: number }

/** Reads a protobuf file field header by field header through a window of `window` bytes. */
export class WindowReader {
  private start = 0;
  private buf: Uint8Array = new Uint8Array(0);
  readonly size: number;
  constructor(private readonly file: OpenFile, private readonly window = WINDOW) {
    this.size = file.size;
  }

  async bytes(pos: number, len: number): Promise<Uint8Array> {
    if (pos < this.start || pos + len > this.start + this.buf.length) {
      this.buf = await this.file.read(pos, Math.min(Math.max(len, this.window), this.size - pos));
      this.start = pos;
    }
    return this.buf.subarray(pos - this.start, pos - this.start + len);
  }

  async varint(pos: number): Promise<{ value: number; next: number }> {
    const b = await this.bytes(pos, Math.min(10, this.size - pos));
    let value = 0;
    let scale = 1;
    for (let i = 0; i < b.length; i++) {
      value += (b[i] & 0x7f) * scale;
      scale *= 128;
      if ((b[i] & 0x80) === 0) return { value, next: pos + i + 1 };
    }
    throw new Error(`truncated at byte ${pos}`);
  }

  async header(pos: number): Promise<Header> {
    const tag = await this.varint(pos);
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (wire === 2) {
      const len = await this.varint(tag.next);
      return { field, wire, valueStart: len.next, end: len.next + len.value };
    }
    if (wire === 0) return { field, wire, valueStart: tag.next, end: (await this.varint(tag.next)).next };
    if (wire === 1 || wire === 5) return { field, wire, valueStart: tag.next, end: tag.next + (wire === 1 ? 8 : 4) };
    throw new Error(`wire type ${wire} at byte ${pos}`);
  }
}

/** The external-data locations the graph in `file` names, in order (empty for a self-contained graph). */
export async function externalLocations(file: Loc, fs: ModelFs = modelFs): Promise<string[]> {
  const f = await fs.open(file);
  try {
    return await externalLocationsOpen(f);
  } finally {
    await f.close();
  }
}

/** The same for a graph already open. */
export async function externalLocationsOpen(f: OpenFile): Promise<string[]> {
  const r = new WindowReader(f);
  let graph: Header | null = null;
  for (let pos = 0; pos < r.size && !graph;) {
    const h = await r.header(pos);
    if (h.field === MODEL_GRAPH && h.wire === 2) graph = h;
    pos = h.end;
  }
  if (!graph) return [];
  // Each small initializer is wrapped as a one-initializer model and read with the page's own parser.
  const found = new Set<string>();
  for (let pos = graph.valueStart; pos < graph.end;) {
    const h = await r.header(pos);
    if (h.field === GRAPH_INITIALIZER && h.wire === 2 && h.end - pos <= SMALL) {
      const one = encodeField(MODEL_GRAPH, await r.bytes(pos, h.end - pos));
      for (const l of parseModel(one).externalFiles) found.add(l);
    }
    pos = h.end;
  }
  return [...found];
}

const mb = (n: number): string => `${Math.round(n / (1024 * 1024))} MB`;

/**
 * The external-data files of `modelFile`, checked: each named safely (inside the graph's folder),
 * present, and the graph and its files within `maxBytes` together. Throws ModelFolderError.
 */
export async function findExternalData(
  modelFile: Loc, graphBytes: number, maxBytes: number, fs: ModelFs = modelFs, graph?: OpenFile,
): Promise<ExternalFile[]> {
  const name = fs.basename(modelFile);
  let locations: string[];
  try {
    locations = graph ? await externalLocationsOpen(graph) : await externalLocations(modelFile, fs);
  } catch (e) {
    throw new ModelFolderError(modelFile, `${modelFile} is corrupt: ${(e as Error).message}`);
  }
  const out: ExternalFile[] = [];
  for (const location of locations) {
    if (location === '' || /^([\\/]|[a-z]:)/i.test(location) || location.split(/[\\/]/).includes('..')) {
      throw new ModelFolderError(modelFile, `${modelFile} names its external data "${location}"; Attention Lens reads external data only from files beside the graph`);
    }
    const file = fs.join(fs.dirname(modelFile), location);
    const st = (await fs.isFile(file)) ? await fs.stat(file) : undefined;
    if (!st) throw new ModelFolderError(file, `${file} is missing: ${name} keeps its weights there (ONNX external data); download it with the graph`);
    // Where stat cannot tell the size (vscode.dev), the file is read to know it.
    let sizeBytes = st.size;
    if (sizeBytes === undefined) {
      const f = await fs.open(file);
      sizeBytes = f.size;
      await f.close();
    }
    out.push({ location, file, sizeBytes, mtimeMs: st.mtimeMs });
  }
  const total = graphBytes + out.reduce((s, f) => s + f.sizeBytes, 0);
  if (out.length > 0 && total > maxBytes) {
    throw new ModelFolderError(modelFile, `${name} (${mb(graphBytes)}) and its external data ${out.map((f) => `${f.location} (${mb(f.sizeBytes)})`).join(', ')} `
      + `are ${mb(total)} together; Attention Lens loads models of at most ${mb(maxBytes)} (the panel's WebAssembly memory is 4 GB at most); choose a quantized variant (model_quantized.onnx, model_q4.onnx) if the folder has one`);
  }
  return out;
}
