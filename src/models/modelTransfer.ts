// Large models reach the panel in chunks through messages, not through a webview resource fetch:
// VS Code's webview service worker answers a resource request only once the whole file has been
// read, and gives up after 30 s (HTTP 408) — which a 500 MB model read over a remote connection
// (code-server, Remote-SSH) can take. Chunks have no such limit and give exact progress.
import { promises as fs } from 'fs';
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
  file: string, key: string, post: (m: ModelChunkMessage) => Promise<boolean>, stillWanted: () => boolean, chunkBytes = CHUNK_BYTES,
): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    for (let offset = 0; offset < size; offset += chunkBytes) {
      if (!stillWanted()) return false;
      const data = new Uint8Array(Math.min(chunkBytes, size - offset));
      const { bytesRead } = await handle.read(data, 0, data.length, offset);
      if (bytesRead !== data.length) throw new Error(`${file} changed while it was read (short read at byte ${offset})`);
      if (!(await post({ type: 'modelChunk', key, offset, total: size, data }))) return false;
    }
    return true;
  } finally {
    await handle.close();
  }
}
