// A cheap check that a file is a whole ONNX model: walks the top-level fields of the protobuf
// ModelProto (reading only field headers, never the graph itself), so a truncated or foreign file
// is caught before the webview is asked to load hundreds of megabytes.
import { modelFs } from '../env/node/modelFs';
import type { Loc, ModelFs, OpenFile } from './modelFs';

export class OnnxFileError extends Error {}

const FIELD_NAMES: Record<number, string> = {
  1: 'ir_version', 2: 'producer_name', 3: 'producer_version', 4: 'domain', 5: 'model_version', 6: 'doc_string',
  7: 'graph', 8: 'opset_import', 14: 'metadata_props', 20: 'training_info', 25: 'functions', 26: 'configuration',
};

interface Reader { read(pos: number, len: number): Promise<Uint8Array>; size: number }

async function readVarint(r: Reader, pos: number): Promise<{ value: number; next: number } | null> {
  const buf = await r.read(pos, 10);
  let value = 0;
  let scale = 1;
  for (let i = 0; i < buf.length; i++) {
    value += (buf[i] & 0x7f) * scale;
    scale *= 128;
    if ((buf[i] & 0x80) === 0) return { value, next: pos + i + 1 };
  }
  return null;
}

/** Checks the ModelProto framing of `bytes` read through `r`; throws OnnxFileError with the reason. */
async function walk(r: Reader, name: string): Promise<void> {
  if (r.size === 0) throw new OnnxFileError(`${name} is empty`);
  const seen = new Set<number>();
  let pos = 0;
  for (let fields = 0; pos < r.size; fields++) {
    if (fields > 100_000) throw new OnnxFileError(`${name} is not an ONNX model (too many top-level fields)`);
    const tag = await readVarint(r, pos);
    if (!tag) throw new OnnxFileError(`${name} is truncated or corrupt at byte ${pos} (an unfinished field header)`);
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    const fieldName = FIELD_NAMES[field] ?? `field ${field}`;
    if (field === 0 || !(field in FIELD_NAMES)) {
      throw new OnnxFileError(`${name} is not an ONNX model: byte ${pos} starts ${fieldName}, which a ModelProto does not have`);
    }
    let next: number;
    if (wire === 0) {
      const v = await readVarint(r, tag.next);
      if (!v) throw new OnnxFileError(`${name} is truncated: ${fieldName} at byte ${pos} is cut off`);
      next = v.next;
    } else if (wire === 2) {
      const len = await readVarint(r, tag.next);
      if (!len) throw new OnnxFileError(`${name} is truncated: ${fieldName} at byte ${pos} is cut off`);
      next = len.next + len.value;
    } else {
      throw new OnnxFileError(`${name} is not an ONNX model: ${fieldName} at byte ${pos} has wire type ${wire}`);
    }
    if (next > r.size) {
      throw new OnnxFileError(`${name} is truncated: its ${fieldName} needs ${next} bytes but the file has ${r.size}`);
    }
    seen.add(field);
    pos = next;
  }
  if (!seen.has(7)) throw new OnnxFileError(`${name} has no graph`);
  if (!seen.has(1)) throw new OnnxFileError(`${name} has no ir_version, so it is not an ONNX model`);
}

/** Checks that `file` is framed as a complete ONNX ModelProto. */
export async function checkOnnxFile(file: Loc, displayName = 'model.onnx', fs: ModelFs = modelFs): Promise<void> {
  const f = await fs.open(file);
  try {
    await checkOnnxOpen(f, displayName);
  } finally {
    await f.close();
  }
}

/** The same check on a file already open (the loader opens a graph once for all its checks). */
export async function checkOnnxOpen(f: OpenFile, displayName = 'model.onnx'): Promise<void> {
  await walk({ read: (pos, len) => f.read(pos, len), size: f.size }, displayName);
}

/** The same check on bytes in memory (used by tests and small files). */
export async function checkOnnxBytes(bytes: Uint8Array, displayName = 'model.onnx'): Promise<void> {
  const read = async (pos: number, len: number): Promise<Uint8Array> => bytes.subarray(pos, Math.min(bytes.length, pos + len));
  await walk({ read, size: bytes.length }, displayName);
}
