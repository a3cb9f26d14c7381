// A model's bytes with progress: fetched as a webview resource, or — for a large model, whose init
// carries a chunk URI (src/models/modelTransfer.ts) — asked of the host and received in chunks,
// since VS Code's resource loading gives up on a file that takes over 30 s to read.
import { CHUNK_SCHEME, ExternalDataRef, ModelChunkMessage, ToHost } from '../src/shared/protocol';

export type FetchProgress = (loadedBytes: number, totalBytes: number | null) => void;

interface Transfer {
  buf: Uint8Array | null; got: number; resolve: (b: Uint8Array) => void; reject: (e: Error) => void; onProgress?: FetchProgress;
  /** Each chunk also as a Blob, made as it arrives (webview/modelCache.ts keeps the file as one). */
  parts: Blob[] | null;
}

const transfers = new Map<string, Transfer>();
/** A chunked file's bytes → the same bytes as a Blob built chunk by chunk while they arrived. */
const blobs = new WeakMap<Uint8Array, Blob>();

/**
 * The Blob made while `bytes` arrived in chunks, if they did and one was asked for: copying a
 * 244 MB graph into a Blob at once, after it is in, takes a model-sized copy at the load's peak;
 * chunk by chunk, it is made while the page waits for the next chunk.
 */
export function blobOf(bytes: Uint8Array): Blob | undefined {
  return blobs.get(bytes);
}
let requestChunks: ((m: ToHost) => void) | null = null;

/** main.ts gives the way to ask the host for a model's chunks. */
export function setChunkRequester(post: (m: ToHost) => void): void {
  requestChunks = post;
}

/** A chunk from the host, for the transfer its key names (chunks for no transfer are dropped). */
export function receiveChunk(m: ModelChunkMessage): void {
  const t = transfers.get(m.key);
  if (!t) return;
  try {
    if (m.error !== undefined) throw new Error(m.error);
    if (!t.buf) t.buf = new Uint8Array(m.total);
    if (m.total !== t.buf.length || m.offset !== t.got || m.offset + m.data.length > m.total) {
      throw new Error(`model chunk at byte ${m.offset} of ${m.total} does not follow byte ${t.got}: the file changed while it was sent`);
    }
    t.buf.set(m.data, m.offset);
    t.parts?.push(new Blob([m.data as Uint8Array<ArrayBuffer>]));
    t.got += m.data.length;
    t.onProgress?.(t.got, m.total);
    if (t.got === m.total) {
      transfers.delete(m.key);
      if (t.parts) blobs.set(t.buf, new Blob(t.parts));
      t.resolve(t.buf);
    }
  } catch (e) {
    transfers.delete(m.key);
    t.reject(e as Error);
  }
}

function viaChunks(key: string, onProgress: FetchProgress | undefined, asBlob: boolean): Promise<Uint8Array> {
  if (!requestChunks) return Promise.reject(new Error('no channel to the host for the model\'s chunks'));
  transfers.get(key)?.reject(new Error('the model was asked for again'));
  const done = new Promise<Uint8Array>((resolve, reject) => transfers.set(key, { buf: null, got: 0, resolve, reject, onProgress, parts: asBlob ? [] : null }));
  requestChunks({ type: 'modelRequest', key });
  return done;
}

/**
 * The whole model at `uri`, reporting progress at most every `everyBytes`; throws on an HTTP error.
 * `asBlob`: a chunked file is also made into a Blob as it arrives (see blobOf).
 */
export async function fetchBytes(uri: string, onProgress?: FetchProgress, everyBytes = 8 * 1024 * 1024, asBlob = false): Promise<Uint8Array> {
  if (uri.startsWith(CHUNK_SCHEME)) return viaChunks(decodeURIComponent(uri.slice(CHUNK_SCHEME.length)), onProgress, asBlob);
  const response = await fetch(uri);
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  if (!onProgress || !response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  // One buffer of the announced size when known, so a large model is not held twice while read.
  let buf = new Uint8Array(total ?? 1 << 20);
  let loaded = 0;
  let reported = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > buf.length) {
      const bigger = new Uint8Array(Math.max(buf.length * 2, loaded + value.length));
      bigger.set(buf.subarray(0, loaded));
      buf = bigger;
    }
    buf.set(value, loaded);
    loaded += value.length;
    if (loaded - reported >= everyBytes) {
      reported = loaded;
      onProgress(loaded, total);
    }
  }
  onProgress(loaded, total);
  return loaded === buf.length ? buf : buf.subarray(0, loaded);
}

/** A file the graph keeps weights in, as onnxruntime-web's `externalData` option takes it. */
export interface ExternalFileData { path: string; data: Uint8Array }

/**
 * The graph's external data files (ONNX external data), one after another: the host streams one
 * chunked file at a time. Progress counts on from the graph's `graphBytes`.
 */
export async function fetchExternalData(
  refs: readonly ExternalDataRef[], graphBytes: number, onProgress?: FetchProgress,
  read: (ref: ExternalDataRef, onProgress?: FetchProgress) => Promise<Uint8Array> = (r, p) => fetchBytes(r.uri, p),
): Promise<ExternalFileData[]> {
  const total = graphBytes + refs.reduce((s, r) => s + r.sizeBytes, 0);
  const out: ExternalFileData[] = [];
  let before = graphBytes;
  for (const r of refs) {
    let data: Uint8Array;
    try {
      data = await read(r, onProgress && ((loaded) => onProgress(before + loaded, total)));
    } catch (e) {
      throw new Error(`${r.location}: ${(e as Error).message}`);
    }
    out.push({ path: r.location, data });
    before += data.length;
  }
  return out;
}
