// A model's files for a load: from the page's cache when the host gave their SHA-256 and the cache
// has them (webview/modelCache.ts), else from the host as before (webview/fetchModel.ts), and then
// kept for the next panel or window. Says where they came from, for the header and the bench.
import type { ExternalDataRef } from '../src/shared/protocol';
import { ExternalFileData, FetchProgress, blobOf, fetchBytes, fetchExternalData } from './fetchModel';
import { cachedModel, storeModel } from './modelCache';

export type ModelSource = 'cache' | 'host';

export interface ModelFiles { graph: Uint8Array; external: ExternalFileData[]; from: ModelSource }

export interface ModelRef {
  modelUri: string;
  /** The graph's SHA-256 and size from init: without both the page neither reads nor fills its cache. */
  sha256?: string;
  sizeBytes?: number;
  externalData?: ExternalDataRef[];
}

/** Writes started by loads, so a test can wait for them; settled ones are dropped. */
const writes = new Set<Promise<boolean>>();

/** Resolves once every cache write started so far is committed (or failed). */
export async function cacheWritesSettled(): Promise<void> {
  await Promise.all([...writes]);
}

function keep(sha256: string, bytes: Uint8Array): void {
  const mb = (bytes.length / 1e6).toFixed(1);
  const w = storeModel(sha256, blobOf(bytes) ?? bytes).then((stored) => {
    console.info(`[attention-lens] ${stored ? 'kept' : 'could not keep'} ${sha256.slice(0, 12)} (${mb} MB) in the page's model cache`);
    return stored;
  });
  writes.add(w);
  void w.finally(() => writes.delete(w));
}

/**
 * One file: the cache's copy, or `fetch`'s (then stored). `hit` is told when the cache had it;
 * `fetch` is told whether the bytes will be stored (then a chunked file is also built as a Blob).
 */
async function cachedOr(sha256: string | undefined, sizeBytes: number | undefined, fetch: (toStore: boolean) => Promise<Uint8Array>, hit: () => void): Promise<Uint8Array> {
  if (sha256 !== undefined && sizeBytes !== undefined) {
    const cached = await cachedModel(sha256, sizeBytes);
    if (cached) {
      hit();
      return cached;
    }
  }
  const toStore = sha256 !== undefined && sizeBytes !== undefined;
  const bytes = await fetch(toStore);
  if (toStore && sizeBytes === bytes.length) keep(sha256, bytes);
  return bytes;
}

/**
 * The graph and its external data files. `fetchGraph` is how the graph comes from the host (the
 * caller retries a resource loader timeout); external files come by fetchBytes.
 */
export async function readModel(ref: ModelRef, fetchGraph: (asBlob: boolean) => Promise<Uint8Array>, onProgress?: FetchProgress): Promise<ModelFiles> {
  let hits = 0;
  const hit = () => hits++;
  const graph = await cachedOr(ref.sha256, ref.sizeBytes, fetchGraph, hit);
  const refs = ref.externalData ?? [];
  const external = await fetchExternalData(refs, graph.length, onProgress, (r, progress) => cachedOr(r.sha256, r.sizeBytes, (asBlob) => fetchBytes(r.uri, progress, undefined, asBlob), hit));
  const all = graph.length + external.reduce((s, f) => s + f.data.length, 0);
  if (hits > 0) onProgress?.(all, all);
  return { graph, external, from: hits === 1 + refs.length ? 'cache' : 'host' };
}
