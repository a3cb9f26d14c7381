// Fetching a model's bytes with progress: a GPT-2-small-sized graph is ~500 MB, which takes
// seconds even from the local disk, and the panel should say how far it is rather than just wait.

export type FetchProgress = (loadedBytes: number, totalBytes: number | null) => void;

/** The whole body of `uri`, reporting progress at most every `everyBytes`; throws on an HTTP error. */
export async function fetchBytes(uri: string, onProgress?: FetchProgress, everyBytes = 8 * 1024 * 1024): Promise<Uint8Array> {
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
