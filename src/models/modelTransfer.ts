// Large models reach the panel in chunks through messages, not through a webview resource fetch:
// VS Code's webview service worker answers a resource request only once the whole file has been
// read, and gives up after 30 s (HTTP 408) — which a 500 MB model read over a remote connection
// (code-server, Remote-SSH) can take. Chunks have no such limit and give exact progress.
import { modelFs } from '../env/node/modelFs';
import type { Loc, ModelFs } from './modelFs';
import type { ModelChunkMessage } from '../shared/protocol';
import { CHUNK_SCHEME } from '../shared/protocol';

/** Graphs above this go by messages; smaller ones are fetched as webview resources as before. */
export const CHUNKED_ABOVE_BYTES = 64 * 1024 * 1024;
export const CHUNK_BYTES = 16 * 1024 * 1024;

/** The modelUri init carries for a chunked model: the page asks for `key`'s chunks instead of fetching. */
export function chunkUri(file: string, size: number, mtimeMs: number): string {
  return `${CHUNK_SCHEME}${encodeURIComponent(`${size}-${Math.round(mtimeMs)}-${file}`)}`;
}

/**
 * Reads `file` chunk by chunk and posts each one, waiting for each post so that at most one chunk
 * is in memory on the host. Stops (false) when a post fails (the page went away) or `stillWanted`
 * says the page no longer waits for this model.
 */
export async function streamModel(
  file: Loc, key: string, post: (m: ModelChunkMessage) => Promise<boolean>, stillWanted: () => boolean, chunkBytes = CHUNK_BYTES,
  fs: ModelFs = modelFs,
): Promise<boolean> {
  // On Node each chunk is a ranged read; in the browser host the file is read whole once and sliced.
  const handle = await fs.open(file);
  try {
    const { size } = handle;
    for (let offset = 0; offset < size; offset += chunkBytes) {
      if (!stillWanted()) return false;
      const want = Math.min(chunkBytes, size - offset);
      const read = await handle.read(offset, want);
      if (read.length !== want) throw new Error(`${file} changed while it was read (short read at byte ${offset})`);
      // A chunk of its own (not a view into the whole file) is what crosses to the page.
      const data = read.byteOffset === 0 && read.byteLength === read.buffer.byteLength ? read : new Uint8Array(read);
      if (!(await post({ type: 'modelChunk', key, offset, total: size, data }))) return false;
    }
    return true;
  } finally {
    await handle.close();
  }
}
