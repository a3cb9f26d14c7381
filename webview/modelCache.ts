// Model files kept in the webview's IndexedDB under the SHA-256 the host sends with init
// (src/models/contentKey.ts), so a later panel, or a later window with the same webview origin,
// takes a model's bytes from here instead of moving them from the host again: for a 244 MB graph
// through code-server that move was 72 % of the first Explain (bench/README.md). Least recently
// used models go first (webview/cachePlan.ts). Every failure is a miss: the host still has the file.
import { CacheEntry, cacheBudget, planStore } from './cachePlan';
import { done, withDb } from './idb';

const DB_NAME = 'attention-lens-models';
const FILES = 'files';
const ENTRIES = 'entries';
const STORES = [FILES, ENTRIES];

interface Stored { bytes: number; usedAt: number }

const isStored = (v: unknown): v is Stored =>
  typeof v === 'object' && v !== null && typeof (v as Stored).bytes === 'number' && typeof (v as Stored).usedAt === 'number';

/** The file stored under `sha256` if it has `sizeBytes` bytes, else null; a hit counts as a use. */
export async function cachedModel(sha256: string, sizeBytes: number): Promise<Uint8Array | null> {
  try {
    const blob = await withDb(DB_NAME, STORES, async (db) => {
      const tx = db.transaction(STORES, 'readwrite');
      const req = tx.objectStore(FILES).get(sha256);
      req.onsuccess = () => {
        const v: unknown = req.result;
        if (v instanceof Blob && v.size === sizeBytes) tx.objectStore(ENTRIES).put({ bytes: v.size, usedAt: Date.now() }, sha256);
      };
      await done(tx);
      const v: unknown = req.result;
      return v instanceof Blob && v.size === sizeBytes ? v : null;
    });
    return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

async function quota(): Promise<number | undefined> {
  try {
    return (await navigator.storage?.estimate())?.quota;
  } catch {
    return undefined;
  }
}

/**
 * Stores `data` under `sha256`, dropping least recently used models to stay within the budget.
 * The bytes go in as a Blob: an ArrayBuffer value is serialized on the page's thread (1.8 s for a
 * 244 MB graph) and refused over 133 MB, a Blob is copied once (0.17 s) and written in the
 * background (a chunked file arrives as one already: webview/fetchModel.ts blobOf). The caller may
 * let its own bytes go at once; the promise settles when the write is
 * committed (true if stored), for tests and the log.
 */
export async function storeModel(sha256: string, data: Uint8Array | Blob, budget?: number): Promise<boolean> {
  const blob = data instanceof Blob ? data : new Blob([data as Uint8Array<ArrayBuffer>]);
  const limit = budget ?? cacheBudget(await quota());
  try {
    return await withDb(DB_NAME, STORES, async (db) => {
      const tx = db.transaction(STORES, 'readwrite');
      const entries = tx.objectStore(ENTRIES);
      const all = entries.openCursor();
      const held: CacheEntry[] = [];
      let stored = false;
      all.onsuccess = () => {
        const c = all.result;
        if (c) {
          const v: unknown = c.value;
          if (typeof c.key === 'string' && isStored(v)) held.push({ sha256: c.key, bytes: v.bytes, usedAt: v.usedAt });
          c.continue();
          return;
        }
        const plan = planStore(held, { sha256, bytes: blob.size }, limit);
        for (const k of plan.evict) {
          entries.delete(k);
          tx.objectStore(FILES).delete(k);
        }
        if (!plan.store) return;
        tx.objectStore(FILES).put(blob, sha256);
        entries.put({ bytes: blob.size, usedAt: Date.now() }, sha256);
        stored = true;
      };
      await done(tx);
      return stored;
    });
  } catch {
    return false;
  }
}

/** Empties the cache; what it held (models and bytes). Throws when IndexedDB cannot be used. */
export async function clearModelCache(): Promise<{ files: number; bytes: number }> {
  return withDb(DB_NAME, STORES, async (db) => {
    const tx = db.transaction(STORES, 'readwrite');
    const all = tx.objectStore(ENTRIES).getAll();
    tx.objectStore(FILES).clear();
    tx.objectStore(ENTRIES).clear();
    await done(tx);
    const held = (all.result as unknown[]).filter(isStored);
    return { files: held.length, bytes: held.reduce((s, e) => s + e.bytes, 0) };
  });
}
